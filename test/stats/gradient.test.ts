import { describe, expect, it } from 'vitest';
import { INTERP_CODES } from '../../stats/model/interpolation.js';
import { HAVE_DATA, loadCase } from './reference-cases.js';

/** The analytic NLL gradient against central differences, at random points, for every modifier type and code. */
describe.skipIf(!HAVE_DATA)('analytic gradient', () => {
  it('matches finite differences of the NLL', () => {
    const cases = [
      'fixture_example_patchset', // lumi, normsys, staterror, normfactor
      'validation_2bin_histosys',
      'validation_2bin_2channel_coupledshapefactor',
      'validation_shapesys_nuisparfilter',
      'xml_shared_nuispar_across_types', // one parameter for a normsys and a histosys
      'sbottom_RegionA_1300_205_60',
    ];
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (const name of cases)
      for (const code of INTERP_CODES) {
        const { exp, ws } = loadCase(name);
        const model = ws.model({
          measurement: exp.measurement,
          poi: exp.poi ?? '',
          normsys: code,
          histosys: code,
        });
        const data = ws.data(model);
        const x = model.suggestedInit();
        const { lo, hi } = model.suggestedBounds();
        // stay where every rate is positive: near the initial point, inside the bounds
        for (let i = 0; i < x.length; i++)
          x[i] = Math.min(hi[i]!, Math.max(lo[i]! + 1e-3, x[i]! + 0.3 * (rand() - 0.5)));
        const g = new Float64Array(model.nPars);
        model.nll(x, data, g);
        for (let i = 0; i < x.length; i++) {
          const h = 1e-6 * Math.max(1, Math.abs(x[i]!));
          const xp = x.slice();
          xp[i] = x[i]! + h;
          const xm = x.slice();
          xm[i] = x[i]! - h;
          const fd = (model.nll(xp, data) - model.nll(xm, data)) / (2 * h);
          expect(
            Math.abs(g[i]! - fd),
            `${name} ${code} ∂/∂${model.parLabels[i]}: ${g[i]} vs ${fd}`,
          ).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
        }
      }
  });
});
