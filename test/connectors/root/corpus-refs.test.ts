import { describe, expect, it } from 'vitest';
import { openRoot } from '../../../connectors/root/index.js';
import { decodeBasket } from '../../../connectors/root/interp/decode.js';
import { valueAt } from '../../../exec/batch/index.js';
import { CORPUS_DIR as DIR, HAVE_CORPUS as HAVE, corpusRows as rows } from '../../helpers/corpus.js';
import { decodeError, firstBasket } from '../../helpers/damaged-basket.js';

type RefArray = { fName: string; fSize: number; refs: number[] };

describe.skipIf(!HAVE)('scikit-hep-testdata: TRef layouts (uproot-issue513.root)', () => {
  it('TRefArray members of split collections are {fName, fSize, refs} (test_0053 test_TRefArray)', async () => {
    const [jets] = (await rows(
      'uproot-issue513.root',
      'Delphes',
      'GenJet/GenJet.Particles',
      0,
      1,
    )) as RefArray[][];
    expect(jets).toHaveLength(7);
    // uproot's test_0053: the first two jets' particle references.
    expect(jets![0]).toEqual({
      fName: '',
      fSize: 45,
      refs: [
        2396, 2320, 2075, 2483, 2479, 2499, 2259, 1865, 2078, 2482, 2503, 2477, 2502, 2480, 2061, 2077, 2393,
        2376, 2496, 2504, 2495, 2505, 1318, 1317, 2506, 2076, 2346, 2501, 2107, 1957, 2241, 1823, 2242, 1825,
        1863, 2399, 1824, 1866, 2497, 1996, 2345, 1864, 2243, 1821, 2244,
      ],
    });
    expect(jets![1]!.refs).toEqual([
      2370, 1830, 2371, 2024, 1412, 2250, 1530, 2500, 2498, 2388, 1949, 1885, 2055, 2069, 2368, 2054, 2059,
      2272, 2053, 2367,
    ]);
    for (const j of jets!) expect(j.refs).toHaveLength(j.fSize);
  });

  it('EFlowPhoton.Particles: entry 1 ends with the references [2222, 2223] (test_0637)', async () => {
    const photons = (await rows(
      'uproot-issue513.root',
      'Delphes',
      'EFlowPhoton/EFlowPhoton.Particles',
      0,
      2,
    )) as RefArray[][];
    expect(photons[1]!.at(-1)!.refs).toEqual([2222, 2223]);
    expect(photons[1]!.at(-1)!.refs.at(-1)).toBe(2223);
  });

  it('every TRefArray branch of the file reads, and none is refused', async () => {
    const f = await openRoot(`${DIR}uproot-issue513.root`);
    try {
      expect((await f.refused('Delphes')).filter((b) => b.rootType.includes('TRefArray'))).toEqual([]);
      const t = await f.tree('Delphes');
      const named = t.branches.filter((b) => b.interpretation.rootType.startsWith('TRefArray'));
      expect(named.map((b) => b.name).sort()).toEqual([
        'EFlowNeutralHadron/EFlowNeutralHadron.Particles',
        'EFlowPhoton/EFlowPhoton.Particles',
        'GenJet/GenJet.Constituents',
        'GenJet/GenJet.Particles',
        'Jet/Jet.Constituents',
        'Jet/Jet.Particles',
        // The tree's second `Particle` collection (class Jet) is `Particle;2`.
        'Particle;2/Particle.Constituents',
        'Particle;2/Particle.Particles',
      ]);
      for (const b of named) {
        const col = await t.readBranch(b.name);
        for (let i = 0; i < t.entries; i++)
          for (const r of valueAt(col, i) as RefArray[]) expect(r.refs).toHaveLength(r.fSize);
      }
    } finally {
      await f.close();
    }
  });

  it('TRef members are the unique ids of particles of the same event (Track.Particle, EFlowTrack.Particle)', async () => {
    const ids = (await rows(
      'uproot-issue513.root',
      'Delphes',
      'Particle/Particle.fUniqueID',
      0,
      3,
    )) as number[][];
    const sizes = (await rows('uproot-issue513.root', 'Delphes', 'Track_size', 0, 3)) as number[];
    for (const b of ['Track/Track.Particle', 'EFlowTrack/EFlowTrack.Particle']) {
      const refs = (await rows('uproot-issue513.root', 'Delphes', b, 0, 3)) as number[][];
      for (let i = 0; i < 3; i++) {
        const known = new Set(ids[i]);
        expect(refs[i]!.length, `${b} ${i}`).toBeGreaterThan(0);
        for (const r of refs[i]!) expect(known.has(r), `${b} entry ${i} ref ${r}`).toBe(true);
      }
      if (b.startsWith('Track/')) expect(refs.map((r) => r.length)).toEqual(sizes);
    }
    // The jets' particle references point at the same particles.
    const jets = (await rows(
      'uproot-issue513.root',
      'Delphes',
      'GenJet/GenJet.Particles',
      0,
      3,
    )) as RefArray[][];
    for (let i = 0; i < 3; i++)
      for (const j of jets[i]!)
        for (const r of j.refs) expect(new Set(ids[i]).has(r), `GenJet ${i} ${r}`).toBe(true);
  });

  it('a TRef entry cut short is a located error (damaged basket)', async () => {
    const { info, content } = await firstBasket(
      `${DIR}uproot-issue513.root`,
      'Delphes',
      'Track/Track.Particle',
    );
    const offsets = content.offsets!.slice();
    offsets[1] = offsets[1]! - 5; // entry 0's last TRef loses its process id and part of its fBits
    const e = decodeError(() => decodeBasket(info.interpretation.interp, { ...content, offsets }));
    expect(e.message).toMatch(/^entry 0: /);
    expect(e.location?.object).toBe('Delphes/Track/Track.Particle (basket 0)');
  });

  it('a TRefArray whose fSize runs past its entry is a located error (damaged basket)', async () => {
    const { info, content } = await firstBasket(
      `${DIR}uproot-issue513.root`,
      'Delphes',
      'GenJet/GenJet.Particles',
    );
    const data = content.data.slice();
    // Entry 0's first TRefArray: byte count and version (6), TObject (10), an empty fName (1), then fSize.
    const at = content.offsets![0]! + 17;
    expect(new DataView(data.buffer).getInt32(at)).toBe(45);
    new DataView(data.buffer).setInt32(at, 100000);
    const e = decodeError(() => decodeBasket(info.interpretation.interp, { ...content, data }));
    expect(e.message).toMatch(/^entry 0: /);
    expect(e.location?.object).toBe('Delphes/GenJet/GenJet.Particles (basket 0)');
    expect(e.location?.file).toContain('uproot-issue513.root');
  });
});

type SymMatrix = { fNrows: number; fNcols: number; fNelems: number; fElements: number[] };

describe.skipIf(!HAVE)(
  'scikit-hep-testdata: std::vector<TMatrixTSym<double>> (test_1610: uproot-issue-1610.root)',
  () => {
    const BRANCH = 'TMatrixTSymAnalysis/covMatrixOfTurn';

    it('covariance matrices with no streamer in the file: packed upper triangles, symmetric positive (semi)definite', async () => {
      const entries = (await rows('uproot-issue-1610.root', 'TMatrixTSymAnalysis', BRANCH)) as SymMatrix[][];
      expect(entries).toHaveLength(8);
      let checked = 0;
      for (const ms of entries)
        for (const m of ms) {
          const n = m.fNrows;
          expect(m).toMatchObject({ fNcols: n, fNelems: n * n });
          expect(m.fElements).toHaveLength((n * (n + 1)) / 2);
          // Row-major upper triangle: c[i][j] for j >= i. A covariance: c_ii >= 0 and |c_ij| <= sqrt(c_ii c_jj).
          const c = (i: number, j: number) => m.fElements[i * n - (i * (i - 1)) / 2 + (j - i)]!;
          for (let i = 0; i < n; i++) {
            expect(c(i, i)).toBeGreaterThan(0);
            for (let j = i + 1; j < n; j++)
              expect(Math.abs(c(i, j))).toBeLessThanOrEqual(Math.sqrt(c(i, i) * c(j, j)));
          }
          checked++;
        }
      expect(checked).toBeGreaterThan(0);
    });

    it('a matrix whose fNrows runs past its entry is a located error (damaged basket)', async () => {
      const { info, content } = await firstBasket(
        `${DIR}uproot-issue-1610.root`,
        'TMatrixTSymAnalysis',
        BRANCH,
      );
      const data = content.data.slice();
      // Entry 0: the vector's header (6) and length (4), the matrix's TMatrixTBase header (6), TObject (10): fNrows.
      const at = content.offsets![0]! + 26;
      expect(new DataView(data.buffer).getInt32(at)).toBe(6);
      new DataView(data.buffer).setInt32(at, 1000);
      const e = decodeError(() => decodeBasket(info.interpretation.interp, { ...content, data }));
      expect(e.message).toMatch(/^entry 0: /);
      expect(e.location?.object).toBe(`TMatrixTSymAnalysis/${BRANCH} (basket 0)`);
    });
  },
);
