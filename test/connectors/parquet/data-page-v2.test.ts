/**
 * DataPage v2 (levels stored uncompressed before the values): a file written by parquet-wasm (arrow-rs) with
 * WriterVersion V2 and small pages, with nulls and empty lists in flat, list, struct and list-of-struct
 * columns, read by the direct decoder must equal parquet-wasm's own read of it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { openParquetTable } from '../../../connectors/parquet/index.js';
import { type Batch, valueAt } from '../../../exec/batch/index.js';

const N = 3000;
const path = join(mkdtempSync(join(tmpdir(), 'hepq-pq-v2-')), 'v2.parquet');

beforeAll(async () => {
  const f32 = () => new arrow.Float32();
  const field = (name: string, type: arrow.DataType) => new arrow.Field(name, type, true);
  const rows = Array.from({ length: N }, (_, i) => i);
  const table = new arrow.Table({
    x: arrow.vectorFromArray(
      rows.map((i) => (i % 3 === 0 ? null : i * 0.5)),
      f32(),
    ),
    l: arrow.vectorFromArray(
      rows.map((i) => (i % 7 === 0 ? null : i % 4 === 0 ? [] : [i, null, i + 1])),
      new arrow.List(field('item', new arrow.Float64())),
    ),
    s: arrow.vectorFromArray(
      rows.map((i) => ({ a: i % 6 === 0 ? null : i * 2, b: i % 2 === 0 })),
      new arrow.Struct([field('a', new arrow.Float64()), field('b', new arrow.Bool())]),
    ),
    coll: arrow.vectorFromArray(
      rows.map((i) =>
        i % 9 === 0
          ? null
          : i % 5 === 0
            ? []
            : [
                { pt: i, eta: -i },
                { pt: null, eta: 1 },
              ],
      ),
      new arrow.List(field('item', new arrow.Struct([field('pt', f32()), field('eta', f32())]))),
    ),
  });
  const pq = await import('parquet-wasm');
  const props = new pq.WriterPropertiesBuilder()
    .setWriterVersion(pq.WriterVersion.V2)
    .setDictionaryEnabled(false)
    .setDataPageSizeLimit(1024)
    .setMaxRowGroupSize(1000)
    .build();
  writeFileSync(path, pq.writeParquet(pq.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), props));
});

async function rows(direct: boolean) {
  const t = await openParquetTable(path, direct ? {} : { reader: 'parquet-wasm' });
  const columns = t.schema().fields.map((f) => f.name);
  expect(t.readerFor(columns)).toBe(direct ? 'direct' : 'parquet-wasm');
  const out: string[] = [];
  for await (const b of t.scan({ columns }) as AsyncIterable<Batch>)
    for (let i = 0; i < b.length; i++)
      out.push(
        JSON.stringify(
          b.columns.map((c) => valueAt(c, i)),
          (_k, v) => (Number.isNaN(v) ? 'NaN' : v),
        ),
      );
  await t.close();
  return out;
}

describe('DataPage v2', () => {
  it('the file holds v2 data pages (page type 3 in its first page header)', () => {
    const bytes = readFileSync(path);
    // The compact-protocol page header starts with field 1 (type, i32 zigzag): 0x15 then the type × 2.
    expect(bytes.subarray(4, 6)).toEqual(Buffer.from([0x15, 3 * 2]));
  });

  it('reads every column with nulls and empty lists as parquet-wasm does', async () => {
    const [a, b] = [await rows(true), await rows(false)];
    expect(a.length).toBe(N);
    expect(a).toEqual(b);
    // Columns x, l, s_a, s_b, ncoll, coll_pt, coll_eta. Row 3: x null (3 % 3 = 0);
    // row 4: l empty; row 7: l null (read as empty); row 9: coll null (empty).
    expect(JSON.parse(a[3]!)).toEqual(['NaN', [3, 'NaN', 4], 6, false, 2, [3, 'NaN'], [-3, 1]]);
    expect(JSON.parse(a[4]!)).toEqual([2, [], 8, true, 2, [4, 'NaN'], [-4, 1]]);
    expect(JSON.parse(a[7]!)).toEqual([3.5, [], 14, false, 2, [7, 'NaN'], [-7, 1]]);
    expect(JSON.parse(a[9]!)).toEqual(['NaN', [9, 'NaN', 10], 18, false, 0, [], []]);
  });
});
