/**
 * Opt-in (HEPQ_ROOT_CORPUS): pointers to objects, written as ROOT's WriteObjectAny writes them — a class tag (a new
 * class's name, or a reference to an earlier tag by its buffer position) then the object, 0 for null — as a
 * member of a split object (uproot-issue-1229.root, uproot-issue213.root), as the elements of a std::vector
 * (allpix's `std::vector<allpix::MCTrack*>`, uproot-issue485/486.root) and in split collections (KM3NeT's
 * `trks.any`). Expected values: uproot's tests (type names), jsroot, and physics checkable by hand; damaged
 * copies of real baskets give located errors.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRoot } from '../../../connectors/root/index.js';
import { type BasketContent, decodeBasket } from '../../../connectors/root/interp/decode.js';
import { type HepqError, valueAt } from '../../../exec/batch/index.js';
import { writeParquet } from '../../../server/output/index.js';
import { normalise } from '../../helpers/compare-jsroot.js';
import { CORPUS_DIR as DIR, HAVE_CORPUS as HAVE, corpusRows as rows } from '../../helpers/corpus.js';
import { decodeError, firstBasket } from '../../helpers/damaged-basket.js';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';

type Xyz = { fCoordinates: { fX: number; fY: number; fZ: number } };
type Track = {
  start_point_: Xyz;
  particle_id_: number;
  initial_kin_E_: number;
  final_kin_E_: number;
  initial_tot_E_: number;
  final_tot_E_: number;
  parent_: number;
  origin_g4_process_name_: string;
};
type Particle = {
  local_start_point_: Xyz;
  local_end_point_: Xyz;
  global_start_point_: Xyz;
  global_end_point_: Xyz;
  particle_id_: number;
  track_: number;
};

/** Geant4's masses (MeV) of the particles allpix tracks here: p, e-, γ and the ²⁸Si recoil nucleus. */
const MASS_MEV: Record<number, number> = { 2212: 938.272013, 11: 0.51099891, 22: 0, 1000140280: 26053.1939 };

const ALLPIX = ['uproot-issue485.root', 'uproot-issue486.root'];

/** The branch's first basket with entry `i` replaced by `bytes` (later entries move; their offsets with them). */
function withEntry(c: BasketContent, i: number, bytes: readonly number[]): BasketContent {
  const o = c.offsets!;
  const head = c.data.subarray(0, o[i]!);
  const tail = c.data.subarray(o[i + 1]!);
  const data = new Uint8Array(head.length + bytes.length + tail.length);
  data.set(head);
  data.set(bytes, head.length);
  data.set(tail, head.length + bytes.length);
  const shift = bytes.length - (o[i + 1]! - o[i]!);
  const offsets = Int32Array.from(o, (x, k) => (k > i ? x + shift : x));
  return { ...c, data, offsets };
}

describe.skipIf(!HAVE)('scikit-hep-testdata: pointer members of split objects', () => {
  it('TFoo’s `TFooMember* pointer` and `const TFooMember* const_pointer` (test_1229_const_in_typename)', async () => {
    const f = await openRoot(`${DIR}uproot-issue-1229.root`);
    try {
      const t = await f.tree('tree');
      // uproot: both typenames are "TFooMember*" (const dropped).
      expect(t.info('branch/pointer').interpretation.rootType).toBe('TFooMember*');
      expect(t.info('branch/const_pointer').interpretation.rootType).toBe('TFooMember*');
      expect(t.refused()).toEqual([]);
    } finally {
      await f.close();
    }
    // jsroot: pointer → TFooMember{value: 123}, const_pointer → TFooMember{value: 321}.
    expect(await rows('uproot-issue-1229.root', 'tree', 'branch/pointer')).toEqual([{ value: 123 }]);
    expect(await rows('uproot-issue-1229.root', 'tree', 'branch/const_pointer')).toEqual([{ value: 321 }]);
    expect(await rows('uproot-issue-1229.root', 'tree', 'branch')).toEqual([
      { pointer: { value: 123 }, const_pointer: { value: 321 } },
    ]);
  });

  it('J-PET’s fGenInfo (JPetGeantEventInformation*, test_0637 test_29) and the whole eventPack', async () => {
    const info = (await rows('uproot-issue213.root', 'T', 'eventPack/fGenInfo')) as {
      fMaxGammaNumberIndex: number;
      fGenGammaNum: { fNbits: number; fNbytes: number; fAllBits: number[] };
    }[];
    const ref = await openJsrootTree(`${DIR}uproot-issue213.root`, 'T');
    const theirs = (await ref.read('eventPack/fGenInfo', info.length)) as unknown[];
    expect(info.length).toBe(theirs.length);
    info.forEach((v, i) => {
      expect(v, `entry ${i}`).toEqual(normalise(theirs[i]));
    });
    // A TBits of fNbits bits holds ceil(fNbits / 8) bytes.
    for (const v of info) {
      expect(v.fGenGammaNum.fNbytes).toBe(Math.ceil(v.fGenGammaNum.fNbits / 8));
      expect(v.fGenGammaNum.fAllBits).toHaveLength(v.fGenGammaNum.fNbytes);
    }
    // The TClonesArray of JPetGeantDecayTree (only a TObject) is as many records without fields as elements.
    const packs = (await rows('uproot-issue213.root', 'T', 'eventPack')) as {
      fMCDecayTrees: unknown[];
      fEvtIndex: number;
    }[];
    const ids = (await rows(
      'uproot-issue213.root',
      'T',
      'eventPack/fMCDecayTrees/fMCDecayTrees.fUniqueID',
    )) as unknown[][];
    expect(packs).toHaveLength(info.length);
    packs.forEach((p, i) => {
      expect(p.fMCDecayTrees).toHaveLength(ids[i]!.length);
      expect(p.fEvtIndex).toBe(i);
    });
  });

  it('Parquet refuses the field-less records of fMCDecayTrees by name and leaves no file; Arrow keeps them', async () => {
    const f = await openRoot(`${DIR}uproot-issue213.root`);
    const dir = mkdtempSync(join(tmpdir(), 'hepq-ptrs-'));
    try {
      const batch = await f.read('T', { branches: ['eventPack'], stop: 5 });
      const path = join(dir, 'pack.parquet');
      const e = (await writeParquet(path, [batch]).catch((x) => x)) as HepqError;
      expect(e.code).toBe('output/unsupported');
      expect(e.message).toMatch(/column 'eventPack\.fMCDecayTrees' holds records without fields/);
      expect(existsSync(path)).toBe(false);
      const table = await f.arrow('T', { branches: ['eventPack'], stop: 5 });
      expect(String(table.schema.fields[0]!.type)).toMatch(/fMCDecayTrees:List<Struct<\{\}>>/);
      expect(table.numRows).toBe(5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await f.close();
    }
  });

  it('a null pointer is a null record; the entries after it still read (a damaged copy of fGenInfo)', async () => {
    const { info, content } = await firstBasket(`${DIR}uproot-issue213.root`, 'T', 'eventPack/fGenInfo');
    // ROOT writes a null pointer as a 4-byte zero tag.
    const col = decodeBasket(info.interpretation.interp, withEntry(content, 0, [0, 0, 0, 0]));
    const whole = decodeBasket(info.interpretation.interp, content);
    expect(valueAt(col, 0)).toBeNull();
    expect(valueAt(col, 1)).toEqual(valueAt(whole, 1));
    expect(valueAt(col, 1)).not.toBeNull();
  });

  it('KM3NeT’s `TObject* any`, null in every entry as jsroot reads it, in the split Evt and its trks', async () => {
    const any = await rows('uproot-issue465-flat.root', 'E', 'Evt/AAObject/any');
    expect(any.length).toBeGreaterThan(0);
    expect(any.every((v) => v === null)).toBe(true);
    const trks = (await rows('uproot-issue465-flat.root', 'E', 'Evt/trks')) as { any: unknown }[][];
    const counts = (await rows('uproot-issue465-flat.root', 'E', 'Evt/trks/trks.id')) as unknown[][];
    trks.forEach((t, i) => {
      expect(t).toHaveLength(counts[i]!.length);
      for (const k of t) expect(k.any).toBeNull();
    });
  });
});

describe.skipIf(!HAVE)('scikit-hep-testdata: vectors of pointers (allpix, test_0637 test_45/46)', () => {
  it('MCTrack/global: every track’s total minus kinetic energy is its particle’s mass', async () => {
    for (const file of ALLPIX) {
      const f = await openRoot(DIR + file);
      try {
        const t = await f.tree('MCTrack');
        expect(t.info('global').interpretation.rootType).toBe('std::vector<allpix::MCTrack*>');
        expect(t.refused()).toEqual([]);
      } finally {
        await f.close();
      }
      const events = (await rows(file, 'MCTrack', 'global')) as Track[][];
      const tracks = events.flat();
      expect(tracks.length, file).toBeGreaterThan(events.length);
      for (const k of tracks) {
        const m = MASS_MEV[k.particle_id_];
        expect(m, `${file}: PDG id ${k.particle_id_}`).toBeDefined();
        expect(k.initial_tot_E_ - k.initial_kin_E_).toBeCloseTo(m!, 3);
        expect(k.final_tot_E_ - k.final_kin_E_).toBeCloseTo(m!, 3);
        expect(k.final_kin_E_).toBeLessThanOrEqual(k.initial_kin_E_);
      }
      // The beam (tracks no Geant4 process created): 120 MeV protons from z = -10 mm, without a parent (a
      // null TRef).
      const primaries = tracks.filter((k) => k.origin_g4_process_name_ === 'none');
      expect(primaries.length).toBeGreaterThan(0);
      for (const k of primaries) {
        expect(k.particle_id_).toBe(2212);
        expect(k.initial_kin_E_).toBe(120);
        expect(k.start_point_.fCoordinates.fZ).toBe(-10);
        expect(k.parent_).toBe(0);
      }
    }
  });

  it('the first event’s tracks are jsroot’s, element for element', async () => {
    const [ours] = (await rows('uproot-issue485.root', 'MCTrack', 'global', 0, 1)) as Track[][];
    const ref = await openJsrootTree(`${DIR}uproot-issue485.root`, 'MCTrack');
    const [theirs] = (await ref.read('global', 1)) as unknown[][];
    expect(ours).toHaveLength(theirs!.length);
    expect(ours!.length).toBeGreaterThan(1); // later elements use a reference to the first one's class tag
    ours!.forEach((k, i) => {
      expect(k, `track ${i}`).toEqual(normalise(theirs![i]));
    });
  });

  it('MCParticle/detector1 and detector2: points inside 300 µm sensors at z = 0 and 10 mm', async () => {
    for (const file of ALLPIX) {
      const tracks = (await rows(file, 'MCTrack', 'global')) as Track[][];
      for (const [det, z0] of [
        ['detector1', 0],
        ['detector2', 10],
      ] as const) {
        const events = (await rows(file, 'MCParticle', det)) as Particle[][];
        expect(events).toHaveLength(tracks.length);
        expect(events.flat().length).toBeGreaterThan(0);
        events.forEach((ps, e) => {
          const kinds = new Set(tracks[e]!.map((k) => k.particle_id_));
          for (const p of ps) {
            // A particle in a sensor is one of the event's tracks (MCTrack tree), and refers to a track.
            expect(kinds.has(p.particle_id_)).toBe(true);
            expect(p.track_).toBeGreaterThan(0);
            for (const [local, global] of [
              [p.local_start_point_, p.global_start_point_],
              [p.local_end_point_, p.global_end_point_],
            ] as const) {
              expect(Math.abs(local.fCoordinates.fZ)).toBeLessThanOrEqual(0.15 + 1e-9);
              // The sensors are not rotated: global = local + (0, 0, z0).
              expect(global.fCoordinates.fX).toBeCloseTo(local.fCoordinates.fX, 9);
              expect(global.fCoordinates.fY).toBeCloseTo(local.fCoordinates.fY, 9);
              expect(global.fCoordinates.fZ - local.fCoordinates.fZ).toBeCloseTo(z0, 9);
            }
          }
        });
      }
    }
  });
});

describe.skipIf(!HAVE)('scikit-hep-testdata: pointers that stay refused, alone, and damaged pointers', () => {
  it('a recursive type is refused with the reason; a TH1D* member (TArrayD base) reads', async () => {
    const f = await openRoot(`${DIR}uproot-issue443.root`);
    try {
      const t = await f.tree('ND280Events');
      const why = t.refused().find((r) => r.name === 'ND280Event')?.reason;
      expect(why).toMatch(/ND::TDatum contains itself/);
    } finally {
      await f.close();
    }
    const g = await openRoot(`${DIR}uproot-issue283.root`);
    try {
      const t = await g.tree('sn_omwatch');
      // TH1D* reads (its TArrayD base by TArray's own layout), so nothing in the tree is refused.
      expect(t.refused()).toEqual([]);
      expect(t.info('sn_omwatch_data/OMRate').interpretation.rootType).toBe('TH1D*');
    } finally {
      await g.close();
    }
  });

  it('nEXO::SmartRef* elements written by SmartRef’s own Streamer are refused on read, with the location', async () => {
    const f = await openRoot(`${DIR}uproot-issue475.root`);
    try {
      const t = await f.tree('Meta/navigator');
      const e = (await t.readBranch('EvtNavigator/m_refs').catch((x) => x)) as HepqError;
      expect(e.code).toBe('root/unsupported');
      expect(e.message).toMatch(/nEXO::SmartRef\* holding a nEXO::SmartRef written by its own Streamer/);
      expect(e.location?.object).toBe('Meta/navigator/EvtNavigator/m_refs (basket 0)');
    } finally {
      await f.close();
    }
  });

  it('damaged class tags of std::vector<allpix::MCTrack*> give located errors', async () => {
    const { info, content } = await firstBasket(`${DIR}uproot-issue485.root`, 'MCTrack', 'global');
    const interp = info.interpretation.interp;
    const view = new DataView(content.data.buffer, content.data.byteOffset);
    // The vector's header (byte count, version, length), then the first element: byte count, new-class tag.
    const first = content.offsets![0]! + 10;
    expect(view.getUint32(first + 4)).toBe(0xffffffff);
    const second = first + 4 + (view.getUint32(first) & ~0x40000000);
    const classRef = view.getUint32(second + 4);
    // The second element refers to the first's tag: its buffer position (key length + payload position) + 2.
    expect(classRef).toBe((0x80000000 | (content.keylen! + first + 4 + 2)) >>> 0);
    const damaged = (at: number, value: number) => {
      const data = content.data.slice();
      new DataView(data.buffer).setUint32(at, value);
      return decodeError(() => decodeBasket(interp, { ...content, data }));
    };
    const badRef = damaged(second + 4, classRef + 4);
    expect(badRef.message).toMatch(
      /^entry 0: class tag refers to buffer position \d+, where this entry has no class tag/,
    );
    expect(badRef.location?.object).toBe('MCTrack/global (basket 0)');
    expect(badRef.location?.file).toContain('uproot-issue485.root');
    const objectRef = damaged(second + 4, classRef & 0x7fffffff);
    expect(objectRef.code).toBe('root/unsupported');
    expect(objectRef.message).toMatch(/allpix::MCTrack\* pointing to the object at buffer position \d+/);
    const short = damaged(first, view.getUint32(first) - 2);
    expect(short.message).toMatch(/^entry 0: allpix::MCTrack\* ends at \d+ but its byte count says \d+/);
    const renamed = content.data.slice();
    renamed[first + 8 + 'allpix::MCTr'.length] = 'x'.charCodeAt(0);
    const other = decodeError(() => decodeBasket(interp, { ...content, data: renamed }));
    expect(other.message).toMatch(/allpix::MCTrack\* holding a allpix::MCTrxck/);
  });
});
