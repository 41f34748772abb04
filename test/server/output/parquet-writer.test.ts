/**
 * The Parquet writer encodes one row group at a time and appends it (bounded memory): the file must still be one
 * valid Parquet file — row groups of exactly `rowGroupRows` whatever the batch sizes, the file metadata, the
 * values — as DuckDB (an independent reader) reads it, against sums taken from the generated batches themselves.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { generateEvents } from '../../../connectors/synthetic/index.js';
import type { Batch, Column } from '../../../exec/batch/index.js';
import { writeParquet } from '../../../server/output/index.js';

const DIR = mkdtempSync(join(tmpdir(), 'hepq-pq-writer-'));

async function collect(): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of generateEvents({
    schema: 'adl',
    events: 2600,
    seed: 11,
    batchSize: 700,
    columnOrder: 'columnar',
  }))
    out.push(b);
  return out;
}

const col = (b: Batch, name: string): Column => b.columns[b.schema.fields.findIndex((f) => f.name === name)]!;

describe('streaming Parquet writer', () => {
  it('writes row groups of rowGroupRows across batch boundaries, with metadata and values DuckDB reads back', async () => {
    const batches = await collect();
    const path = join(DIR, 'groups.parquet');
    const summary = await writeParquet(path, batches, {
      rowGroupRows: 1000,
      metadata: { process: 'ttbar', xsec: 831.76 },
    });
    expect(summary.rows).toBe(2600);
    expect(summary.batches).toBe(4);
    // Reference sums from the batches handed to the writer.
    let met = 0;
    let jets = 0;
    let jetPt = 0;
    for (const b of batches) {
      const m = col(b, 'MET');
      const j = col(b, 'Jet');
      if (m.kind !== 'struct' || j.kind !== 'list' || j.child.kind !== 'struct') throw new Error('layout');
      const metPt = m.children[m.names.indexOf('pt')]!;
      const pt = j.child.children[j.child.names.indexOf('pt')]!;
      if (metPt.kind !== 'primitive' || pt.kind !== 'primitive') throw new Error('layout');
      for (let i = 0; i < b.length; i++) met += Number(metPt.values[i]);
      const o = j.offsets;
      jets += o[b.length]! - o[0]!;
      for (let k = o[0]!; k < o[b.length]!; k++) jetPt += Number(pt.values[k]);
    }
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const rows = async (q: string) => (await c.runAndReadAll(q)).getRows();
    const groups = await rows(
      `SELECT row_group_id, any_value(row_group_num_rows) FROM parquet_metadata('${path}') GROUP BY 1 ORDER BY 1`,
    );
    expect(groups.map((g) => Number(g[1]))).toEqual([1000, 1000, 600]);
    const kv = await rows(
      `SELECT decode(value) FROM parquet_kv_metadata('${path}') WHERE decode(key) = 'hepq_metadata'`,
    );
    expect(JSON.parse(String(kv[0]![0]))).toEqual({ process: 'ttbar', xsec: 831.76 });
    const [sums] = await rows(
      `SELECT count(*), sum(MET.pt::DOUBLE), sum(len(Jet)), sum(list_sum(list_transform(Jet, x -> x.pt::DOUBLE))) FROM '${path}'`,
    );
    expect(Number(sums![0])).toBe(2600);
    expect(Number(sums![1])).toBeCloseTo(met, 6);
    expect(Number(sums![2])).toBe(jets);
    expect(Number(sums![3])).toBeCloseTo(jetPt, 4);
    c.closeSync();
  });

  it('refuses a stream without batches or schema with a located error, and leaves no file behind', async () => {
    const path = join(DIR, 'empty.parquet');
    await expect(writeParquet(path, [])).rejects.toMatchObject({ code: 'output/empty' });
    expect(existsSync(path)).toBe(false);
  });

  it('zero events (a stream with a schema and no batches) is an empty file with the columns, as DuckDB reads it', async () => {
    const path = join(DIR, 'zero.parquet');
    const stream = generateEvents({ schema: 'adl', events: 0, columnOrder: 'columnar' });
    const summary = await writeParquet(path, stream);
    expect(summary.rows).toBe(0);
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const count = (await c.runAndReadAll(`SELECT count(*) FROM '${path}'`)).getRows();
    expect(Number(count[0]![0])).toBe(0);
    const names = (await c.runAndReadAll(`DESCRIBE SELECT * FROM '${path}'`)).getRows().map((r) => r[0]);
    expect(names).toEqual(stream.schema.fields.map((f) => f.name));
    c.closeSync();
  });
});
