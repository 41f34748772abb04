/**
 * Fixed arrays of objects in split collections: Delphes' `Jet.TrimmedP4[5]`, `PrunedP4[5]`, `SoftDroppedP4[5]`
 * (TLorentzVector[5] per jet) in uproot-issue513.root, and the `Jet`, `GenJet` and (second) `Particle`
 * collections read whole as records. Opt-in: HEPQ_ROOT_CORPUS names scikit-hep-testdata's data folder.
 */
import { describe, expect, it } from 'vitest';
import { openRoot } from '../../../connectors/root/index.js';
import { decodeBasket } from '../../../connectors/root/interp/decode.js';
import { valueAt } from '../../../exec/batch/index.js';
import { compareWithJsroot } from '../../helpers/compare-jsroot.js';
import { CORPUS_DIR as DIR, HAVE_CORPUS as HAVE, corpusRows as rows } from '../../helpers/corpus.js';
import { decodeError, firstBasket } from '../../helpers/damaged-basket.js';

const FILE = 'uproot-issue513.root';
type P4 = { fP: { fX: number; fY: number; fZ: number }; fE: number };
const ZERO: P4 = { fP: { fX: 0, fY: 0, fZ: 0 }, fE: 0 };
const ARRAYS = ['TrimmedP4[5]', 'PrunedP4[5]', 'SoftDroppedP4[5]'];

describe.skipIf(!HAVE)(`scikit-hep-testdata: fixed arrays of objects in split collections (${FILE})`, () => {
  it('Jet.TrimmedP4[5]: five TLorentzVectors per jet (test_0637 test_54)', async () => {
    const [e0, e1] = (await rows(FILE, 'Delphes', 'Jet/Jet.TrimmedP4[5]', 0, 2)) as P4[][][];
    // uproot: py[0][-1][4]["fE"] == 0.0, and its note shows entry 1 as 6 jets of 5 TLorentzVectors.
    expect(e0!.at(-1)![4]!.fE).toBe(0);
    expect(e1).toHaveLength(6);
    for (const jet of e1!) expect(jet).toHaveLength(5);
  });

  it('each of the nine arrays has one group of 5 per element of its own collection (its counter branch)', async () => {
    const f = await openRoot(`${DIR}${FILE}`);
    try {
      const t = await f.tree('Delphes');
      expect(await f.refused('Delphes')).toEqual([]);
      for (const coll of ['Jet', 'GenJet', 'Particle']) {
        // The tree holds two `Particle` collections (GenParticle, then Jet: uproot's test_same_names); the
        // arrays are the second one's, `Particle;2`, counted by the second `Particle_size`.
        const [parent, suffix] = coll === 'Particle' ? ['Particle;2', ';2'] : [coll, ''];
        const sizes = await t.readBranch(`${coll}_size${suffix}`);
        for (const name of ARRAYS) {
          const b = t.info(`${parent}/${coll}.${name}`);
          expect(b.interpretation.rootType).toBe('TLorentzVector[][5]');
          const col = await t.readBranch(b);
          for (let i = 0; i < t.entries; i++) {
            const jets = valueAt(col, i) as P4[][];
            expect(jets, `${b.name} entry ${i}`).toHaveLength(valueAt(sizes, i) as number);
            // This file's Delphes card grooms no jet: every groomed four-vector is zero (jsroot agrees below).
            for (const j of jets) expect(j).toEqual([ZERO, ZERO, ZERO, ZERO, ZERO]);
          }
        }
      }
      // Entry 0 of the second Particle collection: 201 jets (2519 is the first collection's GenParticles).
      expect(valueAt(await t.readBranch('Particle_size;2'), 0)).toBe(201);
    } finally {
      await f.close();
    }
  });

  it('jsroot reads all nine arrays and the three collections whole alike (the second Particle as the second)', async () => {
    const r = await compareWithJsroot(`${DIR}${FILE}`);
    const names = [
      ['Jet', 'Jet'],
      ['GenJet', 'GenJet'],
      ['Particle;2', 'Particle'],
    ].flatMap(([p, c]) => [p!, ...ARRAYS.map((a) => `${p}/${c}.${a}`)]);
    const got = r.branches.filter((b) => names.includes(b.branch));
    // Tree order; `Particle;2` is the second `Particle` (the Jet collection holding the arrays), compared with
    // jsroot's second branch of that name.
    expect(got.map((b) => b.branch)).toEqual(names);
    expect(got.map((b) => b.rootType).slice(-4)).toEqual([
      'TClonesArray(Jet)',
      ...ARRAYS.map(() => 'TLorentzVector[][5]'),
    ]);
    for (const b of got) expect([b.branch, b.outcome, b.detail]).toEqual([b.branch, 'same', undefined]);
    // Every branch of the file has a jsroot reference now, and none is refused.
    expect(r.branches.filter((b) => b.outcome === 'noref')).toEqual([]);
    expect(r.refused).toEqual([]);
  });

  it('Jet read whole: a record per jet with its groomed arrays, as many as Jet_size', async () => {
    const f = await openRoot(`${DIR}${FILE}`);
    try {
      const t = await f.tree('Delphes');
      const jets = await t.readBranch('Jet');
      const sizes = await t.readBranch('Jet_size');
      for (let i = 0; i < t.entries; i++) {
        const v = valueAt(jets, i) as Record<string, unknown>[];
        expect(v).toHaveLength(valueAt(sizes, i) as number);
        for (const j of v) expect(j.TrimmedP4).toHaveLength(5);
      }
      // Every member but TObject's fUniqueID and fBits is a field (Jet's streamer: 43 data members).
      const fields = Object.keys((valueAt(jets, 0) as Record<string, unknown>[])[0]!);
      expect(fields).toHaveLength(43);
      expect(fields).toEqual(
        expect.arrayContaining(['PT', 'Constituents', 'Area', ...ARRAYS.map((a) => a.slice(0, -3))]),
      );
    } finally {
      await f.close();
    }
  });

  it("the second Particle collection reads whole from its own members, not the first one's", async () => {
    const f = await openRoot(`${DIR}${FILE}`);
    try {
      const t = await f.tree('Delphes');
      const [gen, jet] = [t.info('Particle'), t.info('Particle;2')];
      expect([gen!.interpretation.rootType, jet!.interpretation.rootType]).toEqual([
        'TClonesArray(GenParticle)',
        'TClonesArray(Jet)',
      ]);
      const second = await t.readBranch(jet!, { stop: 2 });
      const pt = await t.readBranch('Particle;2/Particle.PT', { stop: 2 });
      for (let i = 0; i < 2; i++) {
        const v = valueAt(second, i) as { PT: number; TrimmedP4: P4[] }[];
        expect(v.map((j) => j.PT)).toEqual(valueAt(pt, i));
        for (const j of v) expect(j.TrimmedP4).toHaveLength(5);
      }
      expect(valueAt(second, 0) as unknown[]).toHaveLength(201);
      // By name, `Particle` is the first collection, as in uproot and jsroot.
      expect(valueAt(await t.readBranch('Particle', { stop: 1 }), 0) as unknown[]).toHaveLength(2519);
    } finally {
      await f.close();
    }
  });

  it('a TLorentzVector of the wrong version is a located error (damaged basket)', async () => {
    const { info, ref, content } = await firstBasket(`${DIR}${FILE}`, 'Delphes', 'Jet/Jet.TrimmedP4[5]');
    const data = content.data.slice();
    // Entry 1's third object (each TLorentzVector is 64 bytes: header 6, TObject 10, fP 40, fE 8): its version.
    const at = content.offsets![1]! + 2 * 64;
    const view = new DataView(data.buffer);
    expect([view.getUint32(at), view.getUint16(at + 4)]).toEqual([0x4000003c, 4]);
    view.setUint16(at + 4, 9);
    const e = decodeError(() => decodeBasket(info.interpretation.interp, { ...content, data }));
    expect(e.message).toBe(
      `entry 1: TLorentzVector version 9, but the file's streamer is version 4 (at byte ${at} of the decompressed object)`,
    );
    expect(e.location?.object).toBe('Delphes/Jet/Jet.TrimmedP4[5] (basket 0)');
    // The basket's payload in the file (after its key), which the message's byte offset is within.
    expect(e.location?.offset).toBeGreaterThan(ref.seek);
    expect(e.location?.offset).toBeLessThan(ref.seek + ref.bytes);
    expect(e.location?.file).toContain(FILE);
  });

  it('an entry that is not a whole number of arrays is a located error (damaged basket)', async () => {
    const { info, content } = await firstBasket(`${DIR}${FILE}`, 'Delphes', 'GenJet/GenJet.PrunedP4[5]');
    const offsets = content.offsets!.slice();
    // Entry 0 (7 jets: 35 objects) made to end one object early.
    expect(offsets[1]! - offsets[0]!).toBe(35 * 64);
    offsets[1] = offsets[1]! - 64;
    const e = decodeError(() => decodeBasket(info.interpretation.interp, { ...content, offsets }));
    expect(e.message).toMatch(
      /^entry 0: 34 TLorentzVector objects are not a whole number of TLorentzVector\[5\] arrays \(at byte 0 /,
    );
    expect(e.location?.object).toBe('Delphes/GenJet/GenJet.PrunedP4[5] (basket 0)');
  });
});
