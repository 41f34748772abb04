/**
 * `--allow-url-prefix P` on the commands that open URLs (query, dump, sql, serve): a URL input must lie under P
 * and its redirects are followed only to URLs under P. Two local hosts: A redirects /data/away.root to B (another
 * port) and /data/hop/… to its own /data/…. Without the option the local commands follow any redirect. Expected
 * values come from jsroot reading the local file (a second reader).
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../../server/http/app.js';
import { runCli } from '../../helpers/cli.js';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';
import { type RedirectHost, startRedirectHost } from '../../helpers/redirect-host.js';
import { SAMPLE } from '../servicex/helpers.js';

const QUERY = 'Select(lambda e: e.MET_pt)';
const LOCAL = ['--threads', '1', '--device', 'cpu', '--format', 'json'];
/** Text output prints a float32 as its shortest decimal: read back as float32 to compare with jsroot's values. */
const f32s = (text: string) => (JSON.parse(text) as number[]).map((x) => Math.fround(x));

describe.skipIf(!existsSync(SAMPLE))('--allow-url-prefix: the redirect policy of URL inputs', () => {
  let a: RedirectHost;
  let b: RedirectHost;
  let met: number[];
  let allow: string[];

  beforeAll(async () => {
    b = await startRedirectHost(SAMPLE, () => undefined);
    a = await startRedirectHost(SAMPLE, (path) => {
      if (path === '/data/away.root') return `${b.url}/elsewhere.root`;
      if (path.startsWith('/data/hop/')) return path.replace('/data/hop/', '/data/');
      return undefined;
    });
    allow = ['--allow-url-prefix', `${a.url}/data/`];
    met = (await (await openJsrootTree(SAMPLE, 'Events')).read('MET_pt')) as number[];
    expect(met).toHaveLength(1000);
  });
  afterAll(() => {
    a?.close();
    b?.close();
  });

  it('query: follows any redirect without the option; with it, refuses one off the prefix and a URL outside it', async () => {
    const away = `${a.url}/data/away.root`;
    b.log.length = 0;
    const free = await runCli('query', QUERY, away, ...LOCAL);
    expect(free.code, free.err).toBe(0);
    expect(f32s(free.out)).toEqual(met);
    expect(b.log.some((l) => l.startsWith('GET /elsewhere.root'))).toBe(true);

    b.log.length = 0;
    const refused = await runCli('query', QUERY, away, ...LOCAL, ...allow);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('io/redirect-refused');
    expect(refused.err).toContain(away);
    const outside = await runCli('query', QUERY, `${b.url}/data/x.root`, ...LOCAL, ...allow);
    expect(outside.code).toBe(1);
    expect(outside.err).toContain('io/url-refused');
    expect(b.log).toEqual([]); // B was never asked

    const hop = await runCli('query', QUERY, `${a.url}/data/hop/sample.root`, ...LOCAL, ...allow);
    expect(hop.code, hop.err).toBe(0);
    expect(f32s(hop.out)).toEqual(met);
  });

  it('inspect, dump and sql hold their URL inputs to the same policy', async () => {
    const inspected = await runCli('inspect', `${a.url}/data/hop/sample.root`, '--json', ...allow);
    expect(inspected.code, inspected.err).toBe(0);
    expect(JSON.parse(inspected.out).objects.find((o: { path: string }) => o.path === 'Events').entries).toBe(
      met.length,
    );
    const inspectRefused = await runCli('inspect', `${a.url}/data/away.root`, ...allow);
    expect(inspectRefused.code).toBe(1);
    expect(inspectRefused.err).toContain('io/redirect-refused');

    b.log.length = 0;
    const dump = (url: string, ...more: string[]) =>
      runCli(
        'dump',
        url,
        '--tree',
        'Events',
        '--branch',
        'MET_pt',
        '--stop',
        '3',
        '--format',
        'json',
        ...more,
      );
    const ok = await dump(`${a.url}/data/hop/sample.root`, ...allow);
    expect(ok.code, ok.err).toBe(0);
    expect((JSON.parse(ok.out) as { MET_pt: number }[]).map((r) => Math.fround(r.MET_pt))).toEqual(
      met.slice(0, 3),
    );
    const refused = await dump(`${a.url}/data/away.root`, ...allow);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('io/redirect-refused');

    const sql = (url: string, ...more: string[]) =>
      runCli('sql', `SELECT count(*) AS n FROM root('${url}', 'Events')`, '--format', 'json', ...more);
    const counted = await sql(`${a.url}/data/hop/sample.root`, ...allow);
    expect(counted.code, counted.err).toBe(0);
    expect(JSON.parse(counted.out)).toEqual([{ n: met.length }]);
    const sqlRefused = await sql(`${a.url}/data/away.root`, ...allow);
    expect(sqlRefused.code).toBe(1);
    expect(sqlRefused.err).toContain('io/redirect-refused');
    expect(b.log).toEqual([]);
  });

  it('a prefix that is not an http(s) URL with a path is a usage error', async () => {
    for (const bad of ['ftp://host/data/', 'http://host', 'data/']) {
      const r = await runCli('query', QUERY, SAMPLE, ...LOCAL, '--allow-url-prefix', bad);
      expect(r.code, bad).toBe(1);
      expect(r.err, bad).toContain(`the URL prefix '${bad}' is not an http(s) URL with a path`);
    }
  });

  it('serve (HTTP /query and /sql): URLs under the prefixes only, redirects held to them; none without', async () => {
    const { app } = await buildServer({ dataRoots: [process.cwd()], allowUrlPrefixes: [`${a.url}/data/`] });
    const bare = await buildServer({ dataRoots: [process.cwd()] });
    try {
      const query = async (server: typeof app, file: string) => {
        const r = await server.inject({
          method: 'POST',
          url: '/query',
          payload: { query: QUERY, files: [file] },
        });
        return { status: r.statusCode, body: JSON.parse(r.body) as unknown };
      };
      b.log.length = 0;
      expect(await query(app, `${a.url}/data/hop/sample.root`)).toEqual({ status: 200, body: met });
      const away = await query(app, `${a.url}/data/away.root`);
      expect(away.status).toBe(400);
      expect(JSON.stringify(away.body)).toContain('io/redirect-refused');
      const outside = await query(app, `${b.url}/data/x.root`);
      expect(outside.status).toBe(403);
      expect(JSON.stringify(outside.body)).toContain('sql/file-refused');
      const none = await query(bare.app, `${a.url}/data/hop/sample.root`);
      expect(none.status).toBe(403);
      const sql = await app.inject({
        method: 'POST',
        url: '/sql',
        payload: { sql: `SELECT count(*) AS n FROM root('${a.url}/data/hop/sample.root', 'Events')` },
      });
      expect(sql.statusCode, sql.body).toBe(200);
      expect(JSON.parse(sql.body)).toEqual([{ n: met.length }]);
      expect(b.log).toEqual([]);
    } finally {
      await app.close();
      await bare.app.close();
    }
  });
});
