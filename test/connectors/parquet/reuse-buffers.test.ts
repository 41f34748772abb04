/**
 * The batch-lifetime protocol (`ScanOptions.reuseBuffers`) on the direct Parquet reader: later row groups decode
 * into the value, offset and count buffers of batches the consumer has moved past. Each batch must hold exactly
 * the written values while it is current (the read-ahead of the next row group runs meanwhile), buffers must
 * actually come back, and scans without reuse (or stopped early) must be left untouched. Read buffers are kept
 * by the table from scan to scan: scans running at once, or after one that stopped early, must not share them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openParquetTable } from '../../../connectors/parquet/index.js';
import type { Batch, Column, Schema } from '../../../exec/batch/index.js';
import { writeParquet } from '../../../server/output/index.js';

const N = 24_000;
const GROUP = 4_000;
const dir = mkdtempSync(join(tmpdir(), 'hepq-pq-reuse-'));
const file = join(dir, 'reuse.parquet');
const x = (i: number) => (i % 977) * 0.25;
const nJet = (i: number) => i % 4;
const jetPt = (i: number, k: number) => Math.fround(10 + ((i * 7 + k * 3) % 200));
const nMu = (i: number) => (i * 5) % 3;
const muPt = (i: number, k: number) => Math.fround(3 + ((i + k * 11) % 90));

function written(lo: number, hi: number): Batch {
  const n = hi - lo;
  const xs = new Float64Array(n);
  const jo = new Int32Array(n + 1);
  const mo = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    xs[i] = x(lo + i);
    jo[i + 1] = jo[i]! + nJet(lo + i);
    mo[i + 1] = mo[i]! + nMu(lo + i);
  }
  const jets = new Float32Array(jo[n]!);
  const mus = new Float32Array(mo[n]!);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < nJet(lo + i); k++) jets[jo[i]! + k] = jetPt(lo + i, k);
    for (let k = 0; k < nMu(lo + i); k++) mus[mo[i]! + k] = muPt(lo + i, k);
  }
  const f32 = { kind: 'primitive', type: 'float32' } as const;
  const schema: Schema = {
    fields: [
      { name: 'x', type: { kind: 'primitive', type: 'float64' } },
      { name: 'Jet_pt', type: { kind: 'list', item: f32 } },
      { name: 'Muon', type: { kind: 'list', item: { kind: 'struct', fields: [{ name: 'pt', type: f32 }] } } },
    ],
  };
  const columns: Column[] = [
    { kind: 'primitive', type: 'float64', values: xs },
    { kind: 'list', offsets: jo, child: { kind: 'primitive', type: 'float32', values: jets } },
    {
      kind: 'list',
      offsets: mo,
      child: {
        kind: 'struct',
        names: ['pt'],
        children: [{ kind: 'primitive', type: 'float32', values: mus }],
        length: mo[n]!,
      },
    },
  ];
  return { schema, columns, length: n };
}

beforeAll(async () => {
  const batches: Batch[] = [];
  for (let lo = 0; lo < N; lo += GROUP) batches.push(written(lo, lo + GROUP));
  await writeParquet(file, batches, { rowGroupRows: GROUP, compression: 'zstd' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COLUMNS = ['x', 'Jet_pt', 'nMuon', 'Muon_pt'];

/** Lets pending I/O callbacks and decodes run (a consumer busy with a batch). */
async function settle(): Promise<void> {
  for (let k = 0; k < 20; k++) await new Promise((r) => setImmediate(r));
}

/** Every value of a scanned batch against the formulas it was written from (entries from `start`). */
function checkBatch(b: Batch, start: number): void {
  const [xc, jc, nc, mc] = b.columns as [Column, Column, Column, Column];
  if (
    xc.kind !== 'primitive' ||
    nc.kind !== 'primitive' ||
    jc.kind !== 'list' ||
    jc.child.kind !== 'primitive' ||
    mc.kind !== 'list' ||
    mc.child.kind !== 'primitive'
  )
    throw new Error('unexpected column kinds');
  for (let i = 0; i < b.length; i++) {
    const e = start + i;
    if (xc.values[i] !== x(e) || nc.values[i] !== nMu(e)) throw new Error(`entry ${e}: x or nMuon differs`);
    if (jc.offsets[i + 1]! - jc.offsets[i]! !== nJet(e)) throw new Error(`entry ${e}: Jet_pt length differs`);
    if (mc.offsets[i + 1]! - mc.offsets[i]! !== nMu(e)) throw new Error(`entry ${e}: Muon_pt length differs`);
    for (let k = 0; k < nJet(e); k++)
      if (jc.child.values[jc.offsets[i]! + k] !== jetPt(e, k))
        throw new Error(`entry ${e}: Jet_pt[${k}] differs`);
    for (let k = 0; k < nMu(e); k++)
      if (mc.child.values[mc.offsets[i]! + k] !== muPt(e, k))
        throw new Error(`entry ${e}: Muon_pt[${k}] differs`);
  }
}

describe('Parquet scans that reuse their buffers', () => {
  it('give every batch its own values while it is current, and hand buffers back', async () => {
    const table = await openParquetTable(file);
    expect(table.readerFor(COLUMNS)).toBe('direct');
    const seen = new Map<ArrayBufferLike, number>();
    let reused = 0;
    for (let round = 0; round < 2; round++) {
      let start = 0;
      for await (const b of table.scan({ columns: COLUMNS, reuseBuffers: true })) {
        await settle(); // the read-ahead of the next row group runs meanwhile
        checkBatch(b, start);
        const buf = (b.columns[0] as { values: Float64Array }).values.buffer;
        if (seen.has(buf) && seen.get(buf) !== start) reused++;
        seen.set(buf, start);
        start += b.length;
      }
      expect(start).toBe(N);
    }
    expect(reused).toBeGreaterThan(0); // the protocol is not a no-op
    await table.close();
  });

  it('keep two scans of one table consumed in lockstep apart (each reads into its own buffers)', async () => {
    const table = await openParquetTable(file);
    for (let round = 0; round < 2; round++) {
      const a = table.scan({ columns: COLUMNS, reuseBuffers: true })[Symbol.asyncIterator]();
      const b = table.scan({ columns: COLUMNS, range: { start: GROUP, stop: N } })[Symbol.asyncIterator]();
      let [na, nb] = [0, 0];
      for (;;) {
        const [ra, rb] = [await a.next(), await b.next()];
        await settle();
        if (!ra.done) checkBatch(ra.value, na);
        if (!rb.done) checkBatch(rb.value, GROUP + nb);
        if (ra.done && rb.done) break;
        na += ra.done ? 0 : ra.value.length;
        nb += rb.done ? 0 : rb.value.length;
      }
      expect([na, nb]).toEqual([N, N - GROUP]);
    }
    await table.close();
  });

  it('stay right after a scan that stops early, and leave scans without reuse untouched', async () => {
    const table = await openParquetTable(file);
    const kept: Batch[] = [];
    for await (const b of table.scan({ columns: COLUMNS })) kept.push(b);
    let n = 0;
    for await (const b of table.scan({ columns: COLUMNS, reuseBuffers: true })) {
      checkBatch(b, n);
      n += b.length;
      if (n >= 2 * GROUP) break;
    }
    let start = 0;
    for await (const b of table.scan({
      columns: COLUMNS,
      reuseBuffers: true,
      range: { start: 1500, stop: N },
    })) {
      checkBatch(b, 1500 + start);
      start += b.length;
    }
    expect(start).toBe(N - 1500);
    let at = 0;
    for (const b of kept) {
      checkBatch(b, at);
      at += b.length;
    }
    expect(at).toBe(N);
    await table.close();
  });
});
