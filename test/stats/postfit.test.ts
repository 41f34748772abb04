import { describe, expect, it } from 'vitest';
import {
  asimovData,
  fitModel,
  modelYields,
  postfitYields,
  prefitYields,
  uncertainties,
  Workspace,
  type WorkspaceSpec,
} from '../../stats/index.js';
import { HAVE_DATA, loadCase } from './reference-cases.js';

/** One bin, one sample s·μ·L, a Gaussian luminosity constraint of width σ: every number below is solvable by hand. */
function oneBin(s: number, n: number, sigma: number) {
  const spec: WorkspaceSpec = {
    channels: [
      {
        name: 'SR',
        samples: [
          {
            name: 'sig',
            data: [s],
            modifiers: [
              { name: 'mu', type: 'normfactor', data: null },
              { name: 'lumi', type: 'lumi', data: null },
            ],
          },
        ],
      },
    ],
    observations: [{ name: 'SR', data: [n] }],
    measurements: [
      {
        name: 'm',
        config: {
          poi: 'mu',
          parameters: [{ name: 'lumi', auxdata: [1], sigmas: [sigma], bounds: [[0.5, 1.5]], inits: [1] }],
        },
      },
    ],
    version: '1.0.0',
  };
  const ws = Workspace.fromJSON(spec, 'one-bin');
  const model = ws.model();
  return { model, data: ws.data(model) };
}

describe('post-fit yields, pulls and correlations', () => {
  it('match the hand solution of a one-bin model', () => {
    const [s, n, sigma] = [40, 55, 0.05];
    const { model, data } = oneBin(s, n, sigma);
    const r = postfitYields(model, data);
    const mu = n / s;
    expect(r.fit.x[model.poiIndex]).toBeCloseTo(mu, 5);
    // NLL = λ − n ln λ + (L−1)²/2σ², λ = μLs; at the minimum λ = n, L = 1:
    // H = [[s²/n, s²μ/n], [s²μ/n, s²μ²/n + 1/σ²]], det = s²/(nσ²)
    const a = (s * s) / n;
    const b = (s * s * mu) / n;
    const c = (s * s * mu * mu) / n + 1 / sigma ** 2;
    expect(r.uncertainties.errors[model.poiIndex]).toBeCloseTo(mu * Math.sqrt(sigma ** 2 + 1 / n), 4);
    const iL = model.parLabels.indexOf('lumi');
    expect(r.correlation[model.poiIndex * model.nPars + iL]).toBeCloseTo(-b / Math.sqrt(a * c), 4);
    // the yield is pinned by the data: Jᵀ C J = n exactly, although μ and L are each uncertain
    const sr = r.yields.regions[0]!;
    expect(sr.samples[0]!.yields[0]).toBeCloseTo(n, 4);
    expect(sr.samples[0]!.stdev[0]).toBeCloseTo(Math.sqrt(n), 3);
    expect(sr.total.sumStdev).toBeCloseTo(Math.sqrt(n), 3);
    expect(sr.data?.[0]).toBe(n);
    // lumi pull 0 with post-fit error √(C_LL)/σ = 1; μ has no constraint, so no pull
    const lumi = r.pulls.find((p) => p.name === 'lumi')!;
    expect(lumi.pull).toBeCloseTo(0, 5);
    expect(lumi.pullError).toBeCloseTo(1, 3);
    expect(r.pulls.find((p) => p.name === 'mu')!.pull).toBeNaN();
    // pre-fit: s at μ = L = 1, only the constraint width counts (μ is unconstrained): σ = s·σ_L
    const pre = prefitYields(model).regions[0]!.samples[0]!;
    expect(pre.yields[0]).toBe(s);
    expect(pre.stdev[0]).toBeCloseTo(s * sigma, 10);
  });

  it.skipIf(!HAVE_DATA)('agree with a numerical Jacobian on a real multi-channel workspace', () => {
    const { model, data } = loadCase('xml_xmlimport_DataDriven');
    const best = fitModel(model, data);
    const unc = uncertainties(model, data, best);
    const got = modelYields(model, best.x, unc.covariance, data);
    // route 1 for the yields: totals equal the model's expected main data
    const main = model.expectedMain(best.x);
    for (const [ci, ch] of model.channels.entries()) {
      const reg = got.regions[ci]!;
      for (let bin = 0; bin < ch.nbins; bin++)
        expect(reg.total.yields[bin]).toBeCloseTo(main[ch.offset + bin]!, 8);
    }
    // route 2 for the uncertainties: central differences of the yields, propagated with the covariance here
    const n = model.nPars;
    const y0 = model.sampleYields(best.x);
    const J = new Float64Array(y0.length * n);
    for (let k = 0; k < n; k++) {
      const h = 1e-6 * Math.max(1, Math.abs(best.x[k]!));
      const xp = best.x.slice();
      xp[k] += h;
      const up = model.sampleYields(xp);
      xp[k] -= 2 * h;
      const down = model.sampleYields(xp);
      for (let s = 0; s < y0.length; s++) J[s * n + k] = (up[s]! - down[s]!) / (2 * h);
    }
    const sd = (g: Float64Array) => {
      let v = 0;
      for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) v += g[i]! * unc.covariance[i * n + k]! * g[k]!;
      return Math.sqrt(v);
    };
    let sb = 0;
    for (const [ci, ch] of model.channels.entries()) {
      const total = new Float64Array(n);
      for (const [si] of ch.samples.entries())
        for (let bin = 0; bin < ch.nbins; bin++) {
          const s = sb + si * ch.nbins + bin;
          const g = J.slice(s * n, s * n + n);
          const want = sd(g);
          const have = got.regions[ci]!.samples[si]!.stdev[bin]!;
          expect(Math.abs(have - want)).toBeLessThanOrEqual(1e-5 * want + 1e-9);
          for (let k = 0; k < n; k++) total[k] += g[k]!;
        }
      const want = sd(total);
      expect(Math.abs(got.regions[ci]!.total.sumStdev - want)).toBeLessThanOrEqual(1e-5 * want);
      sb += ch.samples.length * ch.nbins;
    }
  });
});

describe.skipIf(!HAVE_DATA)('Asimov data', () => {
  it('a fit to Asimov data at μ = 1 returns μ̂ = 1 and the nuisance parameters at their centres', () => {
    const { model } = loadCase('sbottom_RegionA_1300_205_60');
    const fit = fitModel(model, asimovData(model, { poi: 1 }));
    expect(fit.converged).toBe(true);
    expect(fit.x[model.poiIndex]).toBeCloseTo(1, 4);
    const init = model.suggestedInit();
    for (let k = 0; k < model.nPars; k++) expect(Math.abs(fit.x[k]! - init[k]!)).toBeLessThan(2e-3);
  });

  it('profiled Asimov data at μ = 0 return μ̂ = 0 and name unknown parameters', () => {
    const { model, data } = loadCase('validation_2bin_histosys');
    const asimov = asimovData(model, { poi: 0, profileTo: data });
    const fit = fitModel(model, asimov);
    expect(fit.x[model.poiIndex]).toBeCloseTo(0, 4);
    expect(() => asimovData(model, { values: { bkg_nrom: 1 } })).toThrow(/no parameter 'bkg_nrom'/);
  });
});
