/**
 * Flat branches read over several whole baskets are decompressed into one buffer side by side and byte-swapped
 * there at once (tree-decode.ts `decodeFlat`). On the layout of bench/adl-real.ts (the real Run2012B sample
 * rewritten by our writer, ZLIB 1, one basket per branch per written batch — here its two halves, then all of
 * it, so that each basket holds different events), every branch agrees with jsroot entry for entry, whole-file
 * reads and batch scans alike.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRoot, openRootTable, writeRoot } from '../../../connectors/root/index.js';
import type { Batch, BatchStream } from '../../../exec/batch/index.js';
import { sliceColumn, valueAt } from '../../../exec/batch/index.js';
import { compareWithJsroot, normalise } from '../../helpers/compare-jsroot.js';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';
import { SHARED } from '../../helpers/shared-data.js';

const SAMPLE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
const ENTRIES = 2000;
const dir = mkdtempSync(join(tmpdir(), 'hepq-flat-batch-'));
const FILE = join(dir, 'copies.root');

beforeAll(async () => {
  if (!existsSync(SAMPLE)) return;
  const table = await openRootTable(SAMPLE, 'Events');
  const batch: Batch = await table.tree.read(table.tree.readable().map((b) => b.name));
  await table.close();
  const sliceBatch = (b: Batch, from: number, to: number): Batch => ({
    schema: b.schema,
    columns: b.columns.map((c) => sliceColumn(c, from, to)),
    length: to - from,
  });
  const stream: BatchStream = {
    schema: batch.schema,
    async *[Symbol.asyncIterator]() {
      yield sliceBatch(batch, 0, 500);
      yield sliceBatch(batch, 500, 1000);
      yield batch;
    },
  };
  await writeRoot(FILE, stream, { tree: 'Events', compression: 'zlib:1', clusterPerBatch: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!existsSync(SAMPLE))('flat branches decoded a batch at a time', () => {
  it('the copy has the layout: one basket per flat branch per written batch', async () => {
    const f = await openRoot(FILE);
    const t = await f.tree('Events');
    expect(t.entries).toBe(ENTRIES);
    for (const name of ['MET_pt', 'nMuon', 'HLT_IsoMu24'])
      expect(t.info(name).branch.basketEntry.slice(0, 4), name).toEqual([0, 500, 1000, 2000]);
    await f.close();
  });

  it('every branch read over all its baskets agrees with jsroot', async () => {
    const r = await compareWithJsroot(FILE, ENTRIES);
    const differ = r.branches.filter((b) => b.outcome !== 'same').map((b) => `${b.branch}: ${b.detail}`);
    expect(differ).toEqual([]);
    expect(r.branches.length).toBeGreaterThan(80);
  });

  it('a scan in batches of 1000 entries (two baskets, then one) gives jsroot values too', async () => {
    const table = await openRootTable(FILE, 'Events');
    const ref = await openJsrootTree(FILE, 'Events');
    const names = ['MET_pt', 'MET_phi', 'nMuon', 'nJet', 'HLT_IsoMu24'];
    const theirs = await Promise.all(names.map((n) => ref.read(n, ENTRIES)));
    let at = 0;
    let batches = 0;
    for await (const batch of table.scan({ columns: names, batchSize: 1000, reuseBuffers: true })) {
      for (const [c, name] of names.entries())
        for (let i = 0; i < batch.length; i++)
          expect(normalise(valueAt(batch.columns[c]!, i)), `${name}[${at + i}]`).toEqual(
            normalise(theirs[c]![at + i]),
          );
      at += batch.length;
      batches++;
    }
    expect(at).toBe(ENTRIES);
    expect(batches).toBe(2);
    await table.close();
  });
});
