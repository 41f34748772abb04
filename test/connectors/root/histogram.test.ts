/** Histogram reading checked against hand-derived structure (UnROOT's file) and against refills from hsimple's ntuple. */
import { describe, expect, it } from 'vitest';
import { openRoot, profileBinError, readHistogram } from '../../../connectors/root/index.js';
import type { Batch, Column } from '../../../exec/batch/index.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../helpers/shared-data.js';

function col(b: Batch, name: string): Float64Array | Int32Array {
  const i = b.schema.fields.findIndex((f) => f.name === name);
  if (i < 0) throw new Error(`no column ${name}`);
  const c = b.columns[i] as Column & { values: Float64Array | Int32Array };
  return c.values;
}
const num = (b: Batch, name: string) => Array.from(col(b, name));
const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

/** ROOT's TAxis::FindBin for equal-width bins. */
function findBin(x: number, n: number, lo: number, hi: number): number {
  if (x < lo) return 0;
  if (x >= hi) return n + 1;
  return 1 + Math.trunc((n * (x - lo)) / (hi - lo));
}

describe.skipIf(!HAVE_ROOT_DATA)('readHistogram on UnROOT histograms1d2d.root', () => {
  const path = `${ROOT_DATA}histograms1d2d.root`;

  it('TH1F/TH1D: edges from fXmin/fXmax/fNbins, contents and sums consistent with the header', async () => {
    const f = await openRoot(path);
    for (const name of ['myTH1F', 'myTH1D']) {
      const b = await readHistogram(f, name);
      expect(b.length).toBe(4);
      expect(b.schema.fields.map((x) => x.name)).toEqual(['x_bin', 'x_low', 'x_high', 'content', 'sumw2']);
      expect(num(b, 'x_bin')).toEqual([0, 1, 2, 3]);
      expect(num(b, 'x_low')).toEqual([-Infinity, -2, 0, 2]);
      expect(num(b, 'x_high')).toEqual([-2, 0, 2, Infinity]);
      expect(num(b, 'content')).toEqual([0, 40, 2, 0]);
      expect(num(b, 'sumw2')).toEqual([0, 800, 2, 0]);
      const h = (await f.file.get(name)) as unknown as { fTsumw: number; fTsumw2: number; fEntries: number };
      // 4 fills (two of weight 20, two of weight 1): Σw = fTsumw, Σw² = fTsumw2.
      expect(h.fEntries).toBe(4);
      expect(sum(col(b, 'content'))).toBe(h.fTsumw);
      expect(sum(col(b, 'sumw2'))).toBe(h.fTsumw2);
    }
    await f.close();
  });

  it('variable bins come from fXbins', async () => {
    const f = await openRoot(path);
    const b = await f.histogram('myTH1D_nonuniform');
    expect(num(b, 'x_low')).toEqual([-Infinity, -2, 1, 2]);
    expect(num(b, 'x_high')).toEqual([-2, 1, 2, Infinity]);
    expect(num(b, 'content')).toEqual([0, 40, 2, 0]);
    await f.close();
  });

  it('TH2F/TH2D: global bin = x + (nx+2)*y, and the x projection equals the TH1 of the same fills', async () => {
    const f = await openRoot(path);
    for (const name of ['myTH2F', 'myTH2D']) {
      const b = await readHistogram(f.file, name);
      expect(b.length).toBe(4 * 6);
      const xb = col(b, 'x_bin');
      const yb = col(b, 'y_bin');
      for (let g = 0; g < b.length; g++) expect(xb[g] + 4 * yb[g]).toBe(g);
      expect(num(b, 'y_low').slice(0, 8)).toEqual([
        -Infinity,
        -Infinity,
        -Infinity,
        -Infinity,
        -2,
        -2,
        -2,
        -2,
      ]);
      expect(num(b, 'y_high').slice(20)).toEqual([Infinity, Infinity, Infinity, Infinity]);
      const c = col(b, 'content');
      const projX = [0, 0, 0, 0];
      for (let g = 0; g < b.length; g++) projX[xb[g]] += c[g];
      expect(projX).toEqual([0, 40, 2, 0]);
      // the fills sit at y bins 1 and 4 (edges [-2,-1) and [1,2)): 20+1 in each
      const nonzero = [...c.keys()].filter((g) => c[g] !== 0).map((g) => [xb[g], yb[g], c[g]]);
      expect(nonzero).toEqual([
        [1, 1, 20],
        [2, 1, 1],
        [1, 4, 20],
        [2, 4, 1],
      ]);
      expect(sum(col(b, 'sumw2'))).toBe(802);
    }
    await f.close();
  });

  it('rejects non-histograms with a HepqError', async () => {
    const f = await openRoot(`${ROOT_DATA}uproot-hepdata-example.root`);
    await expect(readHistogram(f, 'ntuple')).rejects.toMatchObject({ code: 'root/not-a-histogram' });
    await f.close();
  });
});

describe.skipIf(!HAVE_ROOT_DATA)(
  'readHistogram against refills from hsimple ntuple (uproot-hepdata-example.root)',
  () => {
    const path = `${ROOT_DATA}uproot-hepdata-example.root`;

    async function ntuple() {
      const f = await openRoot(path);
      const t = await f.tree('ntuple');
      const get = async (n: string) => ((await t.readBranch(n)) as { values: Float32Array }).values;
      return { f, px: await get('px'), py: await get('py'), pz: await get('pz') };
    }

    it('hpx equals a TH1 filled from px with its binning, bin for bin', async () => {
      const { f, px } = await ntuple();
      const b = await readHistogram(f, 'hpx');
      expect(b.length).toBe(102);
      const mine = new Float64Array(102);
      for (const x of px) mine[findBin(x, 100, -4, 4)] += 1;
      expect(num(b, 'content')).toEqual(Array.from(mine));
      expect(sum(mine)).toBe(px.length);
      expect(num(b, 'sumw2')).toEqual(Array.from(mine)); // unweighted: no fSumw2 stored
      await f.close();
    });

    it('hpxpy equals a TH2 filled from (px, py)', async () => {
      const { f, px, py } = await ntuple();
      const b = await readHistogram(f, 'hpxpy');
      expect(b.length).toBe(42 * 42);
      const mine = new Float64Array(42 * 42);
      for (let i = 0; i < px.length; i++)
        mine[findBin(px[i], 40, -4, 4) + 42 * findBin(py[i], 40, -4, 4)] += 1;
      expect(num(b, 'content')).toEqual(Array.from(mine));
      await f.close();
    });

    it('hprof equals a TProfile filled from (px, pz) with y in [fYmin, fYmax] = [0, 20]', async () => {
      const { f, px, pz } = await ntuple();
      const b = await readHistogram(f, 'hprof');
      expect(b.schema.fields.map((x) => x.name)).toEqual([
        'x_bin',
        'x_low',
        'x_high',
        'content',
        'sumw2',
        'entries',
        'sumwy',
        'sumwy2',
        'error',
      ]);
      const n = new Float64Array(102);
      const sy = new Float64Array(102);
      const sy2 = new Float64Array(102);
      let rejected = 0;
      for (let i = 0; i < px.length; i++) {
        const y = pz[i];
        if (y < 0 || y > 20) {
          rejected++;
          continue;
        }
        const g = findBin(px[i], 100, -4, 4);
        n[g] += 1;
        sy[g] += y;
        sy2[g] += y * y;
      }
      const h = (await f.file.get('hprof')) as unknown as { fEntries: number };
      expect(px.length - rejected).toBe(h.fEntries);
      expect(num(b, 'entries')).toEqual(Array.from(n));
      expect(num(b, 'sumwy')).toEqual(Array.from(sy));
      expect(num(b, 'sumwy2')).toEqual(Array.from(sy2));
      const mean = num(b, 'content');
      const err = num(b, 'error');
      for (let g = 0; g < 102; g++) {
        if (n[g] === 0) {
          expect([mean[g], err[g]]).toEqual([0, 0]);
          continue;
        }
        const m = sy[g] / n[g];
        expect(mean[g]).toBeCloseTo(m, 9);
        // unweighted: error of the mean = RMS(y) / sqrt(N)
        expect(err[g]).toBeCloseTo(Math.sqrt(Math.abs(sy2[g] / n[g] - m * m)) / Math.sqrt(n[g]), 9);
      }
      await f.close();
    });
  },
);

describe('profileBinError', () => {
  it('follows ROOT for each error mode', () => {
    // y = 1, 3 with unit weights: mean 2, spread 1, N 2
    expect(profileBinError(4, 10, 2, 2, 0)).toBeCloseTo(1 / Math.SQRT2, 12);
    expect(profileBinError(4, 10, 2, 2, 1)).toBe(1);
    expect(profileBinError(4, 10, 2, 2, 3)).toBeCloseTo(1 / Math.SQRT2, 12);
    expect(profileBinError(6, 18, 2, 2, 2)).toBeCloseTo(1 / Math.sqrt(24), 12); // zero spread, "i"
    expect(profileBinError(0, 0, 0, 0, 0)).toBe(0);
  });
});
