/**
 * The batch-lifetime protocol (`ScanOptions.reuseBuffers`): a scan may decode later batches into the buffers of
 * batches the consumer has moved past. Each batch must still hold exactly the written values while it is
 * current, buffers must actually come back, an early stop must leave later scans right, and a histogram query
 * (which asks for reuse) must count what a hand count of the written values gives.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRootTable, writeRoot } from '../../../connectors/root/index.js';
import type { Batch, Column, Schema } from '../../../exec/batch/index.js';
import { Session } from '../../../server/session.js';

const N = 60_000;
const CLUSTER = 5_000;
const dir = mkdtempSync(join(tmpdir(), 'hepq-reuse-'));
const x = (i: number) => (i % 977) * 0.25;
const nJet = (i: number) => i % 4;
const jetPt = (i: number, k: number) => Math.fround(10 + ((i * 7 + k * 3) % 200));

function written(): Batch {
  const xs = new Float64Array(N);
  const ns = new Uint32Array(N);
  const offsets = new Int32Array(N + 1);
  for (let i = 0; i < N; i++) {
    xs[i] = x(i);
    ns[i] = nJet(i);
    offsets[i + 1] = offsets[i]! + nJet(i);
  }
  const pts = new Float32Array(offsets[N]!);
  for (let i = 0; i < N; i++) for (let k = 0; k < nJet(i); k++) pts[offsets[i]! + k] = jetPt(i, k);
  const schema: Schema = {
    fields: [
      { name: 'x', type: { kind: 'primitive', type: 'float64' } },
      { name: 'nJet', type: { kind: 'primitive', type: 'uint32' } },
      { name: 'Jet_pt', type: { kind: 'list', item: { kind: 'primitive', type: 'float32' } } },
    ],
  };
  const columns: Column[] = [
    { kind: 'primitive', type: 'float64', values: xs },
    { kind: 'primitive', type: 'uint32', values: ns },
    { kind: 'list', offsets, child: { kind: 'primitive', type: 'float32', values: pts } },
  ];
  return { schema, columns, length: N };
}

const files: Record<string, string> = {};
beforeAll(async () => {
  for (const c of ['zstd:5', 'zlib:1', 'lz4:4']) {
    files[c] = join(dir, `reuse-${c.replace(':', '')}.root`);
    await writeRoot(files[c], [written()], { compression: c, clusterEntries: CLUSTER });
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Lets pending I/O callbacks and decodes run (a consumer busy with a batch). */
async function settle(): Promise<void> {
  for (let k = 0; k < 20; k++) await new Promise((r) => setImmediate(r));
}

/** Every value of a scanned batch against the formulas it was written from (entries from `start`). */
function checkBatch(b: Batch, start: number): void {
  const [xc, nc, jc] = b.columns as [Column, Column, Column];
  if (
    xc.kind !== 'primitive' ||
    nc.kind !== 'primitive' ||
    jc.kind !== 'list' ||
    jc.child.kind !== 'primitive'
  )
    throw new Error('unexpected column kinds');
  for (let i = 0; i < b.length; i++) {
    const e = start + i;
    if (xc.values[i] !== x(e) || nc.values[i] !== nJet(e)) throw new Error(`entry ${e}: x or nJet differs`);
    const lo = jc.offsets[i]!;
    if (jc.offsets[i + 1]! - lo !== nJet(e)) throw new Error(`entry ${e}: Jet_pt length differs`);
    for (let k = 0; k < nJet(e); k++)
      if (jc.child.values[lo + k] !== jetPt(e, k)) throw new Error(`entry ${e}: Jet_pt[${k}] differs`);
  }
}

describe('scans that reuse their buffers', () => {
  it.each(['zstd:5', 'zlib:1', 'lz4:4'])(
    'give every batch its own values while it is current (%s)',
    async (c) => {
      const table = await openRootTable(files[c]!, 'Events');
      const seen = new Map<ArrayBufferLike, number>();
      let reused = 0;
      for (let round = 0; round < 2; round++) {
        let start = 0;
        for await (const b of table.scan({
          columns: ['x', 'nJet', 'Jet_pt'],
          batchSize: CLUSTER,
          reuseBuffers: true,
        })) {
          await settle(); // the read-ahead of the next batch decodes meanwhile: it must not write into this one
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
    },
  );

  it('stay right after a scan that stops early, and leave scans without reuse untouched', async () => {
    const table = await openRootTable(files['zstd:5']!, 'Events');
    const kept: Batch[] = [];
    for await (const b of table.scan({ columns: ['x', 'nJet', 'Jet_pt'], batchSize: CLUSTER })) kept.push(b);
    let n = 0;
    for await (const b of table.scan({
      columns: ['x', 'nJet', 'Jet_pt'],
      batchSize: CLUSTER,
      reuseBuffers: true,
    })) {
      checkBatch(b, n);
      n += b.length;
      if (n >= 3 * CLUSTER) break;
    }
    let start = 0;
    for await (const b of table.scan({
      columns: ['x', 'nJet', 'Jet_pt'],
      batchSize: CLUSTER,
      reuseBuffers: true,
    })) {
      checkBatch(b, start);
      start += b.length;
    }
    expect(start).toBe(N);
    // Batches of a scan without reuse were never written over by the scans with it.
    let at = 0;
    for (const b of kept) {
      checkBatch(b, at);
      at += b.length;
    }
    expect(at).toBe(N);
    await table.close();
  });

  it('a histogram query counts what a hand count of the written values gives', async () => {
    const session = new Session({ threads: 1, device: 'cpu' });
    const expected = new Array<number>(20).fill(0);
    let over = 0;
    for (let i = 0; i < N; i++)
      for (let k = 0; k < nJet(i); k++) {
        const v = jetPt(i, k);
        if (v >= 200) over++;
        else expected[Math.floor(v / 10)]!++;
      }
    for (const c of ['zstd:5', 'zlib:1']) {
      const r = await session.query(
        'ds.SelectMany(lambda e: e.Jet_pt).Hist(lambda x: x, bins=20, range=(0, 200))',
        {
          files: [files[c]!],
        },
      );
      if (r.kind !== 'histogram') throw new Error('expected a histogram');
      expect(r.histogram.counts).toEqual(expected);
      expect(r.histogram.overflow).toBe(over);
    }
    await session.close();
  });
});
