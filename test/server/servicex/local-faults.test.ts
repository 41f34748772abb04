/**
 * Faults with the in-process pool: the server killed (SIGKILL) mid-request and restarted on the same data dir
 * (the request completes, files already done are not redone), cancel mid-request, delete, and bearer auth.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalPool, TransformService } from '../../../server/transform/index.js';
import { getJson, type Json, pollUntil, postJson, SAMPLE, startServer, tempDir } from './helpers.js';
import { type Proc, spawnHepq } from './procs.js';

const HAVE = existsSync(SAMPLE);
const MET = 'ds.Select(lambda e: e.MET_pt)';

describe.skipIf(!HAVE)('ServiceX faults (local pool)', () => {
  const procs: Proc[] = [];
  afterAll(async () => {
    for (const p of procs) await p.kill('SIGKILL');
  });

  it('a request survives the server being killed mid-request; done files are not redone', async () => {
    const dir = tempDir('restart');
    const start = async () => {
      const p = spawnHepq(
        'servicex',
        '--port',
        '0',
        '--data-dir',
        dir,
        '--concurrency',
        '1',
        '--throttle-ms',
        '600',
      );
      procs.push(p);
      const m = await p.waitFor(/listening on (http:\/\/[^\s]+) /);
      return { p, base: m[1]! };
    };
    const a = await start();
    const sub = await postJson(`${a.base}/servicex/transformation`, {
      'file-list': [SAMPLE, SAMPLE, SAMPLE, SAMPLE],
      selection: MET,
      codegen: 'func-adl',
    });
    const id = sub.body.request_id as string;
    let st: Json;
    do st = await pollUntil(a.base, id, ['Running', 'Complete']);
    while ((st['files-completed'] as number) < 1);
    await a.p.kill('SIGKILL');
    const before = (await import('node:fs')).readFileSync(join(dir, 'requests', `${id}.json`), 'utf8');
    const done = (JSON.parse(before).files as Json[]).filter((f) => f.state === 'done');
    expect(done.length).toBeGreaterThanOrEqual(1);
    expect(done.length).toBeLessThan(4);
    const mtimes = done.map((f) => statSync(join(dir, 'results', id, f.output as string)).mtimeMs);

    const b = await start();
    const fin = await pollUntil(b.base, id, ['Complete', 'Fatal']);
    expect(fin).toMatchObject({ status: 'Complete', files: 4, 'files-completed': 4, 'files-failed': 0 });
    const results = (await getJson(`${b.base}/servicex/transformation/${id}/results`)).body.results as Json[];
    expect(results).toHaveLength(4);
    for (const [k, f] of done.entries()) {
      const r = results.find((x) => x.filename === f.output)!;
      expect(r.created_at).toBe((f.createdAt as string).replace(/Z$/, '+00:00')); // not redone
      expect(statSync(join(dir, 'results', id, f.output as string)).mtimeMs).toBe(mtimes[k]);
    }
    expect(readdirSync(join(dir, 'results', id)).sort()).toEqual(results.map((r) => r.filename).sort());
    await b.p.kill();
  });

  it('cancel mid-request stops the remaining files; delete removes the request and its files', async () => {
    const dir = tempDir('cancel');
    const service = new TransformService({
      dataDir: dir,
      dispatcher: new LocalPool({ concurrency: 1, throttleMs: 400 }),
    });
    const { app, url } = await startServer(service, { token: 's3cret' });
    const auth = { authorization: 'Bearer s3cret' };
    try {
      expect((await getJson(`${url}/servicex`)).status).toBe(401);
      expect((await getJson(`${url}/servicex`, { headers: { authorization: 'Bearer nope' } })).status).toBe(
        401,
      );
      const sub = await postJson(
        `${url}/servicex/transformation`,
        { 'file-list': [SAMPLE, SAMPLE, SAMPLE, SAMPLE, SAMPLE], selection: MET, codegen: 'func-adl' },
        auth,
      );
      const id = sub.body.request_id as string;
      let st: Json;
      do st = await pollUntil(url, id, ['Running', 'Complete'], 20_000, auth);
      while ((st['files-completed'] as number) < 1);
      const c = await getJson(`${url}/servicex/transformation/${id}/cancel`, { headers: auth });
      expect(c.status).toBe(200);
      const after = (await getJson(`${url}/servicex/transformation/${id}`, { headers: auth })).body;
      expect(after.status).toBe('Canceled');
      const n = after['files-completed'] as number;
      expect(n).toBeLessThan(5);
      await new Promise((r) => setTimeout(r, 1500)); // longer than a job: nothing more may appear
      const later = (await getJson(`${url}/servicex/transformation/${id}`, { headers: auth })).body;
      expect(later['files-completed']).toBe(n);
      const listed = (await getJson(`${url}/servicex/transformation/${id}/results`, { headers: auth })).body
        .results as Json[];
      expect(listed).toHaveLength(n);
      expect(readdirSync(join(dir, 'results', id)).sort()).toEqual(listed.map((r) => r.filename).sort());
      const del = await fetch(`${url}/servicex/transformation/${id}`, { method: 'DELETE', headers: auth });
      expect(del.status).toBe(200);
      expect((await getJson(`${url}/servicex/transformation/${id}`, { headers: auth })).status).toBe(404);
      expect(existsSync(join(dir, 'results', id))).toBe(false);
    } finally {
      await app.close();
      await service.close();
    }
  });
});
