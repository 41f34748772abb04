/**
 * SQL output values exactly as DuckDB gives them (issue 15), checked against DuckDB itself on a separate
 * instance: text formats (csv, table, jsonl, json) against `CAST(x AS VARCHAR)` and `to_json(x)`; Parquet read
 * back by DuckDB (`read_parquet`) and compared with the original values in SQL (`EXCEPT` both ways is empty)
 * and their types; Arrow's logical types; and the same through `hepq sql` and HTTP `/sql`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../../server/http/app.js';
import { Session } from '../../../server/session.js';
import { encodeResult } from '../../../server/sql/index.js';
import { runCli } from '../../helpers/cli.js';
import { SHARED } from '../../helpers/shared-data.js';

/** Scalars whose DuckDB text has no comma, quote or newline (so a CSV line is the texts joined by commas). */
const SCALARS = [
  '1.5::DECIMAL(4,1)',
  '-123.456::DECIMAL(9,3)',
  '12345678.9::DECIMAL(18,1)',
  '12345678901234567890.12::DECIMAL(38,2)',
  '2.50::DECIMAL(5,2)',
  '0.1::DECIMAL(3,1) * 3',
  '170141183460469231731687303715884105727::HUGEINT',
  '-12::HUGEINT',
  '340282366920938463463374607431768211455::UHUGEINT',
  '12345678901234567890123::VARINT',
  "DATE '2024-02-29'",
  "DATE '-0044-03-15'",
  "'infinity'::DATE",
  "TIME '12:34:56.789012'",
  "'12:34:56.5+02:30'::TIMETZ",
  "TIMESTAMP '2024-01-02 03:04:05.123456'",
  "'2024-01-02 03:04:05.123456789'::TIMESTAMP_NS",
  "'2024-01-02 03:04:05.123'::TIMESTAMP_MS",
  "'2024-01-02 03:04:05'::TIMESTAMP_S",
  "'2024-01-02 03:04:05.123456+00'::TIMESTAMPTZ",
  "TIMESTAMP '0001-01-01 00:00:00' - INTERVAL 1 DAY",
  "'0001-03-01 (BC) 00:00:00.5+00'::TIMESTAMPTZ",
  "DATE '0001-02-03 (BC)'",
  "'infinity'::TIMESTAMP",
  "INTERVAL '1 year 2 months 3 days 04:05:06.789'",
  "'\\x5C\\x22\\x27ab\\x7F\\x00\\xFF'::BLOB",
  "'10101'::BIT",
  "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID",
  "'b'::ENUM('a', 'b')",
  "'héllo wörld ✓ 𝄞'",
];

/** Nested values of those types (JSON, Arrow and Parquet; the text formats print them as DuckDB casts them). */
const NESTED = [
  '[1.5::DECIMAL(4,1), NULL, 12345678901234567890.12]',
  "{'x': 2.25::DECIMAL(5,2), 't': TIME '01:02:03', 'ts': '2024-01-02 03:04:05.123456789'::TIMESTAMP_NS}",
  "[{'d': DATE '2024-02-29', 'b': '\\xAA'::BLOB}, NULL]",
  "[[TIMESTAMP '2024-01-02 03:04:05.5'], []]",
];

/** MAP, UNION, ARRAY and nested text types: JSON as to_json writes them (not in the Parquet check). */
const OBJECTS = [
  "MAP {'a': 1, 'b': 2}",
  "MAP {1.5: DATE '2024-01-01', 2.5: NULL}",
  'union_value(num := 2)::UNION(num INT, s VARCHAR)',
  "union_value(t := TIMESTAMP '2024-01-02 03:04:05.123456')::UNION(t TIMESTAMP, s VARCHAR)",
];

/** Each expression as column c<k> of row x = 1, NULL in row x = 2. */
const rows = (exprs: readonly string[], wrap = (e: string) => e) =>
  `SELECT ${exprs.map((e, k) => `${wrap(`CASE WHEN x = 1 THEN ${e} END`)} AS c${k}`).join(', ')} FROM (VALUES (1), (2)) t(x) ORDER BY x`;

/** What hepq's JSON holds for a to_json number: the number, or (a number a double would not print back) its text as a string. */
function jsonToken(tok: string): string {
  const digits = tok.includes('.') ? tok.replace(/0+$/, '').replace(/\.$/, '') : tok;
  return String(Number(tok)) === digits ? tok : JSON.stringify(tok);
}

/** to_json's text with each number token as hepq writes it. */
const hepqJson = (toJson: string) =>
  toJson.replace(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g, (tok) =>
    tok[0] === '"' ? tok : jsonToken(tok),
  );

describe('SQL output values as DuckDB gives them', () => {
  let session: Session;
  let reference: DuckDBInstance;
  let con: DuckDBConnection;
  beforeAll(async () => {
    session = new Session();
    reference = await DuckDBInstance.create(':memory:');
    con = await reference.connect();
  });
  afterAll(async () => {
    con.closeSync();
    reference.closeSync();
    await session.close();
  });
  const duck = async (sql: string) => (await con.runAndReadAll(sql)).getRows()[0]!.map((v) => v as string);

  it("csv, table and the JSON formats print DuckDB's VARCHAR cast and to_json", async () => {
    const text = await duck(rows(SCALARS, (e) => `CAST(${e} AS VARCHAR)`));
    const r = await session.sql(rows(SCALARS));
    const names = SCALARS.map((_, k) => `c${k}`);
    expect(await encodeResult(r, 'csv')).toBe(
      `${names.join(',')}\n${text.join(',')}\n${names.map(() => '').join(',')}\n`,
    );
    const table = (await encodeResult(r, 'table')) as string;
    const cells = table
      .split('\n')
      .slice(2, 4)
      .map((l) => l.split(' │ ').map((c) => c.trim()));
    expect(cells[0]).toEqual(text);
    expect(cells[1]).toEqual(names.map(() => 'NULL'));

    const all = [...SCALARS, ...NESTED, ...OBJECTS];
    const json = await duck(rows(all, (e) => `to_json(${e})::VARCHAR`));
    const want = [
      Object.fromEntries(json.map((tok, k) => [`c${k}`, JSON.parse(hepqJson(tok))])),
      Object.fromEntries(all.map((_, k) => [`c${k}`, null])),
    ];
    const nested = await session.sql(rows(all));
    const jsonl = (await encodeResult(nested, 'jsonl')) as string;
    expect(
      jsonl
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    ).toEqual(want);
    expect(JSON.parse((await encodeResult(nested, 'json')) as string)).toEqual(want);
    const line = jsonl.split('\n')[0]!;
    // the digits that do not survive a double are there as text
    expect(line).toContain('"c3":"12345678901234567890.12"');
    expect(line).toContain('"c0":1.5');
    // csv and table print nested values as DuckDB's VARCHAR cast too (decimals with their digits)
    const list = (await duck(`SELECT CAST(${NESTED[0]} AS VARCHAR)`))[0]!;
    const r0 = await session.sql(`SELECT ${NESTED[0]} AS l`);
    expect(await encodeResult(r0, 'csv')).toBe(`l\n"${list}"\n`);
    expect(((await encodeResult(r0, 'table')) as string).split('\n')[2]).toBe(list);
  });

  /** Expressions Arrow and Parquet carry with their DuckDB types. */
  const TYPED = [
    '1.5::DECIMAL(4,1)',
    '-123.456::DECIMAL(9,3)',
    '12345678.9::DECIMAL(18,1)',
    '-12345678901234567890.12::DECIMAL(38,2)',
    '-99999999999999999999999999999999999999::HUGEINT',
    "DATE '2024-02-29'",
    "DATE '-0044-03-15'",
    "TIME '12:34:56.789012'",
    "TIMESTAMP '2024-01-02 03:04:05.123456'",
    "'2024-01-02 03:04:05.123456789'::TIMESTAMP_NS",
    "'1969-12-31 23:59:59.999'::TIMESTAMP_MS",
    "'2024-01-02 03:04:05'::TIMESTAMP_S",
    "'2024-01-02 03:04:05.123456+00'::TIMESTAMPTZ",
    "TIMESTAMP '0001-01-01 00:00:00' - INTERVAL 1 DAY",
    "'\\x5C\\x22\\x27ab\\x7F\\x00\\xFF'::BLOB",
    ...NESTED,
  ];

  it('Parquet read back by DuckDB holds the same values with the same types', async () => {
    const r = await session.sql(rows(TYPED));
    const dir = mkdtempSync(join(tmpdir(), 'hepq-sql-values-'));
    try {
      const file = join(dir, 'r.parquet');
      writeFileSync(file, (await encodeResult(r, 'parquet')) as Uint8Array);
      const back = `SELECT * FROM read_parquet('${file}')`;
      const count = async (sql: string) => Number((await con.runAndReadAll(sql)).getRows()[0]![0]);
      expect(await count(`SELECT count(*) FROM (${back} EXCEPT ALL SELECT * FROM (${rows(TYPED)}))`)).toBe(0);
      expect(await count(`SELECT count(*) FROM (SELECT * FROM (${rows(TYPED)}) EXCEPT ALL ${back})`)).toBe(0);
      expect(await count(back.replace('*', 'count(*)'))).toBe(2);
      const types = await duck(
        `SELECT ${TYPED.map((_, k) => `typeof(c${k})`).join(', ')} FROM read_parquet('${file}') LIMIT 1`,
      );
      const want = await duck(`SELECT ${TYPED.map((e) => `typeof(${e})`).join(', ')}`);
      // DuckDB reads Parquet's millisecond timestamps (and Parquet has no seconds) as TIMESTAMP; HUGEINT went as DECIMAL(38,0)
      const parquetOf = (t: string) =>
        t === 'TIMESTAMP_S' || t === 'TIMESTAMP_MS' ? 'TIMESTAMP' : t === 'HUGEINT' ? 'DECIMAL(38,0)' : t;
      expect(types).toEqual(want.map(parquetOf));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Arrow carries decimal128, date32, time64, timestamps with unit and zone, binary', async () => {
    const r = await session.sql(rows(TYPED.slice(0, 15)));
    const t = arrow.tableFromIPC((await encodeResult(r, 'arrow')) as Uint8Array);
    const type = (k: number) => t.schema.fields[k]!.type;
    expect(type(0)).toMatchObject({ typeId: arrow.Type.Decimal, precision: 4, scale: 1, bitWidth: 128 });
    expect(type(3)).toMatchObject({ typeId: arrow.Type.Decimal, precision: 38, scale: 2 });
    expect(type(4)).toMatchObject({ typeId: arrow.Type.Decimal, precision: 38, scale: 0 });
    expect(arrow.DataType.isDate(type(5))).toBe(true);
    expect(type(7)).toMatchObject({
      typeId: arrow.Type.Time,
      unit: arrow.TimeUnit.MICROSECOND,
      bitWidth: 64,
    });
    expect(type(8)).toMatchObject({
      typeId: arrow.Type.Timestamp,
      unit: arrow.TimeUnit.MICROSECOND,
      timezone: null,
    });
    expect(type(9)).toMatchObject({ unit: arrow.TimeUnit.NANOSECOND });
    expect(type(10)).toMatchObject({ unit: arrow.TimeUnit.MILLISECOND });
    expect(type(11)).toMatchObject({ unit: arrow.TimeUnit.SECOND });
    expect(type(12)).toMatchObject({ unit: arrow.TimeUnit.MICROSECOND, timezone: 'UTC' });
    expect(arrow.DataType.isBinary(type(14))).toBe(true);
    // values: the epoch counts DuckDB itself gives
    const [us, ns, ms, days] = (
      await con.runAndReadAll(
        `SELECT epoch_us(${TYPED[8]}), epoch_ns(${TYPED[9]}), epoch_ms(${TYPED[10]}), (${TYPED[6]} - DATE '1970-01-01')::BIGINT`,
      )
    ).getRows()[0]!;
    const raw = (k: number) => t.getChildAt(k)!.data[0]!.values;
    expect(raw(8)[0]).toBe(us);
    expect(raw(9)[0]).toBe(ns);
    expect(raw(10)[0]).toBe(ms);
    expect(BigInt(raw(6)[0])).toBe(days);
    expect(t.getChildAt(0)!.nullCount).toBe(1);
    // hepq's read_arrow reads them back as the same values (DuckDB's EXCEPT both ways is empty)
    const dir = mkdtempSync(join(tmpdir(), 'hepq-sql-values-'));
    try {
      const file = join(dir, 'r.arrow');
      writeFileSync(file, (await encodeResult(r, 'arrow')) as Uint8Array);
      const orig = `SELECT * FROM (${rows(TYPED.slice(0, 15))})`;
      const back = `SELECT * FROM read_arrow('${file}')`;
      for (const sql of [`${back} EXCEPT ALL ${orig}`, `${orig} EXCEPT ALL ${back}`])
        expect((await session.sql(`SELECT count(*) FROM (${sql})`)).columns[0]).toEqual([0n]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // the library's SqlResult.toArrow() gives the same types
    expect(r.toArrow().schema.fields.map((f) => String(f.type))).toEqual(
      t.schema.fields.map((f) => String(f.type)),
    );
  });

  const ONE = [
    '12345678901234567890.12::DECIMAL(38,2)',
    "'2024-01-02 03:04:05.123456789'::TIMESTAMP_NS",
    "'10101'::BIT",
    '170141183460469231731687303715884105727::HUGEINT',
  ];
  const one = `SELECT ${ONE.map((e, k) => `${e} AS c${k}`).join(', ')}`;

  it('hepq sql prints them (csv, json)', async () => {
    const text = await duck(`SELECT ${ONE.map((e) => `CAST(${e} AS VARCHAR)`).join(', ')}`);
    const csv = await runCli('sql', one, '--format', 'csv');
    expect(csv.code).toBe(0);
    expect(csv.out).toBe(`c0,c1,c2,c3\n${text.join(',')}\n`);
    const json = await runCli('sql', one, '--format', 'json');
    expect(JSON.parse(json.out)).toEqual([Object.fromEntries(text.map((v, k) => [`c${k}`, v]))]);
  });

  it('HTTP /sql answers them (jsonl, csv)', async () => {
    const text = await duck(`SELECT ${ONE.map((e) => `CAST(${e} AS VARCHAR)`).join(', ')}`);
    const server = await buildServer({ dataRoots: [SHARED], token: 't0ken', maxRows: 100 });
    try {
      const post = (format: string) =>
        server.app.inject({
          method: 'POST',
          url: '/sql',
          headers: { authorization: 'Bearer t0ken' },
          payload: { sql: one, format },
        });
      const csv = await post('csv');
      expect(csv.statusCode).toBe(200);
      expect(csv.body).toBe(`c0,c1,c2,c3\n${text.join(',')}\n`);
      const jsonl = await post('jsonl');
      expect(JSON.parse(jsonl.body)).toEqual(Object.fromEntries(text.map((v, k) => [`c${k}`, v])));
    } finally {
      await server.app.close();
    }
  });
});
