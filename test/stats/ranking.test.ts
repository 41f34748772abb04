import { describe, expect, it } from 'vitest';
import { fitModel, ranking } from '../../stats/index.js';
import { HAVE_DATA, loadCase } from './reference-cases.js';

describe.skipIf(!HAVE_DATA)('ranking of nuisance parameters', () => {
  it('ranks by impact, with impacts consistent with conditional fits', () => {
    const { model, data } = loadCase('xml_xmlimport_DataDriven');
    const r = ranking(model, data);
    const best = fitModel(model, data);
    expect(r.poiHat).toBeCloseTo(best.x[model.poiIndex]!, 6);
    const size = (x: (typeof r.rows)[number]) => Math.max(Math.abs(x.postfitUp), Math.abs(x.postfitDown));
    for (let i = 1; i < r.rows.length; i++)
      expect(size(r.rows[i - 1]!)).toBeGreaterThanOrEqual(size(r.rows[i]!));
    // the top parameter's +1σ impact equals a fit with it fixed there
    const top = r.rows[0]!;
    const fixed = best.fixed.slice();
    fixed[top.index] = 1;
    const init = best.x.slice();
    init[top.index] = Math.min(model.suggestedBounds().hi[top.index]!, top.bestfit + top.error);
    const cond = fitModel(model, data, { init, fixed });
    expect(cond.x[model.poiIndex]! - r.poiHat).toBeCloseTo(top.postfitUp, 6);
    // no single parameter moves μ̂ by more than its total uncertainty
    for (const x of r.rows) expect(size(x)).toBeLessThan(r.poiError * 1.01);
  });
});
