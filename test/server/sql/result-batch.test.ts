/**
 * SQL results as Batches (issue 16): numbers, text, NULLs as validity, nesting, streaming, the row cap and
 * cancellation. Expected values come from DuckDB read a second way: node-api's own JS value converter on a
 * separate DuckDB instance. The types printed as DuckDB's text (DECIMAL, dates, BLOB, …) are checked against
 * DuckDB's own VARCHAR cast in sql-values.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Column, isValid, typeName } from '../../../exec/batch/index.js';
import { Session } from '../../../server/session.js';
import { encodeResult } from '../../../server/sql/index.js';

const STATEMENTS = [
  `SELECT * FROM (VALUES (1, 'a', 1.5::DOUBLE, true), (NULL, NULL, NULL, NULL), (3, 'c,"q"', 'NaN'::DOUBLE, false)) t(i, s, d, b)`,
  `SELECT 1::TINYINT a, 2::SMALLINT b, 9007199254740993::BIGINT d, 255::UTINYINT e, 4294967295::UINTEGER g, 18446744073709551615::UBIGINT h, 0.1::FLOAT f`,
  `SELECT [1,2,NULL] l, [[1],[2,3],[], NULL] ll, {'a': 1, 'b': [1.5::DOUBLE, NULL]} s, [{'x': 1, 'y': 'a'}, NULL, {'x': NULL, 'y': NULL}] ls, NULL::INT[] nl, [1,2,3]::INT[3] arr`,
  `SELECT CASE WHEN range % 3 = 0 THEN NULL ELSE range END i, CASE WHEN range % 5 = 0 THEN NULL ELSE {'a': range} END s FROM range(5000)`,
  `SELECT 1 AS a WHERE false`,
];

/** node-api's JS values as plain values: Date → ISO text, bytes → hex (the mapping result-batch documents). */
function plain(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

describe('SQL results as Batches', () => {
  let session: Session;
  let reference: DuckDBInstance;
  beforeAll(async () => {
    session = new Session();
    reference = await DuckDBInstance.create(':memory:');
  });
  afterAll(async () => {
    await session.close();
    reference.closeSync();
  });

  it('hold the values DuckDB gives, NULLs included, for every type', async () => {
    const con = await reference.connect();
    for (const sql of STATEMENTS) {
      const want = (await con.runAndReadAll(sql)).getColumnsJS().map((c) => c.map(plain));
      const r = await session.sql(sql);
      expect(r.batch.length).toBe(r.rowCount);
      expect(r.columns, sql).toEqual(want.length ? want : r.names.map(() => []));
      // NULL rows are the batch's invalid rows, at every depth the reference has them at the top
      r.batch.columns.forEach((c: Column, k) => {
        if (c.kind === 'boxed' || c.kind === 'constant' || c.kind === 'fixed-list') return;
        for (let i = 0; i < r.rowCount; i++) expect(isValid(c.validity, i)).toBe(want[k]![i] !== null);
      });
    }
    con.closeSync();
  });

  it('numbers are typed arrays of their DuckDB width; lists and structs nest', async () => {
    const r = await session.sql(STATEMENTS[1]!);
    expect(r.batch.schema.fields.map((f) => typeName(f.type))).toEqual([
      'int8',
      'int16',
      'int64',
      'uint8',
      'uint32',
      'uint64',
      'float32',
    ]);
    const d = r.batch.columns[2]!;
    expect(d.kind === 'primitive' && d.values).toEqual(BigInt64Array.of(9007199254740993n));
    const nested = await session.sql(STATEMENTS[2]!);
    expect(nested.batch.schema.fields.map((f) => typeName(f.type))).toEqual([
      'list<int32>',
      'list<list<int32>>',
      'struct<a:int32, b:list<float64>>',
      'list<struct<x:int32, y:utf8>>',
      'list<int32>',
      'list<int32>',
    ]);
  });

  it('toArrow gives the rows with Arrow nulls', async () => {
    const r = await session.sql(STATEMENTS[0]!);
    const t = arrow.tableFromIPC(arrow.tableToIPC(r.toArrow(), 'stream'));
    expect([...t.getChild('i')!]).toEqual([1, null, 3]);
    expect([...t.getChild('s')!]).toEqual(['a', null, 'c,"q"']);
    expect([...t.getChild('b')!]).toEqual([true, null, false]);
  });

  it('streams a batch per DuckDB chunk, all rows in order', async () => {
    const stream = await session.sqlStream('SELECT range AS i FROM range(5000) ORDER BY i');
    const sizes: number[] = [];
    let next = 0;
    for await (const c of stream) {
      sizes.push(c.batch.length);
      const col = c.batch.columns[0]!;
      if (col.kind !== 'primitive') throw new Error('expected a primitive column');
      for (const v of col.values) expect(v).toBe(BigInt(next++));
    }
    expect(next).toBe(5000);
    expect(sizes.length).toBeGreaterThan(1);
  });

  it('keeps the row cap and cancellation', async () => {
    await expect(session.sql('SELECT * FROM range(10000)', { maxRows: 5000 })).rejects.toMatchObject({
      code: 'sql/result-too-large',
    });
    const ac = new AbortController();
    const stream = await session.sqlStream('SELECT * FROM range(1000000)', { signal: ac.signal });
    let chunks = 0;
    await expect(
      (async () => {
        for await (const _ of stream) if (++chunks === 2) ac.abort();
      })(),
    ).rejects.toMatchObject({ code: 'sql/cancelled' });
    expect(chunks).toBe(2);
  });
  it('encodes NULLs in every format: Parquet read back by DuckDB, Arrow by apache-arrow, text as null/empty/NULL', async () => {
    const sql = STATEMENTS[0]!;
    const r = await session.sql(sql);
    const nan = (c: unknown[]) => c.map((v) => (typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v));
    const dir = mkdtempSync(join(tmpdir(), 'hepq-sql-nulls-'));
    try {
      writeFileSync(join(dir, 'r.parquet'), (await encodeResult(r, 'parquet')) as Uint8Array);
      const con = await reference.connect();
      const back = (await con.runAndReadAll(`SELECT * FROM '${join(dir, 'r.parquet')}'`)).getColumnsJS();
      const want = (await con.runAndReadAll(sql)).getColumnsJS();
      con.closeSync();
      expect(back.map(nan)).toEqual(want.map(nan));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const t = arrow.tableFromIPC((await encodeResult(r, 'arrow')) as Uint8Array);
    expect(t.getChild('i')!.nullCount).toBe(1);
    expect([...t.getChild('d')!].map(String)).toEqual(['1.5', 'null', 'NaN']);
    expect(await encodeResult(r, 'jsonl')).toBe(
      '{"i":1,"s":"a","d":1.5,"b":true}\n{"i":null,"s":null,"d":null,"b":null}\n{"i":3,"s":"c,\\"q\\"","d":"NaN","b":false}\n',
    );
    // csv: byte for byte what DuckDB's own CSV writer makes of the same rows
    const csvDir = mkdtempSync(join(tmpdir(), 'hepq-sql-nulls-'));
    try {
      const con = await reference.connect();
      await con.run(`COPY (${sql}) TO '${join(csvDir, 'r.csv')}'`);
      con.closeSync();
      expect(await encodeResult(r, 'csv')).toBe(readFileSync(join(csvDir, 'r.csv'), 'utf8'));
    } finally {
      rmSync(csvDir, { recursive: true, force: true });
    }
    expect(await encodeResult(r, 'table')).toMatch(/\nNULL +│ NULL +│ NULL +│ NULL\n/);
  });
});
