/**
 * `hepq sql` prints values as DuckDB prints them (issue 15). The reference is a separate DuckDB instance:
 * its `CAST(x AS VARCHAR)` for every cell of a wide table of every type (table format), the file its own CSV
 * writer makes of the same query (`COPY … TO`, compared byte for byte with `--format csv` and HTTP `/sql`
 * csv), its `COPY … (FORMAT json)` for the text-valued types, and its cast of many generated FLOAT and
 * DOUBLE values (their shortest digits, Python-style layout, and fmt's FLOAT fallback).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { buildServer } from '../../../server/http/app.js';
import { runCli } from '../../helpers/cli.js';
import { SHARED } from '../../helpers/shared-data.js';
import { ADL_ROOT, HAVE_ADL, referenceDuckdb } from './helpers.js';

/** Column expressions: [value in row 1, value in row 3]; row 2 is NULL. No text here holds a newline. */
const WIDE: readonly (readonly [string, string])[] = [
  ['true', 'false'],
  ['(-128)::TINYINT', '127::TINYINT'],
  ['255::UTINYINT', '0::UTINYINT'],
  ['(-32768)::SMALLINT', '65535::USMALLINT'],
  ['(-2147483648)::INTEGER', '4294967295::UINTEGER'],
  ['(-9223372036854775808)::BIGINT', '9007199254740993::BIGINT'],
  ['18446744073709551615::UBIGINT', '0::UBIGINT'],
  ['(-170141183460469231731687303715884105728)::HUGEINT', '12::HUGEINT'],
  ['340282366920938463463374607431768211455::UHUGEINT', '0::UHUGEINT'],
  ['(-12345678901234567890123)::VARINT', '7::VARINT'],
  ['0.1::FLOAT', "'nan'::FLOAT"],
  ['3.4028235e38::FLOAT', "'-inf'::FLOAT"],
  ['16777217::FLOAT', '-0.0::FLOAT'],
  ['1.5e10::FLOAT', '23285.0625::FLOAT'],
  ['1e-7::FLOAT', '1.17549435e-38::FLOAT'],
  ['1.0::DOUBLE', "'nan'::DOUBLE"],
  ['1e20::DOUBLE', "'inf'::DOUBLE"],
  ['1e16::DOUBLE', '1e15::DOUBLE'],
  ['1e-5::DOUBLE', '0.0001::DOUBLE'],
  ['-0.0::DOUBLE', '5e-324::DOUBLE'],
  ['123456789012345680000::DOUBLE', '0.1::DOUBLE + 0.2::DOUBLE'],
  ['1.5::DECIMAL(4,1)', '-0.5::DECIMAL(4,1)'],
  ['12345678901234567890.12::DECIMAL(38,2)', '0::DECIMAL(38,2)'],
  ["DATE '2024-02-29'", "DATE '0001-02-03 (BC)'"],
  ["'infinity'::DATE", "'-infinity'::DATE"],
  ["TIME '12:34:56.789012'", "TIME '00:00:00'"],
  ["'12:34:56.5+02:30'::TIMETZ", "'00:00:00-11'::TIMETZ"],
  ["TIMESTAMP '2024-01-02 03:04:05.123456'", "'infinity'::TIMESTAMP"],
  ["'2024-01-02 03:04:05.123456789'::TIMESTAMP_NS", "'1969-12-31 23:59:59.5'::TIMESTAMP_NS"],
  ["'2024-01-02 03:04:05.123'::TIMESTAMP_MS", "'2024-01-02 03:04:05'::TIMESTAMP_S"],
  ["'infinity'::TIMESTAMP_NS", "'-infinity'::TIMESTAMP_NS"],
  ["'-infinity'::TIMESTAMP_MS", "'infinity'::TIMESTAMP_MS"],
  ["'infinity'::TIMESTAMP_S", "'-infinity'::TIMESTAMP_S"],
  ["'12:34:56.123456789'::TIME_NS", "'00:00:00'::TIME_NS"],
  ["'abc' COLLATE NOCASE", "'x'::CHAR"],
  ["'2024-01-02 03:04:05.123456+00'::TIMESTAMPTZ", "'0001-03-01 (BC) 00:00:00.5+00'::TIMESTAMPTZ"],
  ["INTERVAL '1 year 2 months 3 days 04:05:06.789'", "INTERVAL '-1 day'"],
  ["'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID", "'00000000-0000-0000-0000-000000000000'::UUID"],
  ["'b'::ENUM('a,b', 'b')", "'a,b'::ENUM('a,b', 'b')"],
  ["'\\x5C\\x22\\x27ab\\x7F\\x00\\xFF'::BLOB", "''::BLOB"],
  ["'10101'::BIT", "'1'::BIT"],
  ["'héllo wörld ✓ 𝄞'", "''"],
  ["'a,b'", '\'say "hi"\''],
  ["'#tag'", "'NULL'"],
  ["' lead'", "'trail '"],
  ['\'{"k": [1, "x"]}\'::JSON', "'[1,2]'::JSON"],
  ['[1, 2]', '[]::INT[]'],
  ["['a', NULL, 'b c', 'it''s', '', ' x', 'null', 'a\\b', 'x=y', '#']", '[NULL]::VARCHAR[]'],
  ['[0.1::FLOAT, -0.0, 1e20::FLOAT]', "['nan'::DOUBLE, 1.0, 1e-7]"],
  ['[[1.5::DECIMAL(4,1)], NULL, []]', '[[NULL]]::DECIMAL(4,1)[][]'],
  ["{'a': 1, 'b': 'x', 'c': NULL::VARCHAR}", "{'a': NULL, 'b': 'x y', 'c': 'p:q'}"],
  ["{'it''s': [1.0::DOUBLE], 'k\\y': {'n': 'a''b'}}", "{'it''s': NULL, 'k\\y': {'n': NULL}}"],
  ["MAP {'a': 1, 'b c': 2, 'd=e': NULL}", 'MAP {}::MAP(VARCHAR, INTEGER)'],
  ["MAP {1: 'a', 2: NULL, 3: 'x,y'}", "MAP {7: ''}"],
  ['MAP {0.1::FLOAT: [1, 2]}', 'MAP {1e20::FLOAT: []}'],
  ["MAP {[1, 2]: {'q': 'a b'}}", 'MAP {[]::INT[]: NULL}'],
  ["union_value(s := 'a,b')::UNION(n INT, s VARCHAR)", 'union_value(n := 2)::UNION(n INT, s VARCHAR)'],
  [
    "[union_value(s := 'x y')::UNION(n INT, s VARCHAR), NULL]",
    '[union_value(n := -1)::UNION(n INT, s VARCHAR)]',
  ],
  ['[1, 2, 3]::INT[3]', '[NULL, 0, 1]::INT[3]'],
  [
    "[{'d': DATE '2024-02-29', 'b': '\\xAA'::BLOB, 't': TIME '01:02:03'}, NULL]",
    "[{'d': NULL, 'b': ','::BLOB, 't': NULL}]",
  ],
  ["[MAP {'k': 0.1::FLOAT}]", '[NULL]::MAP(VARCHAR, FLOAT)[]'],
  ["{'m': MAP {'a': 'b'}, 'u': union_value(s := 'p,q')::UNION(n INT, s VARCHAR)}", "{'m': NULL, 'u': NULL}"],
  ['[\'{"a":1}\'::JSON, NULL]', "['[]'::JSON]"],
  ["['a,b'::ENUM('a,b', 'c'), 'c']", "['c'::ENUM('a,b', 'c')]"],
  ["[TIMESTAMP '2024-01-02 03:04:05', NULL]", '[]::TIMESTAMP[]'],
  ["[INTERVAL '1 day', INTERVAL '-2 hours']", '[]::INTERVAL[]'],
  ["['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID]", '[NULL]::UUID[]'],
  ["['12:00:00+01'::TIMETZ]", '[]::TIMETZ[]'],
];

/** The columns c0… as three rows: the first values, NULLs, the second values. */
const wideSql = (cols: readonly (readonly [string, string])[]) => {
  const row = (x: number, pick: (c: readonly [string, string]) => string) =>
    `SELECT ${x} AS x, ${cols.map((c, k) => `${pick(c)} AS c${k}`).join(', ')}`;
  const rows = [row(1, (c) => c[0]), row(2, () => 'NULL'), row(3, (c) => c[1])];
  return `SELECT * EXCLUDE (x) FROM (${rows.join(' UNION ALL ')}) ORDER BY x`;
};

/** Texts with a newline or a tab (the table format cannot show them; CSV quotes newlines). */
const CONTROL: readonly (readonly [string, string])[] = [
  ["'a\nb'", "'\r'"],
  ["['a\nb', '\tx']", "['x\r\ny']"],
  ["{'k': 'x\ny'}", "{'k': '\t'}"],
];

describe('hepq sql prints values as DuckDB does', () => {
  const ref = referenceDuckdb('hepq-sql-text-');

  /** The CSV file DuckDB's own writer makes of a query. */
  const duckCsv = async (sql: string, name: string) => readFileSync(await ref.copyTo(sql, name), 'utf8');

  it('--format csv is byte for byte the CSV DuckDB writes (COPY … TO)', async () => {
    for (const [k, cols] of [WIDE, CONTROL].entries()) {
      const sql = wideSql(cols);
      const r = await runCli('sql', sql, '--format', 'csv');
      expect(r.err).toBe('');
      expect(r.out).toBe(await duckCsv(sql, `wide${k}.csv`));
    }
  });

  it("--format table shows each cell as DuckDB's CAST(x AS VARCHAR), NULL as NULL", async () => {
    const sql = wideSql(WIDE);
    const casts = (
      await ref.con.runAndReadAll(
        `SELECT ${WIDE.map((_, k) => `CAST(c${k} AS VARCHAR)`).join(', ')} FROM (${sql})`,
      )
    ).getRows();
    const r = await runCli('sql', sql);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    const header = lines[0]!.split(' │ ');
    // cells start where the header's do (columns are padded to their widest cell)
    const starts = header.map((_, k) => header.slice(0, k).reduce((n, h) => n + h.length + 3, 0));
    const cells = (line: string) =>
      starts.map((s, k) => line.slice(s, k + 1 < starts.length ? starts[k + 1]! - 3 : undefined).trimEnd());
    expect(lines.slice(2, 5).map(cells)).toEqual(
      casts.map((row) => row.map((v) => (v === null ? 'NULL' : (v as string).trimEnd()))),
    );
    expect(lines[5]).toBe('(3 rows)');
  });

  it('HTTP /sql csv is the same file (streamed chunk by chunk)', async () => {
    const sql = wideSql(WIDE);
    const server = await buildServer({ dataRoots: [SHARED], token: 't0ken', maxRows: 100 });
    try {
      const res = await server.app.inject({
        method: 'POST',
        url: '/sql',
        headers: { authorization: 'Bearer t0ken' },
        payload: { sql, format: 'csv' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe(await duckCsv(sql, 'http.csv'));
    } finally {
      await server.app.close();
    }
  });

  it('--format json holds what DuckDB writes as JSON for text-valued types (COPY … (FORMAT json))', async () => {
    const TEXTUAL = WIDE.filter(([a]) => /DATE|TIME|INTERVAL|UUID|ENUM|BLOB|BIT|JSON|MAP|union|^'/.test(a));
    const sql = wideSql(TEXTUAL);
    const file = join(ref.dir, 'r.json');
    await ref.con.run(`COPY (${sql}) TO '${file}' (FORMAT json)`);
    const want = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const r = await runCli('sql', sql, '--format', 'json');
    expect(JSON.parse(r.out)).toEqual(want);
  });

  it('Arrow: TIME_TZ, INTERVAL, UUID, ENUM, JSON… as exact text naming the DuckDB type; cast back, the same values', async () => {
    const COLS = [
      "'12:34:56.5+02:30'::TIMETZ",
      "INTERVAL '1 year 2 months 3 days 04:05:06.789'",
      "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID",
      "'b'::ENUM('a,b', 'b')",
      "'10101'::BIT",
      '340282366920938463463374607431768211455::UHUGEINT',
      "MAP {'k': [1, 2]}",
      "union_value(s := 'x')::UNION(n INT, s VARCHAR)",
      '\'{"k": 1}\'::JSON',
      "[INTERVAL '1 day', NULL]",
    ];
    const sql = `SELECT ${COLS.map((e, k) => `${e} AS c${k}`).join(', ')}`;
    const out = join(ref.dir, 'r.arrow');
    expect((await runCli('sql', sql, '--format', 'arrow', '--out', out)).code).toBe(0);
    const t = arrow.tableFromIPC(readFileSync(out));
    for (const [k, e] of COLS.entries()) {
      const field = t.schema.fields[k]!;
      const type = field.metadata.get('duckdb.type')!;
      // DuckDB reads the type named there as the type of the original
      const typeOf = async (x: string) =>
        (await ref.con.runAndReadAll(`SELECT typeof(${x})`)).getRows()[0]![0];
      expect(await typeOf(`CAST(NULL AS ${type})`)).toBe(await typeOf(e));
      // and the text, cast to it, as the original value (scalars; MAP and UNION carry JSON text)
      const v = t.getChild(field.name)!.get(0);
      if (typeof v !== 'string' || /^(MAP|UNION)/.test(type)) continue;
      const same = await ref.con.runAndReadAll(
        `SELECT CAST($1::VARCHAR AS ${type}) IS NOT DISTINCT FROM ${e}`,
        [v],
      );
      expect([e, same.getRows()[0]![0]]).toEqual([e, true]);
    }
  });

  it('FLOAT and DOUBLE: many values, top level and in lists, as DuckDB casts them', async () => {
    // exact float32 values m·2^e over the whole range (subnormals included), short decimals, integers
    const floats = `SELECT f, [f] AS l FROM (
        SELECT ((hash(i) % 16777216)::DOUBLE * pow(2, (hash(i + 7) % 277)::INT - 172)
                * CASE WHEN i % 2 = 0 THEN 1 ELSE -1 END)::FLOAT AS f FROM range(30000) r(i)
        UNION ALL SELECT ((hash(i) % 100000000)::DOUBLE / pow(10, (hash(i + 3) % 12)::INT))::FLOAT FROM range(20000) r(i)
        UNION ALL SELECT ((hash(i) % 17179869184)::DOUBLE)::FLOAT FROM range(10000) r(i)
        UNION ALL SELECT ((hash(i) % 1048576)::DOUBLE / pow(2, (hash(i + 5) % 24)::INT))::FLOAT FROM range(10000) r(i))`;
    const doubles = `SELECT f, [f] AS l FROM (
        SELECT (hash(i) % 9007199254740992)::DOUBLE * pow(2, (hash(i + 7) % 2045)::INT - 1074) AS f FROM range(20000) r(i)
        UNION ALL SELECT (hash(i) % 1000000000000)::DOUBLE / pow(10, (hash(i + 3) % 30)::INT) FROM range(20000) r(i))`;
    for (const [name, sql] of [
      ['float', floats],
      ['double', doubles],
    ] as const) {
      const r = await runCli(
        'sql',
        `SELECT f, l, CAST(f AS VARCHAR) AS t, CAST(l AS VARCHAR) AS lt FROM (${sql})`,
        '--format',
        'csv',
      );
      expect(r.code).toBe(0);
      const lines = r.out.split('\n').slice(1, -1);
      expect(lines.length).toBeGreaterThan(name === 'float' ? 60000 : 30000);
      const bad = lines.filter((line) => {
        const m = /^([^,]*),"?(\[[^\]]*\])"?,([^,]*),"?(\[[^\]]*\])"?$/.exec(line);
        return !m || m[1] !== m[3] || m[2] !== m[4];
      });
      expect(bad.slice(0, 10)).toEqual([]);
    }
  });

  it.skipIf(!HAVE_ADL)(
    'hepq query (func_adl, not SQL) keeps its own text: float32 shortest, lists as JSON',
    async () => {
      const query = "Select(lambda e: {'met': e.MET_pt, 'mu_pt': e.Muon_pt}).Take(20)";
      const csv = await runCli('query', query, ADL_ROOT, '--format', 'csv');
      const jsonl = await runCli('query', query, ADL_ROOT, '--format', 'jsonl');
      expect(csv.code).toBe(0);
      const rows = jsonl.out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { met: number; mu_pt: number[] });
      // each csv cell is the jsonl value's JSON text (not DuckDB's `[1.5, 2.0]`), float32 as its shortest digits
      const cell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
      expect(csv.out).toBe(
        `met,mu_pt\n${rows.map((r) => `${JSON.stringify(r.met)},${cell(JSON.stringify(r.mu_pt))}`).join('\n')}\n`,
      );
      expect(rows.some((r) => r.mu_pt.length > 1)).toBe(true);
      // float32 as its shortest digits (at most 9 significant), not its float64 expansion (`12.77709674835205`)
      expect(rows.every((r) => Number(r.met.toPrecision(9)) === r.met)).toBe(true);
    },
  );
});
