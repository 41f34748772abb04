/** The ROOT reader over the shared files: manifest facts, identical content across compressions, paths and cycles. */
import { describe, expect, it } from 'vitest';
import { valueAt } from '../../../exec/batch/index.js';
import { openRoot, type RootHandle } from '../../../server/index.js';
import { manifestTrees } from '../../helpers/manifest.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../helpers/shared-data.js';

async function withFile<T>(name: string, fn: (f: RootHandle) => Promise<T>): Promise<T> {
  const f = await openRoot(ROOT_DATA + name);
  try {
    return await fn(f);
  } finally {
    await f.close();
  }
}

/** Every readable branch of a tree as plain JS values (for whole-content comparisons). */
async function contents(name: string, tree: string): Promise<Record<string, unknown[]>> {
  return withFile(name, async (f) => {
    const t = await f.tree(tree);
    const out: Record<string, unknown[]> = {};
    for (const b of t.readable()) {
      const col = await t.readBranch(b.name);
      out[b.name] = Array.from({ length: t.entries }, (_, i) => valueAt(col, i));
    }
    return out;
  });
}

describe.skipIf(!HAVE_ROOT_DATA)('shared ROOT files', () => {
  it('agree with MANIFEST.md on every tree: path, entries and branch count', async () => {
    let checked = 0;
    for (const [name, trees] of manifestTrees()) {
      if (name.includes('rntuple')) continue;
      await withFile(name, async (f) => {
        const paths = await f.trees();
        for (const t of trees) {
          expect(paths, name).toContain(t.path);
          const tree = await f.tree(t.path);
          expect(tree.entries, `${name}:${t.path}`).toBe(t.entries);
          expect(tree.branches.length, `${name}:${t.path}`).toBe(t.branches);
          checked++;
        }
      });
    }
    expect(checked).toBeGreaterThanOrEqual(38);
  });

  it('reads the six HZZ files (ROOT 5.32 to 6.19; zlib, lz4, lzma, zstd, none) identically', async () => {
    const names = [
      'uproot-HZZ.root',
      'uproot-HZZ-zlib.root',
      'uproot-HZZ-lz4.root',
      'uproot-HZZ-lzma.root',
      'uproot-HZZ-zstd.root',
      'uproot-HZZ-uncompressed.root',
    ];
    const reference = await contents(names[0]!, 'events');
    expect(Object.keys(reference)).toHaveLength(51);
    for (const n of names.slice(1)) expect(await contents(n, 'events'), n).toEqual(reference);
  });

  it('reads the uproot-sample files (ROOT 5.23 and 6.20; zlib, lz4, lzma, none) identically', async () => {
    const names = [
      'uproot-sample-5.23.02-zlib.root',
      'uproot-sample-6.20.04-zlib.root',
      'uproot-sample-6.20.04-lz4.root',
      'uproot-sample-6.20.04-lzma.root',
      'uproot-sample-6.20.04-uncompressed.root',
    ];
    const reference = await contents(names[0]!, 'sample');
    expect(Object.keys(reference).length).toBe(35);
    for (const n of names.slice(1)) expect(await contents(n, 'sample'), n).toEqual(reference);
  });

  it('reads the 64-bit header of a big-file-format file', async () => {
    await withFile('uproot-issue412.root', async (f) => {
      expect(f.file.header.big).toBe(true);
      const t = await f.tree('test');
      expect(t.entries).toBe(1_000_000);
      const b1 = await t.readBranch('b1', { start: 999_990 });
      expect(b1.kind === 'primitive' && b1.values.length).toBe(10);
    });
  });

  it('finds objects in nested directories and by cycle, and names what exists when asked for what does not', async () => {
    await withFile('uproot-nesteddirs.root', async (f) => {
      expect(await f.trees()).toEqual(['one/two/tree', 'one/tree', 'three/tree']);
      expect((await f.tree('one/two/tree;1')).entries).toBe(100);
      await expect(f.tree('one/tree;7')).rejects.toThrow(/no cycle 7.*cycles: 1/);
      await expect(f.tree('one/tre')).rejects.toMatchObject({
        code: 'root/no-such-object',
        hint: expect.stringMatching(/did you mean 'tree'/),
      });
      await expect(f.tree('one')).rejects.toMatchObject({ code: 'root/not-a-tree' });
    });
  });

  it('reads NanoAOD jagged branches consistently with their counters', async () => {
    await withFile('NanoAODv5_sample.root', async (f) => {
      const t = await f.tree('Events');
      const n = await t.readBranch('nMuon');
      const pt = await t.readBranch('Muon_pt');
      if (n.kind !== 'primitive' || pt.kind !== 'list') throw new Error('unexpected layout');
      for (let i = 0; i < t.entries; i++)
        expect(pt.offsets[i + 1]! - pt.offsets[i]!).toBe(Number(n.values[i]));
    });
  });

  it('lists unsupported types with the reason and refuses them alone', async () => {
    await withFile('PHYSLITE_example.root', async (f) => {
      const info = await f.inspect();
      // An Aux container's top branch: its class's only members are empty interface bases (its data are
      // the AuxDyn branches), so it holds no data.
      const name = 'AnalysisElectronsAux.';
      const keys = info.objects
        .find((o) => o.path === 'CollectionTree')!
        .branches!.find((b) => b.name === name)!;
      expect(keys).toMatchObject({ type: 'xAOD::AuxContainerBase', column: 'unsupported' });
      expect(keys.unsupported).toContain('xAOD::AuxContainerBase has no data members');
      const t = await f.tree('CollectionTree');
      await expect(t.readBranch(name)).rejects.toThrow(
        `${keys.type} in branch ${name} holds no data of its own: xAOD::AuxContainerBase has no data members`,
      );
      await expect(t.read(['AnalysisJetsAuxDyn.pt', name])).rejects.toMatchObject({
        code: 'root/unsupported',
        location: {
          file: expect.stringContaining('PHYSLITE_example.root'),
          object: `CollectionTree/${name}`,
        },
      });
      // The other branches of the tree read without it; a read of the whole tree skips what is refused.
      const other = await t.read(['AnalysisJetsAuxDyn.pt']);
      expect(other.length).toBe(100);
      const all = await f.read('CollectionTree');
      expect(all.schema.fields.map((x) => x.name)).not.toContain(name);
      expect(all.columns.length).toBe(t.readable().length);
    });
  });

  it('reads PHYSLITE std::vector<float> Aux branches with per-event lengths', async () => {
    await withFile('PHYSLITE_example.root', async (f) => {
      const t = await f.tree('CollectionTree');
      const pt = await t.readBranch('AnalysisElectronsAuxDyn.pt');
      const eta = await t.readBranch('AnalysisElectronsAuxDyn.eta');
      if (pt.kind !== 'list' || eta.kind !== 'list') throw new Error('unexpected layout');
      expect(Array.from(pt.offsets)).toEqual(Array.from(eta.offsets));
      expect(pt.offsets[t.entries]).toBeGreaterThan(0);
    });
  });
});
