import { describe, expect, it } from 'vitest';
import { hypotestToys, Rng } from '../../stats/index.js';
import { HAVE_DATA, loadCase } from './reference-cases.js';

describe('seeded random numbers', () => {
  it('Poisson samples have the right mean and variance (inversion and PTRS branches)', () => {
    for (const lam of [0.7, 4, 30, 5000]) {
      const r = new Rng(7, 3);
      const n = 40000;
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const k = r.poisson(lam);
        s += k;
        s2 += k * k;
      }
      const mean = s / n;
      expect(Math.abs(mean - lam)).toBeLessThan(5 * Math.sqrt(lam / n));
      expect(Math.abs(s2 / n - mean * mean - lam) / lam).toBeLessThan(0.08);
    }
  });
});

/**
 * pyhf's reference toys (2000 per hypothesis, numpy's RNG) can only agree statistically. With 2000 toys the binomial
 * spread of CLsb, CLb is ~0.01 and that of the band quantiles up to ~0.025 (measured over seeds); tolerances are ~3σ.
 * On pyhf_2bin_1channel the reference's −1σ quantile (0.191) sits 0.03 above our 20,000-toy estimate (0.160 ± 0.005),
 * hence 0.08 on the band.
 */
describe.skipIf(!HAVE_DATA)('toy-based CLs', () => {
  it('agrees statistically with pyhf and is independent of the number of worker threads', async () => {
    for (const name of ['pyhf_2bin_1channel', 'xml_xmlimport_input']) {
      const { exp, ws } = loadCase(name);
      const ref = exp.cls_toys;
      const r = await hypotestToys(ref.poi, ws, {
        ntoys: ref.ntoys,
        seed: 42,
        workers: 0,
        modelOptions: { measurement: exp.measurement },
      });
      expect(Math.abs(r.clsbObs - ref.CLsb_obs), name).toBeLessThan(0.03);
      expect(Math.abs(r.clbObs - ref.CLb_obs), name).toBeLessThan(0.035);
      expect(Math.abs(r.clsObs - ref.CLs_obs), name).toBeLessThan(0.06);
      for (const [i, v] of r.clsExp.entries())
        expect(Math.abs(v - ref.CLs_exp[i]), `${name} exp[${i}]`).toBeLessThan(0.08);
    }
    const { ws } = loadCase('pyhf_2bin_1channel');
    const a = await hypotestToys(1, ws, { ntoys: 200, seed: 5, workers: 0 });
    const b = await hypotestToys(1, ws, { ntoys: 200, seed: 5, workers: 2 });
    expect(Array.from(b.sbToys)).toEqual(Array.from(a.sbToys));
    expect(b.clsExp).toEqual(a.clsExp);
    const c = await hypotestToys(1, ws, { ntoys: 200, seed: 6, workers: 0 });
    expect(Array.from(c.bToys)).not.toEqual(Array.from(a.bToys));
  });

  it('reports toys done up to 2 × ntoys, in this thread and on workers', async () => {
    const { ws } = loadCase('pyhf_2bin_1channel');
    for (const workers of [0, 2]) {
      const seen: Array<{ done: number; total: number }> = [];
      await hypotestToys(1, ws, { ntoys: 100, seed: 5, workers, onProgress: (p) => seen.push(p) });
      expect(seen[0]).toEqual({ done: 0, total: 200, unit: 'toys' });
      expect(seen.at(-1)!.done).toBe(200);
      expect(seen.map((p) => p.done)).toEqual([...seen.map((p) => p.done)].sort((x, y) => x - y));
    }
  });
});
