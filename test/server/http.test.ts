/**
 * The HTTP server through fastify's inject: results in every format checked against DuckDB on the Parquet
 * copy of the events (an independent reader), errors as 4xx JSON with locations, auth, limits, metrics and
 * the OpenAPI description.
 */
import * as arrow from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type HepqServer } from '../../server/http/app.js';
import { Session } from '../../server/session.js';
import { SHARED } from '../helpers/shared-data.js';
import { ADL_PARQUET, HAVE_ADL, lit } from './sql/helpers.js';

const ROOT_FILE = 'func_adl_uproot/Run2012B_SingleMu_1000.root';
const AUTH = { authorization: 'Bearer s3cret-token' };

describe.skipIf(!HAVE_ADL)('HTTP server', () => {
  let server: HepqServer;
  const reference = new Session();
  beforeAll(async () => {
    server = await buildServer({
      dataRoots: [`${SHARED}conformance-data`],
      token: 's3cret-token',
      maxConcurrent: 4,
      maxQueue: 0,
      // generous: a busy machine must not time out ordinary queries (the timeout test has its own server)
      queryTimeoutMs: 300_000,
      bodyLimit: 4096,
      maxRows: 5000,
    });
  });
  afterAll(async () => {
    await server.app.close();
    await reference.close();
  });
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    server.app.inject({ method: 'POST', url, headers: { ...AUTH, ...headers }, payload: payload as string });

  async function expected(sql: string) {
    const r = await reference.sql(sql);
    return r.columns[0]!.map(Number);
  }

  it('POST /sql answers JSON rows, as DuckDB reads the same events from Parquet', async () => {
    const res = await post('/sql', {
      sql: `SELECT hist_bin(MET.pt, 0, 200, 20) AS x, count(*) AS n FROM root('${ROOT_FILE}', 'Events') GROUP BY x ORDER BY x`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const rows = res.json() as Array<{ x: number; n: number }>;
    const want = await expected(
      `SELECT count(*) FROM read_parquet(${lit(ADL_PARQUET)}) GROUP BY hist_bin(MET.pt, 0, 200, 20) ORDER BY hist_bin(MET.pt, 0, 200, 20)`,
    );
    expect(rows.map((r) => r.n)).toEqual(want);
    expect(rows.reduce((a, r) => a + r.n, 0)).toBe(1000);
  });

  it('text/plain SQL, and Arrow, CSV, JSON lines and Parquet by Accept or format', async () => {
    const sql = `SELECT event, len(Jet) AS jets FROM root('${ROOT_FILE}', 'Events') ORDER BY event LIMIT 5`;
    const want = await reference.sql(
      `SELECT event, len(Jet) AS jets FROM read_parquet(${lit(ADL_PARQUET)}) ORDER BY event LIMIT 5`,
    );
    const plain = await post('/sql', sql, { 'content-type': 'text/plain' });
    expect(plain.json().map((r: { jets: number }) => r.jets)).toEqual(want.columns[1]!.map(Number));

    const ipc = await post('/sql', { sql }, { accept: 'application/vnd.apache.arrow.stream' });
    expect(ipc.headers['content-type']).toBe('application/vnd.apache.arrow.stream');
    const table = arrow.tableFromIPC(ipc.rawPayload);
    expect(table.numRows).toBe(5);
    expect([...table.getChild('jets')!].map(Number)).toEqual(want.columns[1]!.map(Number));
    expect([...table.getChild('event')!].map(Number)).toEqual(want.columns[0]!.map(Number));

    const csv = await post('/sql', { sql, format: 'csv' });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.trim().split('\n')[0]).toBe('event,jets');
    expect(
      csv.body
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => Number(l.split(',')[1])),
    ).toEqual(want.columns[1]!.map(Number));

    const jsonl = await post('/sql', { sql }, { accept: 'application/x-ndjson' });
    expect(
      jsonl.body
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).jets),
    ).toEqual(want.columns[1]!.map(Number));

    const pq = await post('/sql?format=parquet', sql, { 'content-type': 'text/plain' });
    expect(pq.headers['content-type']).toBe('application/vnd.apache.parquet');
    expect(pq.rawPayload.subarray(0, 4).toString()).toBe('PAR1');

    const none = await post('/sql', { sql }, { accept: 'image/png' });
    expect(none.statusCode).toBe(406);
  });

  it('POST /query runs func_adl over files under the data roots', async () => {
    const res = await post('/query', {
      query: "Select(lambda e: {'met': e.MET_pt}).Where(lambda r: r.met > 60)",
      files: [ROOT_FILE],
    });
    expect(res.statusCode).toBe(200);
    const got = (res.json() as Array<{ met: number }>).map((r) => r.met);
    const want = await expected(`SELECT MET.pt FROM read_parquet(${lit(ADL_PARQUET)}) WHERE MET.pt > 60`);
    expect(got.length).toBe(want.length);
    got.forEach((v, i) => {
      expect(Math.abs(v - want[i]!)).toBeLessThan(1e-4);
    });
    const ipc = await post('/query', {
      query: 'Select(lambda e: e.nJet)',
      files: [ROOT_FILE],
      format: 'arrow',
    });
    expect(arrow.tableFromIPC(ipc.rawPayload).numRows).toBe(1000);
  });

  it('every bad request is a 4xx with a JSON error body, and the server keeps serving', async () => {
    const cases: Array<[string, unknown, Record<string, string>, number, string]> = [
      ['/sql', '{"sql": ', { 'content-type': 'application/json' }, 400, 'server/bad-request'],
      ['/sql', { sql: 'SELEC 1' }, {}, 400, 'sql/parser'],
      ['/sql', { sql: `SELECT Muon_ptt FROM root('${ROOT_FILE}', 'Events')` }, {}, 400, 'sql/binder'],
      ['/sql', { sql: "SELECT * FROM root('missing.root', 'Events')" }, {}, 404, 'sql/no-such-file'],
      ['/sql', { sql: "SELECT * FROM root('../data/root/x.root', 'Events')" }, {}, 403, 'sql/file-refused'],
      ['/sql', { sql: "COPY (SELECT 1) TO 'out.csv'" }, {}, 403, 'sql/'],
      ['/sql', { sql: "ATTACH 'x.db'" }, {}, 403, 'sql/'],
      ['/sql', { sql: 'SELECT * FROM range(100000)' }, {}, 413, 'sql/result-too-large'],
      ['/sql', { sql: "SELECT error('boom')" }, {}, 400, 'sql/'],
      ['/sql', { sql: 'x'.repeat(5000) }, {}, 413, 'server/body-too-large'],
      ['/sql', { nosql: 1 }, {}, 400, 'server/invalid-request'],
      ['/query', { query: 'Select(lambda e: e.MET_ptt)', files: [ROOT_FILE] }, {}, 400, 'planner/type'],
      ['/query', { query: 'Select(lambda e: e.MET_pt', files: [ROOT_FILE] }, {}, 400, ''],
      [
        '/query',
        { query: 'Select(lambda e: e.MET_pt)', files: ['/etc/passwd'] },
        {},
        403,
        'sql/file-refused',
      ],
      ['/query', { query: 'Select(lambda e: e.MET_pt)' }, {}, 400, 'server/'],
    ];
    for (const [url, payload, headers, status, code] of cases) {
      const res = await post(url, typeof payload === 'string' ? payload : JSON.stringify(payload), {
        'content-type': 'application/json',
        ...headers,
      });
      expect(res.statusCode, `${url} ${JSON.stringify(payload).slice(0, 80)}: ${res.body}`).toBe(status);
      const body = res.json() as { error: { code: string; message: string } };
      expect(body.error.code.startsWith(code), body.error.code).toBe(true);
      expect(body.error.message.length).toBeGreaterThan(0);
    }
    const parse = (await post('/sql', { sql: 'SELECT 1;\nSELECT * FROM range(3) WHERE rnge > 1' })).json();
    expect(parse.error.location).toMatchObject({ line: 2, column: 30, start: 39, end: 43 });
    expect((await post('/sql', { sql: 'SELECT 1 AS ok' })).json()).toEqual([{ ok: 1 }]);
  });

  it('needs the bearer token (but not for /health and /docs)', async () => {
    const no = await server.app.inject({ method: 'POST', url: '/sql', payload: { sql: 'SELECT 1' } });
    expect(no.statusCode).toBe(401);
    expect(no.json().error.code).toBe('server/unauthorized');
    const wrong = await server.app.inject({
      method: 'POST',
      url: '/sql',
      headers: { authorization: 'Bearer s3cret-tokem' },
      payload: { sql: 'SELECT 1' },
    });
    expect(wrong.statusCode).toBe(401);
    expect((await server.app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({
      status: 'ok',
    });
    const spec = (await server.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/sql', '/query', '/health', '/metrics']),
    );
    expect((await server.app.inject({ method: 'GET', url: '/docs' })).statusCode).toBe(200);
  });

  it('times out long queries (408), caps concurrency (429), and counts it all in /metrics', async () => {
    // its own server with a short limit: the query below runs for hours, so it times out however busy the machine is
    const short = await buildServer({
      dataRoots: [`${SHARED}conformance-data`],
      token: 's3cret-token',
      maxConcurrent: 4,
      maxQueue: 0,
      queryTimeoutMs: 1500,
    });
    const post = (url: string, payload: unknown) =>
      short.app.inject({ method: 'POST', url, headers: AUTH, payload: payload as object });
    const slow = 'SELECT sum(range * 1.0) FROM range(40000000000)';
    const timeout = await post('/sql', { sql: slow });
    expect(timeout.statusCode).toBe(408);
    expect(timeout.json().error.code).toBe('server/timeout');
    const burst = await Promise.all(Array.from({ length: 6 }, () => post('/sql', { sql: slow })));
    const codes = burst.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 429).length).toBe(2);
    expect(codes.filter((c) => c === 408).length).toBe(4);
    const metrics = (await short.app.inject({ method: 'GET', url: '/metrics', headers: AUTH })).body;
    expect(metrics).toMatch(/hepq_queries_rejected_total 2/);
    expect(metrics).toMatch(/hepq_queries_timed_out_total 5/);
    expect(metrics).toMatch(/hepq_queries_in_flight 0/);
    expect(metrics).toMatch(/hepq_http_requests_total\{route="\/sql",status="408"\} \d+/);
    await short.app.close();
  });
});
