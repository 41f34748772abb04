/**
 * A local Parquet file opens from its own footer, without parquet-wasm: the schema and layout it reports are
 * parquet-wasm's (arrow-rs's conversion, the second reader here) for files of three writers — DuckDB (strings,
 * dates, decimals, maps, unsigned and small integers, lists of lists), hepq's writer with its embedded Arrow
 * schema, and the same file read from the Parquet schema alone — and parquet-wasm starts only when a scan asks
 * for a layout the direct reader does not cover.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDirect } from '../../../connectors/parquet/footer.js';
import { footerFields } from '../../../connectors/parquet/footer-schema.js';
import { openParquetTable } from '../../../connectors/parquet/index.js';
import { get, type TStruct } from '../../../connectors/parquet/thrift.js';
import { generateEvents } from '../../../connectors/synthetic/index.js';
import { type Batch, valueAt } from '../../../exec/batch/index.js';
import { writeParquet } from '../../../server/output/index.js';

const DIR = mkdtempSync(join(tmpdir(), 'hepq-pq-schema-'));
const DUCK = join(DIR, 'types.parquet');
const OURS = join(DIR, 'adl.parquet');

beforeAll(async () => {
  await writeParquet(
    OURS,
    generateEvents({ schema: 'adl', events: 300, seed: 3, batchSize: 300, columnOrder: 'columnar' }),
    { widenUnsigned: true, rowGroupRows: 100, compression: 'zstd' },
  );
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`COPY (SELECT
      i::INTEGER AS id, 'name' || i AS label, DATE '2024-01-01' + i::INTEGER AS day, (i / 7)::DECIMAL(9, 2) AS money,
      MAP {'k': i} AS m, (i % 200)::UTINYINT AS u8, i::USMALLINT AS u16, i::UINTEGER AS u32, i::UBIGINT AS u64,
      (i % 100)::TINYINT AS i8, [[i, i + 1], []]::INTEGER[][] AS nested, ['a', 'b'] AS strs,
      {'x': i::FLOAT, 'when': TIMESTAMP '2024-01-01 00:00:00'} AS s, [i * 0.5]::DOUBLE[] AS l
    FROM range(200) t(i)) TO '${DUCK}' (FORMAT parquet, ROW_GROUP_SIZE 64)`);
  c.closeSync();
});

async function column(path: string, name: string, reader?: 'parquet-wasm') {
  const t = await openParquetTable(path, reader ? { reader } : {});
  const out: unknown[] = [];
  for await (const b of t.scan({ columns: [name] }) as AsyncIterable<Batch>)
    for (let i = 0; i < b.length; i++) out.push(valueAt(b.columns[0]!, i));
  const used = t.usesWasm;
  await t.close();
  return { out, used };
}

describe('Parquet schema from the footer', () => {
  it.each([DUCK, OURS])('reports the schema and layout parquet-wasm reports (%s)', async (path) => {
    const direct = await openParquetTable(path);
    const wasm = await openParquetTable(path, { reader: 'parquet-wasm' });
    expect(direct.usesWasm).toBe(false);
    expect(wasm.usesWasm).toBe(true);
    expect(direct.schema()).toEqual(wasm.schema());
    expect(direct.statistics()).toEqual(wasm.statistics());
    await direct.close();
    await wasm.close();
  });

  it('derives the same fields from the Parquet schema when the embedded Arrow schema is absent', async () => {
    // (The DuckDB file has no embedded Arrow schema: the test above covers the Parquet-schema route there.)
    const d = (await openDirect(OURS))!;
    const raw = d.footer.raw;
    const kv = get.list(raw, 5) as TStruct[];
    expect(kv.some((k) => get.str(k, 1) === 'ARROW:schema')).toBe(true);
    const withHint = footerFields(raw);
    expect(withHint.map((f) => f.name)).toContain('Muon');
    raw.delete(5);
    // This writer widens unsigned integers, so the Parquet schema alone says the same types.
    expect(footerFields(raw)).toEqual(withHint);
    await d.handle.close();
  });

  it('starts parquet-wasm only for a column the direct reader does not cover, with the same values', async () => {
    const direct = await column(DUCK, 'id');
    expect(direct.used).toBe(false);
    expect(direct.out).toEqual(Array.from({ length: 200 }, (_, i) => i));
    const label = await column(DUCK, 'label');
    expect(label.used).toBe(true);
    expect(label.out).toEqual(Array.from({ length: 200 }, (_, i) => `name${i}`));
    expect(label.out).toEqual((await column(DUCK, 'label', 'parquet-wasm')).out);
  });
});
