/**
 * Object branches read by composition (nested STL containers, maps, sets, TLorentzVector-like classes), checked
 * against the values uproot's own tests expect for the same files (scikit-hep/uproot5 tests/test_0034) and
 * against flat copies of the same data; jsroot agreement for every branch is in root-vs-jsroot.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { openRoot } from '../../../connectors/root/index.js';
import { typeName, valueAt } from '../../../exec/batch/index.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../helpers/shared-data.js';

const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const WORDS = ['one', 'two', 'three', 'four', 'five'];

async function column(file: string, tree: string, branch: string) {
  const f = await openRoot(ROOT_DATA + file);
  try {
    const t = await f.tree(tree);
    const col = await t.readBranch(branch);
    const info = t.info(branch).interpretation;
    return {
      rootType: info.rootType,
      type: typeName(info.type!),
      rows: Array.from({ length: t.entries }, (_, i) => valueAt(col, i)),
    };
  } finally {
    await f.close();
  }
}

describe.skipIf(!HAVE_ROOT_DATA)('object branches by composition', () => {
  // uproot-stl_containers.root: entry i holds the elements 1..i+1 (uproot's test_0034 lists them all).
  it('std::vector<std::vector<std::string>> (uproot test_awkward_vector_vector_string)', async () => {
    const c = await column('uproot-stl_containers.root', 'tree', 'vector_vector_string');
    expect(c.rootType).toBe('std::vector<std::vector<std::string>>');
    expect(c.rows).toEqual(upTo(5).map((n) => upTo(n).map((m) => WORDS.slice(0, m))));
  });

  it('std::map<int32_t, std::vector<std::vector<int16_t>>> as a list of {first, second}', async () => {
    const c = await column('uproot-stl_containers.root', 'tree', 'map_int32_vector_vector_int16');
    expect(c.type).toBe('list<struct<first:int32, second:list<list<int16>>>>');
    expect(c.rows).toEqual(
      upTo(5).map((n) => upTo(n).map((k) => ({ first: k, second: upTo(k).map((m) => upTo(m)) }))),
    );
  });

  it('std::map<std::string, std::string> keeps the map order (sorted keys)', async () => {
    const c = await column('uproot-stl_containers.root', 'tree', 'map_string_string');
    expect(c.rows).toEqual(
      upTo(5).map((n) =>
        WORDS.slice(0, n)
          .sort()
          .map((w) => ({ first: w, second: w.toUpperCase() })),
      ),
    );
  });

  it('std::set<std::string> as a sorted list', async () => {
    const c = await column('uproot-stl_containers.root', 'tree', 'set_string');
    expect(c.rows).toEqual(upTo(5).map((n) => WORDS.slice(0, n).sort()));
  });

  it('TVector2 (uproot test_strided_awkward: the first ten MET values)', async () => {
    const c = await column('uproot-HZZ-objects.root', 'events', 'MET');
    expect(c.type).toBe('struct<fX:float64, fY:float64>');
    expect(c.rows.slice(0, 10)).toEqual(
      [
        [5.912771224975586, 2.5636332035064697],
        [24.76520347595215, -16.349109649658203],
        [-25.78508758544922, 16.237131118774414],
        [8.619895935058594, -22.78654670715332],
        [5.393138885498047, -1.3100523948669434],
        [-3.7594752311706543, -19.417020797729492],
        [23.962148666381836, -9.049156188964844],
        [-57.533348083496094, -20.48767852783203],
        [42.416194915771484, -94.35086059570312],
        [-1.9144694805145264, -23.96303367614746],
      ].map(([fX, fY]) => ({ fX, fY })),
    );
  });

  it('std::vector<TLorentzVector> (uproot test_jagged_strided_awkward) and the flat HZZ copy agree', async () => {
    const c = await column('uproot-HZZ-objects.root', 'events', 'muonp4');
    expect(c.type).toBe('list<struct<fP:struct<fX:float64, fY:float64, fZ:float64>, fE:float64>>');
    expect(c.rows[0]).toEqual([
      {
        fP: { fX: -52.89945602416992, fY: -11.654671669006348, fZ: -8.16079330444336 },
        fE: 54.77949905395508,
      },
      expect.anything(),
    ]);
    // uproot-HZZ.root holds the same muons as float Muon_Px/Py/Pz/E leaf-count arrays.
    const f = await openRoot(`${ROOT_DATA}uproot-HZZ.root`);
    const flat = await f.read('events', { branches: ['Muon_Px', 'Muon_E'] });
    await f.close();
    const rows = c.rows as { fP: { fX: number }; fE: number }[][];
    rows.forEach((muons, i) => {
      const px = valueAt(flat.columns[0]!, i) as number[];
      const e = valueAt(flat.columns[1]!, i) as number[];
      expect(muons.map((m) => Math.fround(m.fP.fX))).toEqual(px);
      expect(muons.map((m) => Math.fround(m.fE))).toEqual(e);
    });
  });

  it('std::vector<std::vector<std::vector<uint64_t>>> of ATLAS PHYSLITE (METAssoc overlapIndices)', async () => {
    const name = 'METAssoc_AnalysisMETAux./METAssoc_AnalysisMETAux.overlapIndices';
    const c = await column('PHYSLITE_example.root', 'CollectionTree', name);
    expect(c.type).toBe('list<list<list<uint64>>>');
    expect(c.rows).toHaveLength(100);
    expect(c.rows.some((r) => (r as unknown[][]).some((inner) => inner.length > 0))).toBe(true);
  });
});

describe.skipIf(!HAVE_ROOT_DATA)('unsplit TVector3 objects', () => {
  it('MC_lepton equals the flat MClepton_px/py/pz of uproot-HZZ.root', async () => {
    const c = await column('uproot-HZZ-objects.root', 'events', 'MC_lepton');
    const f = await openRoot(`${ROOT_DATA}uproot-HZZ.root`);
    const flat = await f.read('events', { branches: ['MClepton_px', 'MClepton_py', 'MClepton_pz'] });
    await f.close();
    expect(c.type).toBe('struct<fX:float64, fY:float64, fZ:float64>');
    c.rows.forEach((v, i) => {
      const p = v as { fX: number; fY: number; fZ: number };
      expect([p.fX, p.fY, p.fZ].map(Math.fround)).toEqual(flat.columns.map((col) => valueAt(col, i)));
    });
  });
});

describe.skipIf(!HAVE_ROOT_DATA)('whole split objects as records', () => {
  const pad = (i: number) => String(i).padStart(3, '0');

  it('the fully split Event of uproot-small-evnt-tree-fullsplit.root (entry i filled with i)', async () => {
    const c = await column('uproot-small-evnt-tree-fullsplit.root', 'tree', 'evt');
    expect(c.rootType).toBe('Event');
    expect(c.type).toMatch(
      /^struct<Beg:utf8, I16:int16, .*P3:struct<Px:int32, Py:float64, Pz:int32>, .*End:utf8>$/,
    );
    c.rows.forEach((row, i) => {
      const e = row as Record<string, unknown>;
      expect([e.Beg, e.I32, e.F64, e.Str, e.StdStr, e.End]).toEqual([
        `beg-${pad(i)}`,
        i,
        i,
        `evt-${pad(i)}`,
        `std-${pad(i)}`,
        `end-${pad(i)}`,
      ]);
      expect(e.ArrayI32).toEqual(Array(10).fill(i));
      expect((e.SliceI32 as number[]).every((x) => x === i)).toBe(true);
    });
  });

  it('are not part of a whole-tree read (their members are), and are read when named', async () => {
    const f = await openRoot(`${ROOT_DATA}uproot-small-evnt-tree-fullsplit.root`);
    const t = await f.tree('tree');
    expect(t.readable().map((b) => b.name)).not.toContain('evt');
    const batch = await t.read(['evt/I32', 'evt', 'evt/P3'], { start: 10, stop: 20 });
    expect(batch.length).toBe(10);
    expect(batch.columns.map((col) => valueAt(col, 3))).toEqual([
      13,
      expect.objectContaining({ I32: 13, P3: valueAt(batch.columns[2]!, 3) }),
      valueAt(batch.columns[2]!, 3),
    ]);
    await f.close();
  });
});
