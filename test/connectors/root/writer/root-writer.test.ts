/**
 * The ROOT writer, checked by reading its files back: every branch kind (flat, fixed-size, flattened struct,
 * leaf-count array with an existing or a synthesised counter, std::vector<T> of every type) under every
 * compression, read by our reader and by jsroot (the ROOT team's reader) and compared value by value with the
 * input; the baskets' compression blocks are checked by a linear key walk independent of both readers.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blockAlgorithms } from '../../../../connectors/root/compression/block-header.js';
import { walkKeys } from '../../../../connectors/root/compression/test-key-walker.js';
import { openRoot, writeRoot } from '../../../../connectors/root/index.js';
import { valueAt } from '../../../../exec/batch/index.js';
import { openJsrootTree } from '../../../helpers/jsroot-reference.js';
import { EXPECTED_BRANCHES, expectedEntry, fixtureBatch } from './fixtures.js';

const DIR = mkdtempSync(join(tmpdir(), 'hepq-writer-'));
const N = 2500;
const TAGS: Record<string, string | undefined> = {
  none: undefined,
  'zlib:1': 'ZL',
  'lzma:6': 'XZ',
  'lz4:4': 'L4',
  'zstd:5': 'ZS',
};

/** Entries as plain JS values: typed arrays → arrays, bigint and booleans → numbers (as jsroot gives them). */
function plain(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<unknown>, plain);
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

/** jsroot 7 decodes negative 64-bit integers below -2^32 wrongly (off by 2^32); ours are checked exactly. */
const JSROOT_INT64_LIMIT = -(2 ** 32);

function same(a: unknown, b: unknown, jsroot: boolean): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    if (jsroot && b < JSROOT_INT64_LIMIT && Number.isInteger(b)) return true;
    return Object.is(a, b) || (a === b && a !== 0);
  }
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => same(x, b[i], jsroot));
  return a === b;
}

function firstMismatch(branch: string, got: unknown[], jsroot = false): string | undefined {
  for (let e = 0; e < N; e++) {
    const want = plain(expectedEntry(branch, e));
    if (!same(plain(got[e]), want, jsroot))
      return `${branch} entry ${e}: got ${JSON.stringify(plain(got[e]))}, want ${JSON.stringify(want)}`;
  }
  return undefined;
}

async function write(name: string, compression: string): Promise<string> {
  const path = join(DIR, name);
  // Batches that straddle cluster boundaries, one of them filtered by a selection vector.
  const filtered = fixtureBatch(1800, 1400);
  const selection = Uint32Array.from({ length: 700 }, (_, i) => i);
  await writeRoot(path, [fixtureBatch(0, 700), fixtureBatch(700, 1100), { ...filtered, selection }], {
    compression,
    clusterEntries: 1000,
    basketBytes: 4096,
  });
  return path;
}

afterAll(() => {
  // Leave the directory to the OS tmp cleaner: the files are small and useful when a test fails.
});

describe('ROOT writer: every branch kind × every compression, read back by our reader and by jsroot', () => {
  for (const compression of Object.keys(TAGS)) {
    it(compression, async () => {
      const path = await write(`all-${compression.replace(':', '-')}.root`, compression);
      const file = await openRoot(path);
      try {
        const tree = await file.tree('Events');
        expect(tree.entries).toBe(N);
        const inspected = (await file.inspect()).objects[0]!.branches!;
        expect(Object.fromEntries(inspected.map((b) => [b.name, b.type]))).toEqual(EXPECTED_BRANCHES);
        const names = Object.keys(EXPECTED_BRANCHES);
        const batch = await tree.read(names, {});
        for (const [k, name] of names.entries()) {
          const got = Array.from({ length: N }, (_, e) => valueAt(batch.columns[k]!, e));
          expect(firstMismatch(name, got)).toBeUndefined();
        }
        const ref = await openJsrootTree(path, 'Events');
        expect(ref.entries).toBe(N);
        for (const name of names) {
          const got = await ref.read(name);
          expect(got, `jsroot could not read ${name}`).toBeDefined();
          expect(firstMismatch(name, got!, true)).toBeUndefined();
        }
      } finally {
        await file.close();
      }
      // Every key of the file lies end to end, and every basket carries blocks of the chosen algorithm.
      const bytes = new Uint8Array(readFileSync(path));
      const keys = walkKeys(bytes).keys;
      const baskets = keys.filter((k) => k.className === 'TBasket');
      expect(baskets.length).toBeGreaterThan(33 * 3);
      const tag = TAGS[compression];
      let compressed = 0;
      for (const b of baskets) {
        const tags = blockAlgorithms(b.payload, b.objLen);
        if (tags.length) compressed++;
        for (const t of tags) expect(t).toBe(tag);
      }
      if (tag) expect(compressed).toBeGreaterThan(baskets.length / 2);
      else expect(compressed).toBe(0);
      expect(keys.map((k) => k.className)).toEqual(expect.arrayContaining(['TFile', 'TTree', 'TList']));
    });
  }
});
