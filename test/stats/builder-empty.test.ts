// The builder on empty inputs: a sample without yield in a region, and bins without prediction. Expected values
// are derived by hand from the histograms below (no reference file needed).
import { describe, expect, it } from 'vitest';
import { buildWorkspaceWithReport, fitModel, type HistogramEntry } from '../../stats/index.js';

const h = (region: string, sample: string, counts: number[], variation = ''): HistogramEntry => ({
  region,
  sample,
  variation,
  histogram: { counts, sumw2: counts },
});

describe('workspace builder on empty samples and bins', () => {
  it('gives a sample empty in a region no normsys/histosys there (0/0), reported as pruned with effect 0', () => {
    const built = buildWorkspaceWithReport(
      {
        regions: ['SR', 'CR'],
        samples: [{ name: 'sig', signal: true }, { name: 'bkg' }],
        systematics: [{ name: 'jes', type: 'normplusshape', up: 'jes_up' }],
      },
      [
        h('SR', 'sig', [10, 20]),
        h('SR', 'sig', [11, 22], 'jes_up'),
        h('SR', 'bkg', [50, 40]),
        h('SR', 'bkg', [55, 44], 'jes_up'),
        h('CR', 'sig', [0, 0]),
        // an event migrates into the empty sample's CR with the jet energy scale up: no nominal to vary
        h('CR', 'sig', [0, 3], 'jes_up'),
        h('CR', 'bkg', [100, 80]),
        h('CR', 'bkg', [110, 88], 'jes_up'),
        h('SR', 'data', [60, 60]),
        h('CR', 'data', [100, 80]),
      ],
    );
    const cr = built.workspace.spec.channels.find((c) => c.name === 'CR')!;
    const sig = cr.samples.find((s) => s.name === 'sig')!;
    expect(sig.data).toEqual([0, 0]);
    expect(sig.modifiers.map((m) => m.type).sort()).toEqual(['normfactor', 'staterror']);
    expect(built.pruned).toEqual([
      { region: 'CR', sample: 'sig', name: 'jes', type: 'normsys', effect: 0 },
      { region: 'CR', sample: 'sig', name: 'jes', type: 'histosys', effect: 0 },
    ]);
    // the other samples keep theirs: +10% in both regions, hi = 1.1, lo mirrored = 0.9
    const bkg = cr.samples.find((s) => s.name === 'bkg')!;
    const norm = bkg.modifiers.find((m) => m.type === 'normsys')!;
    expect((norm.data as { hi: number }).hi).toBeCloseTo(1.1, 12);
    expect((norm.data as { lo: number }).lo).toBeCloseTo(0.9, 12);
    const model = built.workspace.model();
    const fit = fitModel(model, built.workspace.data(model));
    expect(fit.converged).toBe(true);
    expect(Number.isFinite(fit.twiceNll)).toBe(true);
  });

  it('takes a variation as nominal in bins where the nominal is empty, so rates stay ≥ 0 and the fit is bounded', () => {
    const built = buildWorkspaceWithReport(
      {
        regions: ['SR'],
        samples: [{ name: 'sig', signal: true }, { name: 'bkg' }],
        systematics: [{ name: 'jes', type: 'histosys', up: 'jes_up' }],
      },
      [
        h('SR', 'sig', [10, 0, 5]),
        h('SR', 'sig', [12, 30, 5], 'jes_up'),
        h('SR', 'bkg', [20, 0, 8]),
        h('SR', 'bkg', [20, 0, 8], 'jes_up'),
        h('SR', 'data', [30, 0, 13]),
      ],
    );
    const sig = built.workspace.spec.channels[0]!.samples.find((s) => s.name === 'sig')!;
    const histosys = sig.modifiers.find((m) => m.type === 'histosys')!.data as {
      hi_data: number[];
      lo_data: number[];
    };
    // bin 1: nominal 0, so the +30 migrating in is dropped; bins 0 and 2: up as given, down mirrored (2·nom − up)
    expect(histosys.hi_data).toEqual([12, 0, 5]);
    expect(histosys.lo_data).toEqual([8, 0, 5]);
    // bin 1 is predicted 0 for every jes value (before, code4p's polynomial made it negative for −1 < α < 0)
    const model = built.workspace.model();
    const theta = model.suggestedInit();
    const jes = model.parLabels.indexOf('jes');
    for (const a of [-1.5, -0.5, -0.1, 0.3, 2]) {
      theta[jes] = a;
      expect(model.expectedMain(theta)[1]).toBe(0);
    }
    // data = nominal at mu = 1, so the fit returns the nominal point: mu = 1, jes = 0
    const fit = fitModel(model, built.workspace.data(model));
    expect(fit.converged).toBe(true);
    expect(fit.x[model.poiIndex]).toBeCloseTo(1, 3);
    expect(fit.x[jes]).toBeCloseTo(0, 3);
  });
});
