/**
 * The builder against every reference workspace: each is taken apart into a builder config and histograms
 * (nominal contents with sumw2 = staterror², histosys templates and shapesys uncertainties as variations), built
 * again, and the rebuilt model must give the same likelihood and the pyhf reference fit.
 */
import { describe, expect, it } from 'vitest';
import {
  type BuilderConfig,
  buildWorkspace,
  fitModel,
  type HistogramEntry,
  type HistosysData,
  type NormsysData,
  type SystematicConfig,
  type Workspace,
} from '../../stats/index.js';
import { caseNames, HAVE_DATA, loadCase } from './reference-cases.js';

const OBSERVED = '__observed__';

/** A builder config and histograms that hold exactly the content of `ws` (one measurement; the POI as the reference used it). */
function decompose(
  ws: Workspace,
  measurement: string,
  poi: string,
): { config: BuilderConfig; input: HistogramEntry[] } {
  const spec = ws.spec;
  const meas = spec.measurements.find((m) => m.name === measurement)!;
  const input: HistogramEntry[] = [];
  const systematics: SystematicConfig[] = [];
  const sampleRegions = new Map<string, string[]>();
  for (const ch of spec.channels) {
    const obs = spec.observations.find((o) => o.name === ch.name)!;
    input.push({ region: ch.name, sample: OBSERVED, histogram: { counts: obs.data } });
    for (const s of ch.samples) {
      sampleRegions.set(s.name, [...(sampleRegions.get(s.name) ?? []), ch.name]);
      const at = { samples: [s.name], regions: [ch.name] };
      const stat = s.modifiers.find((m) => m.type === 'staterror');
      const sumw2 = stat ? (stat.data as number[]).map((d) => d * d) : s.data;
      input.push({ region: ch.name, sample: s.name, histogram: { counts: s.data, sumw2 } });
      for (const m of s.modifiers) {
        const vary = (v: string, counts: number[]) =>
          input.push({ region: ch.name, sample: s.name, variation: `${m.name}:${v}`, histogram: { counts } });
        switch (m.type) {
          case 'normfactor':
          case 'shapefactor':
          case 'lumi':
          case 'staterror':
            systematics.push({ name: m.name, type: m.type, ...at });
            break;
          case 'normsys': {
            const d = m.data as NormsysData;
            systematics.push({ name: m.name, type: 'normsys', hi: d.hi, lo: d.lo, ...at });
            break;
          }
          case 'histosys': {
            const d = m.data as HistosysData;
            vary('up', d.hi_data);
            vary('down', d.lo_data);
            systematics.push({
              name: m.name,
              type: 'histosys',
              up: `${m.name}:up`,
              down: `${m.name}:down`,
              ...at,
            });
            break;
          }
          case 'shapesys':
            vary('sigma', m.data as number[]);
            systematics.push({ name: m.name, type: 'shapesys', uncertainty: `${m.name}:sigma`, ...at });
            break;
          default:
            throw new Error(`unexpected modifier type ${m.type}`);
        }
      }
    }
  }
  return {
    config: {
      regions: spec.channels.map((c) => c.name),
      samples: [...sampleRegions].map(([name, regions]) => ({ name, regions, staterror: false })),
      systematics,
      data: OBSERVED,
      poi,
      measurement,
      parameters: meas.config.parameters,
    },
    input,
  };
}

describe.skipIf(!HAVE_DATA)('the workspace builder reproduces every reference workspace', () => {
  it('rebuilt workspaces give the same likelihood and the pyhf best fit', () => {
    const names = caseNames();
    expect(names.length).toBeGreaterThan(30);
    for (const name of names) {
      const { exp, ws, model: ref, data: refData } = loadCase(name);
      const { config, input } = decompose(ws, exp.measurement, exp.poi ?? '');
      const built = buildWorkspace(config, input);
      const model = built.model({ measurement: exp.measurement, poi: exp.poi ?? '' });
      const data = built.data(model);
      expect(model.parLabels, name).toEqual(ref.parLabels);
      expect(Array.from(data.main), name).toEqual(Array.from(refData.main));
      expect(Array.from(data.aux), name).toEqual(Array.from(refData.aux));
      // the same likelihood at the inits and at a point away from them
      const init = model.suggestedInit();
      const { lo, hi } = model.suggestedBounds();
      const away = init.map((x, i) => Math.min(hi[i]!, Math.max(lo[i]!, x + 0.1 * (((i * 7) % 5) - 2))));
      for (const theta of [init, away]) {
        const a = model.nll(theta, data);
        const b = ref.nll(theta, refData);
        expect(Math.abs(a - b), name).toBeLessThanOrEqual(1e-9 * Math.abs(b));
      }
      // the fit against pyhf's reference: the descent from the inits, and the POI's best fit
      const r = fitModel(model, data);
      const refMin = Math.min(exp.mle.twice_nll, exp.mle_minuit.twice_nll);
      const descent = r.twiceNll - 2 * model.nll(init, data);
      expect(descent, name).toBeLessThanOrEqual(refMin - exp.mle.twice_nll_at_init + 1e-6 * Math.abs(refMin));
      if (model.poiIndex >= 0 && !/coupledhistosys/.test(name)) {
        const sig = [exp.mle_minuit.uncertainties?.[model.poiName!]].flat()[0];
        const best = [exp.mle.bestfit[model.poiName!]].flat()[0];
        if (sig > 0) expect(Math.abs(r.x[model.poiIndex]! - best) / sig, name).toBeLessThan(0.02);
      }
    }
  });
});
