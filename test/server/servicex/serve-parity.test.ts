/**
 * `hepq serve --servicex` and `hepq servicex` serve one ServiceX endpoint: the real CLI of each, started with the
 * same secret, answers the requests the python client makes (token refresh, capabilities, submit, status, results,
 * the S3 listing and download at the root, the refusals without credentials) with the same status codes and bodies,
 * once request ids, times and the host:port are written alike. The downloaded Parquet files are read back by DuckDB
 * and hold the events jsroot reads with two or more muons. Both commands also refuse a non-loopback host without a
 * token in the same words.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';
import { CONF, duckRows, type Json, SAMPLE, tempDir } from './helpers.js';
import { type Proc, spawnHepq } from './procs.js';

const SECRET = 'the-shared-secret-of-the-parity-test';
const SELECTION = "ds.Where(lambda e: e.nMuon >= 2).Select(lambda e: {'met': e.MET_pt, 'n': e.nMuon})";

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const r = await fetch(url, init);
  return { status: r.status, type: r.headers.get('content-type') ?? '', body: await r.text() };
}

/** An answer with the request id, the server's address and the times written as placeholders. */
function normal(a: Answer, base: string, id?: string): Answer {
  let body = a.body.split(base).join('<base>').split(new URL(base).host).join('<host>');
  if (id) body = body.split(id).join('<id>');
  body = body
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)/g, '<time>')
    .replace(/"(avg-rate|transform_time)":[\d.e+-]+/g, '"$1":<n>')
    .replace(/"access_token":"[^"]+"/g, '"access_token":<jwt>')
    .replace(/\?sig=[0-9a-f]+/g, '?sig=<sig of the id>');
  return { ...a, body };
}

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

describe.skipIf(!existsSync(SAMPLE))('hepq serve --servicex and hepq servicex: one endpoint', () => {
  const procs: Proc[] = [];
  const bases: Record<'servicex' | 'serve', string> = { servicex: '', serve: '' };

  beforeAll(async () => {
    const tokenFile = join(tempDir('parity-token'), 'token');
    writeFileSync(tokenFile, `${SECRET}\n`);
    const sx = spawnHepq(
      'servicex',
      '--port',
      '0',
      '--data-dir',
      tempDir('parity-sx'),
      '--token-file',
      tokenFile,
    );
    const sv = spawnHepq(
      'serve',
      '--servicex',
      '--port',
      '0',
      '--data-dir',
      tempDir('parity-serve'),
      '--data-root',
      CONF,
      '--token-file',
      tokenFile,
    );
    procs.push(sx, sv);
    bases.servicex = (await sx.waitFor(/listening on (http:\/\/[^\s]+) /, 120_000))[1]!;
    bases.serve = (await sv.waitFor(/listening on (http:\/\/[^\s]+) /, 120_000))[1]!;
  }, 180_000);
  afterAll(async () => {
    for (const p of procs) await p.kill('SIGTERM');
  });

  /** The same requests against one server, in the client's order; the answers normalised. */
  async function session(base: string): Promise<{ answers: Record<string, Answer>; rows: unknown[] }> {
    const answers: Record<string, Answer> = {};
    answers['refresh, wrong token'] = normal(
      await call(`${base}/token/refresh`, { method: 'POST', headers: bearer('not-it') }),
      base,
    );
    const refresh = await call(`${base}/token/refresh`, { method: 'POST', headers: bearer(SECRET) });
    answers.refresh = normal(refresh, base);
    const access = (JSON.parse(refresh.body) as { access_token: string }).access_token;
    expect(access.split('.')).toHaveLength(3); // a JWT
    const auth = bearer(access);
    answers['capabilities, no token'] = normal(await call(`${base}/servicex`), base);
    answers.capabilities = normal(await call(`${base}/servicex`, { headers: auth }), base);
    const submitted = await call(`${base}/servicex/transformation`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'parity',
        selection: SELECTION,
        'file-list': [SAMPLE],
        'tree-name': 'Events',
        'result-format': 'parquet',
        codegen: 'func-adl',
        'result-destination': 'object-store',
      }),
    });
    const id = (JSON.parse(submitted.body) as { request_id: string }).request_id;
    answers.submit = normal(submitted, base, id);
    // wait for the request to end (no clock: the test's own limit is the backstop)
    let status: Json = {};
    for (;;) {
      const st = await call(`${base}/servicex/transformation/${id}`, { headers: auth });
      status = JSON.parse(st.body) as Json;
      if (status.status === 'Complete' || status.status === 'Fatal' || status.status === 'Canceled') {
        answers.status = normal(st, base, id);
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    answers.results = normal(
      await call(`${base}/servicex/transformation/${id}/results`, { headers: auth }),
      base,
      id,
    );
    answers.list = normal(await call(`${base}/servicex/transformation`, { headers: auth }), base, id);
    answers['s3 list, unsigned'] = normal(await call(`${base}/${id}?list-type=2`), base, id);
    const listing = await call(`${base}/${id}?list-type=2`, { headers: bearer(SECRET) });
    answers['s3 list'] = normal(listing, base, id);
    const key = /<Key>([^<]+)<\/Key>/.exec(listing.body)?.[1];
    expect(key, listing.body).toBeDefined();
    const object = await fetch(`${base}/${id}/${encodeURIComponent(key!)}`, { headers: bearer(SECRET) });
    answers['s3 get'] = { status: object.status, type: object.headers.get('content-type') ?? '', body: '' };
    const file = join(tempDir('parity-dl'), 'out.parquet');
    writeFileSync(file, Buffer.from(await object.arrayBuffer()));
    const rows = (await duckRows(file)).map((r) => [r.met, r.n]);
    return { answers, rows };
  }

  it('answers the python client its requests alike, with the same files', async () => {
    const t = await openJsrootTree(SAMPLE, 'Events');
    const met = (await t.read('MET_pt')) as number[];
    const n = (await t.read('nMuon')) as number[];
    const ref = met.map((m, i) => [m, n[i]]).filter(([, k]) => (k as number) >= 2);
    expect(ref.length).toBeGreaterThan(50);

    const sx = await session(bases.servicex);
    const sv = await session(bases.serve);
    expect(sx.answers.refresh!.status).toBe(200);
    expect(sx.answers['refresh, wrong token']!.status).toBe(401);
    expect(sx.answers['capabilities, no token']!.status).toBe(401);
    expect(sx.answers['s3 list, unsigned']!.status).toBe(403);
    expect(JSON.parse(sx.answers.status!.body).status).toBe('Complete');
    for (const [name, answer] of Object.entries(sx.answers)) expect(sv.answers[name], name).toEqual(answer);
    expect(sx.rows).toEqual(ref);
    expect(sv.rows).toEqual(ref);
  }, 240_000);

  it('both refuse a non-loopback host without a token, in the same words', async () => {
    const refusal = async (...args: string[]) => {
      const p = spawnHepq(...args, '--host', '0.0.0.0', '--port', '0');
      const code = await new Promise<number | null>((r) => p.child.once('exit', (c) => r(c)));
      expect(code).not.toBe(0);
      const line = /error.*will not listen.*|.*will not listen.*/.exec(p.out())?.[0] ?? p.out();
      return line.replace(/hepq (serve|servicex)/g, 'hepq <command>');
    };
    const a = await refusal('servicex', '--data-dir', tempDir('parity-r1'));
    const b = await refusal('serve', '--servicex', '--data-dir', tempDir('parity-r2'));
    expect(a).toMatch(/will not listen on 0\.0\.0\.0 without a token/);
    expect(b).toBe(a);
  }, 120_000);
});
