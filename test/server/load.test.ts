/**
 * Load test on 127.0.0.1 (autocannon, bounded in count and time): good and bad requests mixed on 16
 * connections give only 2xx and 4xx — no 5xx, no dropped connections — memory stays flat over rounds; 200
 * connections are all answered through the admission queue while /health still answers; and a client that
 * disconnects cancels its query.
 */
import { request } from 'node:http';
import * as arrow from 'apache-arrow';
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type HepqServer } from '../../server/http/app.js';
import { SHARED } from '../helpers/shared-data.js';
import { HAVE_ADL } from './sql/helpers.js';

const ROOT_FILE = 'func_adl_uproot/Run2012B_SingleMu_1000.root';
const json = { 'content-type': 'application/json' };
const REQUESTS = [
  { method: 'POST', path: '/sql', headers: json, body: JSON.stringify({ sql: 'SELECT 1 AS one' }) },
  {
    method: 'POST',
    path: '/sql',
    headers: json,
    body: JSON.stringify({ sql: `SELECT count(*) FROM root('${ROOT_FILE}', 'Events') WHERE nMuon >= 2` }),
  },
  { method: 'POST', path: '/sql', headers: json, body: '{"sql": "SELECT' },
  { method: 'POST', path: '/sql', headers: json, body: JSON.stringify({ sql: 'SELEC 1' }) },
  {
    method: 'POST',
    path: '/sql',
    headers: json,
    body: JSON.stringify({ sql: `SELECT nope FROM root('${ROOT_FILE}', 'Events')` }),
  },
  {
    method: 'POST',
    path: '/sql',
    headers: json,
    body: JSON.stringify({ sql: "SELECT * FROM root('gone.root', 'Events')" }),
  },
  {
    method: 'POST',
    path: '/sql',
    headers: json,
    body: JSON.stringify({ sql: "COPY (SELECT 1) TO 'x.csv'" }),
  },
  {
    method: 'POST',
    path: '/sql',
    headers: json,
    body: JSON.stringify({ sql: "SELECT error('thrown by the query')" }),
  },
  { method: 'POST', path: '/sql', headers: { 'content-type': 'text/plain' }, body: 'SELECT 2 AS two' },
  {
    method: 'POST',
    path: '/query',
    headers: json,
    body: JSON.stringify({ query: 'Select(lambda e: e.nMuon).Where(lambda n: n > 3)', files: [ROOT_FILE] }),
  },
  {
    method: 'POST',
    path: '/query',
    headers: json,
    body: JSON.stringify({ query: 'Select(lambda e: e.nMuonn)', files: [ROOT_FILE] }),
  },
  {
    method: 'POST',
    path: '/query',
    headers: json,
    body: JSON.stringify({ query: 'Select(lambda e: ', files: [ROOT_FILE] }),
  },
  { method: 'GET', path: '/nowhere' },
];

describe.skipIf(!HAVE_ADL)('HTTP server under load', () => {
  let server: HepqServer;
  let url: string;
  beforeAll(async () => {
    server = await buildServer({
      dataRoots: [`${SHARED}conformance-data`],
      maxConcurrent: 64,
      // the server's own timeout is tested in http.test.ts; here a busy machine must not turn slow into 408
      queryTimeoutMs: 600_000,
    });
    url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => server.app.close());

  const round = () =>
    autocannon({
      url,
      connections: 16,
      amount: 800,
      // seconds a request may take: a hang guard only (the round ends after `amount` requests, however long)
      timeout: 600,
      requests: REQUESTS as autocannon.Request[],
    });

  it('mixed good and bad requests: only 2xx and 4xx, memory flat, still serving', async () => {
    const rss: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await round();
      const codes = Object.keys(r.statusCodeStats ?? {}).map(Number);
      expect(r.errors, 'connection errors').toBe(0);
      expect(r.timeouts, 'timeouts').toBe(0);
      expect(
        codes.filter((c) => c >= 500),
        `5xx in ${JSON.stringify(r.statusCodeStats)}`,
      ).toEqual([]);
      expect(r['2xx']).toBeGreaterThan(60);
      expect(r['4xx']).toBeGreaterThan(60);
      expect(r['2xx'] + r['4xx']).toBe(r.requests.total);
      rss.push(process.memoryUsage().rss);
    }
    // After the first round has warmed caches and pools, more rounds do not grow the process.
    process.stderr.write(`load test rss MiB: ${rss.map((m) => (m / 2 ** 20).toFixed(0)).join(' ')}\n`);
    expect(rss[2]! - rss[0]!, `rss ${rss.map((m) => (m / 2 ** 20).toFixed(0)).join(' → ')} MiB`).toBeLessThan(
      64 * 2 ** 20,
    );
    const health = await fetch(`${url}/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', inFlight: 0 });
  });

  it('200 connections: every query answered in turn (no 429), /health answering meanwhile', async () => {
    const order: string[] = [];
    const burst = autocannon({
      url: `${url}/sql`,
      method: 'POST',
      headers: json,
      body: JSON.stringify({ sql: 'SELECT 42 AS answer' }),
      connections: 200,
      amount: 2000,
      timeout: 60,
    }).then((r) => {
      order.push('burst');
      return r;
    });
    while (server.metrics.inFlight === 0) await new Promise((r) => setImmediate(r));
    const health = await fetch(`${url}/health`);
    order.push('health');
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    const r = await burst;
    expect(order).toEqual(['health', 'burst']);
    expect(r.errors).toBe(0);
    expect(r.timeouts).toBe(0);
    expect(r.statusCodeStats).toEqual({ '200': { count: 2000 } });
    // Queries autocannon sent past its count finish before the next test looks at the counters.
    while (server.metrics.inFlight > 0 || server.metrics.queued > 0)
      await new Promise((r) => setImmediate(r));
  });

  it('large results stream (Arrow, JSON, CSV), complete and in order', async () => {
    const n = 80_000; // beyond the rows answered whole
    const sql = `SELECT range AS i, [range, range + 1] AS pair FROM range(${n}) ORDER BY i`;
    const post = (format: string) =>
      fetch(`${url}/sql`, { method: 'POST', headers: json, body: JSON.stringify({ sql, format }) });
    const ipc = await post('arrow');
    expect(ipc.headers.get('content-length')).toBeNull(); // chunked: streamed
    const table = arrow.tableFromIPC(new Uint8Array(await ipc.arrayBuffer()));
    expect(table.numRows).toBe(n);
    const i = table.getChild('i')!.toArray() as BigInt64Array;
    let sum = 0n;
    for (const v of i) sum += v;
    expect(sum).toBe(BigInt((n * (n - 1)) / 2));
    expect([...table.getChild('pair')!.get(n - 1)!].map(Number)).toEqual([n - 1, n]);
    const rows = (await (await post('json')).json()) as Array<{ i: number; pair: number[] }>;
    expect(rows.length).toBe(n);
    expect(rows[n - 1]).toEqual({ i: n - 1, pair: [n - 1, n] });
    const csv = (await (await post('csv')).text()).trimEnd().split('\n');
    expect(csv.length).toBe(n + 1);
    // DuckDB's text of a list (CAST([0, 1] AS VARCHAR)), as its COPY … TO csv writes it.
    expect(csv[1]).toBe('0,"[0, 1]"');
    expect(csv[n]).toBe(`${n - 1},"[${n - 1}, ${n}]"`);
    expect(server.metrics.inFlight).toBe(0);
  });

  it('a client that disconnects cancels its query', async () => {
    const before = server.metrics.cancelled;
    await new Promise<void>((resolve) => {
      const req = request(`${url}/sql`, { method: 'POST', headers: json });
      req.on('error', () => resolve());
      req.end(JSON.stringify({ sql: 'SELECT sum(range * 1.0) FROM range(40000000000)' }));
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 300);
    });
    // the server notices the disconnect when it next writes or polls: wait for it (the runner's guard catches a hang)
    while (server.metrics.cancelled === before || server.metrics.inFlight > 0)
      await new Promise((r) => setTimeout(r, 50));
    expect(server.metrics.cancelled).toBe(before + 1);
    expect(server.metrics.inFlight).toBe(0);
    const ok = await fetch(`${url}/sql`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ sql: 'SELECT 3 AS x' }),
    });
    expect(await ok.json()).toEqual([{ x: 3 }]);
  });
});
