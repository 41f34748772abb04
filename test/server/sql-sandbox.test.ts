/**
 * The SQL server's allow-list, through POST /sql: table functions and settings that change DuckDB's global
 * state (logging, profiling), write files or disclose the configuration are refused on DuckDB's own parse,
 * located at the call; after every attempt the data root is byte-for-byte unchanged, another client's
 * queries still run, and ordinary SELECTs (readers, CTEs, DESCRIBE, window functions, macros) still pass.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type HepqServer } from '../../server/http/app.js';

/** Every file under `dir` with its contents (the data root's state). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(e.parentPath ?? e.path, e.name);
    out[path] = e.isFile() ? readFileSync(path, 'latin1') : '<dir>';
  }
  return out;
}

describe('SQL server allow-list', () => {
  const root = mkdtempSync(join(tmpdir(), 'hepq-sandbox-'));
  const workspace = join(root, 'workspace.json');
  let server: HepqServer;
  let before: Record<string, string>;
  beforeAll(async () => {
    writeFileSync(workspace, '{"channels": []}\n');
    writeFileSync(join(root, 'events.csv'), 'event,pt\n1,10.5\n2,20.25\n3,30\n');
    before = snapshot(root);
    server = await buildServer({ dataRoots: [root] });
  });
  afterAll(async () => {
    await server.app.close();
    rmSync(root, { recursive: true, force: true });
  });
  const sql = (text: string) =>
    server.app.inject({
      method: 'POST',
      url: '/sql',
      headers: { 'content-type': 'text/plain' },
      payload: text,
    });

  const HOSTILE: Array<[string, string, string]> = [
    [
      `SELECT * FROM enable_logging(storage := 'file', storage_path := '${root}/logs')`,
      'enable_logging',
      'sql/forbidden-function',
    ],
    ['SELECT * FROM enable_logging()', 'enable_logging', 'sql/forbidden-function'],
    [
      `SELECT * FROM enable_profiling(format := 'json', save_location := '${workspace}')`,
      'enable_profiling',
      'sql/forbidden-function',
    ],
    [
      'WITH t AS (SELECT * FROM enable_profiling()) SELECT 1 FROM t',
      'enable_profiling',
      'sql/forbidden-function',
    ],
    [
      'SELECT 1 UNION ALL SELECT count(*) FROM system.main.enable_profiling()',
      'system.main.enable_profiling',
      'sql/forbidden-function',
    ],
    ['SELECT * FROM duckdb_settings()', 'duckdb_settings', 'sql/forbidden-function'],
    ["SELECT current_setting('allowed_directories')", 'current_setting', 'sql/forbidden-function'],
    ['SELECT * FROM pg_settings', 'pg_settings', 'sql/forbidden-table'],
    ['SELECT * FROM information_schema.tables', 'information_schema.tables', 'sql/forbidden-table'],
    [
      'WITH pg_settings AS (SELECT * FROM pg_settings) SELECT * FROM pg_settings',
      'pg_settings',
      'sql/forbidden-table',
    ],
    ["SELECT * FROM query('SELECT * FROM duckdb_settings()')", 'query', 'sql/forbidden-function'],
    ["SELECT * FROM glob('*')", 'glob', 'sql/forbidden-function'],
    ['SELECT sleep_ms(100000)', 'sleep_ms', 'sql/forbidden-function'],
    ['SELECT setseed(0.5)', 'setseed', 'sql/forbidden-function'],
    ["SELECT write_log('x')", 'write_log', 'sql/forbidden-function'],
    ['SELECT * FROM truncate_duckdb_logs()', 'truncate_duckdb_logs', 'sql/forbidden-function'],
    ['SHOW TABLES', 'SHOW TABLES', 'sql/forbidden-statement'],
    ['SELECT 1; CALL enable_logging()', 'CALL enable_logging()', 'sql/forbidden-statement'],
    ['PRAGMA enable_profiling', 'PRAGMA enable_profiling', 'sql/forbidden-statement'],
    ['SET enable_logging = true', 'SET enable_logging = true', 'sql/forbidden-statement'],
  ];

  it('refuses state-changing, file-writing and disclosing calls, located at the call', async () => {
    for (const [text, at, code] of HOSTILE) {
      const res = await sql(text);
      expect(res.statusCode, `${text}: ${res.body}`).toBe(403);
      const { error } = res.json() as {
        error: { code: string; message: string; location: { start: number } };
      };
      expect(error.code, text).toBe(code);
      expect(text.slice(error.location.start).startsWith(at), `${text}: at ${error.location.start}`).toBe(
        true,
      );
      expect(res.body).not.toContain(root); // no allowed directories in answers
    }
  });

  it('refuses a patchset scan that would make the server connect to a queue (cluster :=)', async () => {
    const res = await sql(
      `SELECT * FROM hypotest_patchset('workspace.json', 'patchset.json', cluster := 'redis://127.0.0.1:1')`,
    );
    expect(res.statusCode).toBe(403);
    expect((res.json() as { error: { code: string } }).error.code).toBe('sql/forbidden-function');
  });

  it('leaves the data root unchanged and every later query working', async () => {
    for (const [text] of HOSTILE) await sql(text);
    const after = await sql(`SELECT sum(pt) AS s FROM read_csv('${root}/events.csv')`);
    expect(after.statusCode, after.body).toBe(200);
    expect(after.json()).toEqual([{ s: 10.5 + 20.25 + 30 }]);
    expect(snapshot(root)).toEqual(before);
    expect((await server.app.inject({ method: 'GET', url: '/health' })).json().status).toBe('ok');
  });

  it('long value lists: checked in DuckDB without walking their parse here', async () => {
    const csv = `'${root}/events.csv'`;
    const big = Array.from({ length: 100_000 }, (_, i) => i).join(',');
    const fast = await sql(`SELECT count(*) AS n FROM read_csv(${csv}) WHERE event IN (${big})`);
    expect(fast.statusCode, fast.body.slice(0, 300)).toBe(200);
    expect(fast.json()).toEqual([{ n: 3 }]);
    const hidden = `SELECT event FROM read_csv(${csv}) WHERE event IN (${big}) AND current_setting('threads') > 0`;
    const refused = await sql(hidden);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('sql/forbidden-function');
    expect(hidden.slice(refused.json().error.location.start).startsWith('current_setting(')).toBe(true);
    // With a table to resolve, a parse up to 4 MiB is walked; beyond, the statement is refused (413).
    const mid = Array.from({ length: 5_000 }, (_, i) => i).join(',');
    const walked = await sql(
      `WITH t AS (FROM read_csv(${csv})) SELECT count(*) AS n FROM t WHERE event IN (${mid})`,
    );
    expect(walked.statusCode, walked.body.slice(0, 300)).toBe(200);
    expect(walked.json()).toEqual([{ n: 3 }]);
    const huge = await sql(
      `WITH t AS (FROM read_csv(${csv})) SELECT count(*) AS n FROM t WHERE event IN (${big})`,
    );
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('sql/too-complex');
  });

  it('lets ordinary SELECTs through', async () => {
    const csv = `'${root}/events.csv'`;
    const cases: Array<[string, unknown]> = [
      ['SELECT count(*) AS n FROM range(10)', [{ n: 10 }]],
      [`SELECT count(*) AS n FROM ${csv}`, [{ n: 3 }]],
      [`WITH t AS (SELECT pt FROM read_csv(${csv})) SELECT max(pt) AS m FROM t`, [{ m: 30 }]],
      [
        'WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 4) SELECT sum(n) AS s FROM t',
        [{ s: 10 }],
      ],
      [
        `SELECT event, sum(pt) OVER (ORDER BY event) AS c FROM ${csv} ORDER BY event LIMIT 1`,
        [{ event: 1, c: 10.5 }],
      ],
      ['SELECT [x * 2 FOR x IN range(3)] AS l', [{ l: [0, 2, 4] }]],
      ['SELECT hist_bin(15, 0, 20, 2) AS b', [{ b: 15 }]],
      ['SELECT random() < 1 AS r', [{ r: true }]],
      ['SELECT count(*) AS n FROM (DESCRIBE SELECT 1 AS a, 2 AS b)', [{ n: 2 }]],
    ];
    for (const [text, want] of cases) {
      const res = await sql(text);
      expect(res.statusCode, `${text}: ${res.body}`).toBe(200);
      expect(res.json(), text).toEqual(want);
    }
  });
});
