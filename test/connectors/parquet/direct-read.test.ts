/**
 * The direct Parquet decoder (footer, pages, levels, codecs of our own) against parquet-wasm as the second
 * reader: every column of the shared Spark-written files (SNAPPY, PLAIN_DICTIONARY, BIT_PACKED-listed levels)
 * and of generated files written with each codec, whole and cut to a row range, must read identically
 * (NaN for a null float, as both routes define). A damaged page gives a located `parquet/read` error.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { openParquetTable, type ParquetTable } from '../../../connectors/parquet/index.js';
import { generateEvents } from '../../../connectors/synthetic/index.js';
import { type Batch, HepqError, valueAt } from '../../../exec/batch/index.js';
import { writeParquet } from '../../../server/output/index.js';
import { SHARED } from '../../helpers/shared-data.js';

const DIR = mkdtempSync(join(tmpdir(), 'hepq-pq-direct-'));
const REAL = ['native', 'flat'].map(
  (k) => `${SHARED}conformance-data/adl-benchmark/Run2012B_SingleMu_1000_${k}.parquet`,
);
const CODECS = ['zstd', 'snappy', 'gzip', 'lz4', 'none'] as const;
const generated = (codec: string) => join(DIR, `adl-${codec}.parquet`);

beforeAll(async () => {
  for (const compression of CODECS)
    await writeParquet(
      generated(compression),
      generateEvents({ schema: 'adl', events: 2500, seed: 7, batchSize: 1000, columnOrder: 'columnar' }),
      { widenUnsigned: true, rowGroupRows: 1000, compression },
    );
  // A third writer (DuckDB) with nulls everywhere they can be: flat values, whole lists, list elements,
  // struct fields; empty lists; small and unsigned integers; doubles and 64-bit integers.
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`COPY (SELECT
      CASE WHEN i % 3 = 0 THEN NULL ELSE i * 0.5 END::FLOAT AS x,
      CASE WHEN i % 5 = 0 THEN NULL ELSE i END::BIGINT AS big,
      (i % 300)::SMALLINT AS small, (i % 200)::UTINYINT AS tiny, i * 0.25 AS dbl, i % 2 = 0 AS flag,
      CASE WHEN i % 7 = 0 THEN NULL WHEN i % 4 = 0 THEN []
           ELSE [i, NULL, i + 1] END::FLOAT[] AS l,
      {'a': CASE WHEN i % 6 = 0 THEN NULL ELSE i END::INTEGER, 'b': i * 2.0::DOUBLE} AS s,
      CASE WHEN i % 9 = 0 THEN NULL ELSE [{'pt': i::FLOAT, 'q': NULL::INTEGER}, {'pt': NULL, 'q': 1}] END AS coll
    FROM range(5000) t(i)) TO '${join(DIR, 'duckdb.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
  c.closeSync();
});

async function rows(table: ParquetTable, columns: string[], range?: { start: number; stop: number }) {
  const out: string[] = [];
  let batches = 0;
  for await (const b of table.scan({ columns, ...(range ? { range } : {}) }) as AsyncIterable<Batch>) {
    batches++;
    for (let i = 0; i < b.length; i++)
      out.push(
        JSON.stringify(
          b.columns.map((c) => valueAt(c, i)),
          (_k, v) => (typeof v === 'bigint' ? `${v}n` : Number.isNaN(v) ? 'NaN' : v),
        ),
      );
  }
  return { out, batches };
}

async function compare(path: string, range?: { start: number; stop: number }) {
  const direct = await openParquetTable(path);
  const wasm = await openParquetTable(path, { reader: 'parquet-wasm' });
  // The schema and layout from our footer are parquet-wasm's (arrow-rs's), without starting it.
  expect(direct.schema()).toEqual(wasm.schema());
  expect(direct.statistics()).toEqual(wasm.statistics());
  const columns = direct.schema().fields.map((f) => f.name);
  expect(direct.readerFor(columns)).toBe('direct');
  expect(wasm.readerFor(columns)).toBe('parquet-wasm');
  const [a, b] = [await rows(direct, columns, range), await rows(wasm, columns, range)];
  expect(a.out.length).toBeGreaterThan(0);
  expect(a.out.length).toBe(b.out.length);
  for (let i = 0; i < a.out.length; i++) expect(a.out[i], `${path} row ${i}`).toBe(b.out[i]);
  expect(direct.usesWasm).toBe(false);
  await direct.close();
  await wasm.close();
  return a;
}

describe('direct Parquet reader', () => {
  it.each(REAL)('reads every column of %s as parquet-wasm does', async (path) => {
    const { out } = await compare(path);
    expect(out.length).toBe(1000);
  });

  it.each(CODECS)('reads every column of a generated %s file as parquet-wasm does', async (codec) => {
    const { out, batches } = await compare(generated(codec));
    expect(out.length).toBe(2500);
    expect(batches).toBe(3);
  });

  it('reads nulls, empty lists and small integers written by DuckDB as parquet-wasm does', async () => {
    const { out } = await compare(join(DIR, 'duckdb.parquet'));
    expect(out.length).toBe(5000);
    // Row 3: x null → NaN; row 4: an empty list.
    expect(out[3]).toContain('"NaN"');
    expect(out[4]).toContain('[]');
  });

  it('reads a row range across row groups as parquet-wasm does', async () => {
    const { out } = await compare(generated('zstd'), { start: 900, stop: 2100 });
    expect(out.length).toBe(1200);
  });

  it('skips row groups whose statistics rule a pushed-down filter out, keeping every passing row', async () => {
    const table = await openParquetTable(generated('zstd'));
    expect(table.supportsFilter({ column: 'event', op: '>=', value: 0 })).toBe('inexact');
    expect(table.supportsFilter({ column: 'Jet_pt', op: '>=', value: 0 })).toBe('unsupported');
    const events = async (filters: { column: string; op: '>=' | '<' | '=='; value: number }[]) => {
      const got: number[] = [];
      let batches = 0;
      for await (const b of table.scan({ columns: ['event'], filters }) as AsyncIterable<Batch>) {
        batches++;
        for (let i = 0; i < b.length; i++) got.push(Number(valueAt(b.columns[0]!, i)));
      }
      return { got, batches };
    };
    const all = (await events([])).got;
    expect(all.length).toBe(2500);
    // The reference: the row groups (1000 rows each) holding a passing event, from the full scan's values.
    const cut = [...all].sort((a, b) => a - b)[2100]!;
    const groupsWith = (pass: (e: number) => boolean) =>
      new Set(all.flatMap((e, i) => (pass(e) ? [Math.floor(i / 1000)] : []))).size;
    const some = await events([{ column: 'event', op: '>=', value: cut }]);
    expect(some.batches).toBe(groupsWith((e) => e >= cut));
    expect(some.batches).toBeLessThan(3);
    expect(some.got.filter((e) => e >= cut).length).toBe(all.filter((e) => e >= cut).length);
    const none = await events([{ column: 'event', op: '<', value: Math.min(...all) }]);
    expect(none.batches).toBe(0);
    await table.close();
  });

  it('gives a located error for a damaged page', async () => {
    const bytes = readFileSync(generated('zstd'));
    // The first data page of the first column chunk starts at byte 4; damage its compressed body.
    for (let i = 40; i < 200; i++) bytes[i] = 0xaa;
    const bad = join(DIR, 'damaged.parquet');
    writeFileSync(bad, bytes);
    const table = await openParquetTable(bad);
    const columns = [table.schema().fields[0]!.name];
    expect(table.readerFor(columns)).toBe('direct');
    const err = await rows(table, columns).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HepqError);
    expect((err as HepqError).code).toBe('parquet/read');
    expect((err as HepqError).message).toMatch(/row group 0 of .*damaged\.parquet/);
    await table.close();
  });
});
