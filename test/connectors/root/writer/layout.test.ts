/**
 * The ROOT writer's file structure: its streamer-info definitions against those ROOT itself wrote into real
 * files, cluster and basket layout as jsroot sees it, deterministic output, and the errors for bad input.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFile } from 'jsroot';
import { describe, expect, it } from 'vitest';
import { openRoot, RootFile, writeRoot } from '../../../../connectors/root/index.js';
import { openByteSource } from '../../../../connectors/root/io/index.js';
import { TREE_CLASSES, vectorClass } from '../../../../connectors/root/writer/streamers.js';
import type { Batch } from '../../../../exec/batch/index.js';
import { HepqError } from '../../../../exec/batch/index.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../../helpers/shared-data.js';
import { fixtureBatch } from './fixtures.js';

const DIR = mkdtempSync(join(tmpdir(), 'hepq-writer-layout-'));

async function streamers(path: string) {
  const f = await RootFile.open(await openByteSource(path));
  await f.close();
  return f.streamers;
}

/** The parts of a streamer element that define the on-disk layout (titles and checksums aside). */
const shape = (e: {
  name: string;
  type: number;
  typeName: string;
  className: string;
  countName?: string;
  stlType?: number;
  ctype?: number;
}) => ({
  element: e.className,
  name: e.name,
  type: e.type,
  typeName: e.typeName.replace(/^Int_t$/, 'int'),
  count: e.countName ?? '',
  stl: e.stlType === undefined ? '' : `${e.stlType}/${e.ctype}`,
});

describe.skipIf(!HAVE_ROOT_DATA)('streamer infos match the ones ROOT 6 writes', () => {
  it('TTree, TBranch, TBranchElement, TLeaf* and vector<float> have ROOT’s members, types and order', async () => {
    const files = [
      'nanoAOD_2015_CMS_Open_Data_ttbar.root',
      'PHYSLITE_example.root',
      'uproot-HZZ.root',
      'uproot-issue-123a.root',
    ];
    const registries = await Promise.all(files.map((f) => streamers(ROOT_DATA + f)));
    let compared = 0;
    for (const cls of [...TREE_CLASSES, vectorClass('float', 5)]) {
      const real = registries
        .map((r) => r.get(cls.name, cls.version))
        .find((i) => i?.classVersion === cls.version);
      if (!real) continue; // not in these files (e.g. TLeafS in ROOT 6 form)
      const ours = cls.members.map((m) =>
        shape({
          name: m.name,
          type: m.type,
          typeName: m.typeName,
          className: m.element,
          countName: m.countName,
          stlType: m.stlType,
          ctype: m.ctype,
        }),
      );
      expect(ours, cls.name).toEqual(real.elements.map(shape));
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(14);
  });
});

describe('tree layout', () => {
  it('clusters of clusterEntries, baskets split at basketBytes, as jsroot reads the TTree', async () => {
    const path = join(DIR, 'clusters.root');
    await writeRoot(path, [fixtureBatch(0, 2500)], {
      clusterEntries: 1000,
      basketBytes: 1500,
      compression: 'lz4',
    });
    const tree = await (await openFile(path)).readObject('Events');
    expect(Number(tree.fEntries)).toBe(2500);
    expect(Number(tree.fAutoFlush)).toBe(1000);
    expect(tree.fNClusterRange).toBe(0);
    for (const b of tree.fBranches.arr) {
      const starts = Array.from(b.fBasketEntry as ArrayLike<number>, Number).slice(0, b.fWriteBasket + 1);
      expect(starts[0]).toBe(0);
      expect(starts[b.fWriteBasket]).toBe(2500);
      for (const boundary of [1000, 2000]) expect(starts, b.fName).toContain(boundary);
      for (let i = 1; i < starts.length; i++) expect(starts[i]!).toBeGreaterThan(starts[i - 1]!);
      expect(Number(b.fZipBytes)).toBe(
        Array.from(b.fBasketBytes as ArrayLike<number>)
          .slice(0, b.fWriteBasket)
          .reduce((x, y) => x + y, 0),
      );
    }
    // s_float32: 4000 bytes per full cluster > 1500 → 3 baskets; the last 500 entries (2000 bytes) → 2.
    const f32 = tree.fBranches.arr.find((b: { fName: string }) => b.fName === 's_float32');
    expect(f32.fWriteBasket).toBe(3 + 3 + 2);
  });

  it('clusterPerBatch keeps each batch as a cluster and records the cluster ranges', async () => {
    const path = join(DIR, 'ranges.root');
    const sizes = [300, 300, 500, 500, 500, 200];
    let e = 0;
    const batches = sizes.map((n) => {
      const b = fixtureBatch(e, n);
      e += n;
      return b;
    });
    await writeRoot(path, batches, { clusterPerBatch: true, compression: 'zstd:1' });
    const tree = await (await openFile(path)).readObject('Events');
    expect(tree.fNClusterRange).toBe(1);
    expect(Array.from(tree.fClusterRangeEnd as ArrayLike<number>, Number)).toEqual([599]);
    expect(Array.from(tree.fClusterSize as ArrayLike<number>, Number)).toEqual([300]);
    expect(Number(tree.fAutoFlush)).toBe(500);
    const nJet = tree.fBranches.arr.find((b: { fName: string }) => b.fName === 'nJet');
    expect(Array.from(nJet.fBasketEntry as ArrayLike<number>, Number).slice(0, 7)).toEqual([
      0, 300, 600, 1100, 1600, 2100, 2300,
    ]);
  });

  it('an empty stream with a schema gives an empty tree with every branch', async () => {
    const path = join(DIR, 'empty.root');
    const schema = fixtureBatch(0, 1).schema;
    const empty = { schema, async *[Symbol.asyncIterator]() {} };
    const summary = await writeRoot(path, empty);
    expect(summary.entries).toBe(0);
    const f = await openRoot(path);
    const tree = await f.tree('Events');
    expect(tree.entries).toBe(0);
    expect((await tree.read(['Jet_pt', 'v_float64', 'MET_pt'], {})).length).toBe(0);
    await f.close();
    const ref = await (await openFile(path)).readObject('Events');
    expect(Number(ref.fEntries)).toBe(0);
    expect(ref.fBranches.arr.map((b: { fName: string }) => b.fName)).toContain('nMuon');
  });

  it('the same input gives byte-identical files', async () => {
    const a = join(DIR, 'same-a');
    const b = join(DIR, 'same-b');
    for (const d of [a, b]) {
      (await import('node:fs')).mkdirSync(d, { recursive: true });
      await writeRoot(join(d, 'x.root'), [fixtureBatch(0, 1200)], {
        clusterEntries: 500,
        compression: 'zstd:5',
      });
    }
    expect(Buffer.compare(readFileSync(join(a, 'x.root')), readFileSync(join(b, 'x.root')))).toBe(0);
  });
});

async function error(fn: () => Promise<unknown>): Promise<HepqError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof HepqError) return err;
    throw err;
  }
  throw new Error('expected a HepqError');
}

const one = (
  name: string,
  c: Batch['columns'][number],
  type: Batch['schema']['fields'][number]['type'],
  length: number,
): Batch => ({
  schema: { fields: [{ name, type }] },
  columns: [c],
  length,
});

describe('bad input is refused with a located HepqError', () => {
  it('a counter that disagrees with its array', async () => {
    const good = fixtureBatch(0, 10);
    const cols = [...good.columns];
    const i = good.schema.fields.findIndex((f) => f.name === 'nJet');
    cols[i] = { kind: 'primitive', type: 'int32', values: new Int32Array(10).fill(1) };
    const e = await error(() => writeRoot(join(DIR, 'bad-counter.root'), [{ ...good, columns: cols }]));
    expect(e.code).toBe('root/counter-mismatch');
    expect(e.render()).toContain('Events/Jet_pt');
    expect(e.message).toMatch(/entry 0: 'Jet_pt' has 0 values but 'nJet' says 1/);
    expect(existsSync(join(DIR, 'bad-counter.root')), 'the unfinished file is removed').toBe(false);
  });

  it('strings, nested lists, a bad compression, a schema change, an empty stream', async () => {
    const utf8 = one(
      'name',
      { kind: 'utf8', offsets: new Int32Array([0, 1]), bytes: new Uint8Array([65]) },
      { kind: 'utf8' },
      1,
    );
    expect((await error(() => writeRoot(join(DIR, 'u.root'), [utf8]))).code).toBe('root/unsupported-column');
    const inner = {
      kind: 'list' as const,
      offsets: new Int32Array([0, 0]),
      child: { kind: 'primitive' as const, type: 'int32' as const, values: new Int32Array(0) },
    };
    const nested = one(
      'x',
      { kind: 'list', offsets: new Int32Array([0, 1]), child: inner },
      { kind: 'list', item: { kind: 'list', item: { kind: 'primitive', type: 'int32' } } },
      1,
    );
    const e = await error(() => writeRoot(join(DIR, 'n.root'), [nested]));
    expect(e.code).toBe('root/unsupported-column');
    expect(e.message).toContain('list<list<int32>>');
    expect(
      (await error(() => writeRoot(join(DIR, 'c.root'), [fixtureBatch(0, 1)], { compression: 'brotli' })))
        .code,
    ).toBe('root/bad-compression');
    expect(
      (await error(() => writeRoot(join(DIR, 'c.root'), [fixtureBatch(0, 1)], { compression: 'zstd:12' })))
        .code,
    ).toBe('root/bad-compression');
    const other = one(
      'y',
      { kind: 'primitive', type: 'float32', values: new Float32Array(1) },
      { kind: 'primitive', type: 'float32' },
      1,
    );
    expect((await error(() => writeRoot(join(DIR, 's.root'), [fixtureBatch(0, 1), other]))).code).toBe(
      'root/schema-changed',
    );
    expect((await error(() => writeRoot(join(DIR, 'e.root'), []))).code).toBe('root/empty-stream');
    expect((await error(() => writeRoot('/nonexistent-dir/x.root', [fixtureBatch(0, 1)]))).code).toBe(
      'root/cannot-write',
    );
  });
});
