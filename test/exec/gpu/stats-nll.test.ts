import { describe, expect, it } from 'vitest';
import { GpuNllBatch } from '../../../stats/gpu/nll-batch.js';
import { type HistFactoryModel, loadWorkspace, Patchset } from '../../../stats/index.js';
import { HAVE_DATA, STATS_DIR } from '../../stats/reference-cases.js';
import { testGpu } from './gpu-setup.js';

/** K points spread around the suggested init within the bounds (deterministic, no RNG). */
function points(model: HistFactoryModel, K: number): Float64Array {
  const init = model.suggestedInit();
  const { lo, hi } = model.suggestedBounds();
  const fixed = model.suggestedFixed();
  const out = new Float64Array(K * model.nPars);
  for (let k = 0; k < K; k++)
    for (let p = 0; p < model.nPars; p++) {
      const span = Math.min(hi[p]! - lo[p]!, 4);
      const u = Math.sin(1.7 * k + 2.3 * p + 0.5) * 0.5; // in [-0.5, 0.5]
      const x = fixed[p] ? init[p]! : init[p]! + u * span * 0.5;
      out[k * model.nPars + p] = Math.min(hi[p]!, Math.max(lo[p]!, x));
    }
  return out;
}

async function compare(model: HistFactoryModel, K: number, toys: boolean) {
  const gpu = GpuNllBatch.create(model, await testGpu());
  const thetas = points(model, K);
  const init = model.suggestedInit();
  const observed = model.expectedData(init);
  // "Toys": Asimov data of each point, so each point has its own data set.
  const data = toys
    ? Array.from({ length: K }, (_, k) =>
        model.expectedData(thetas.subarray(((k + 1) % K) * model.nPars, (((k + 1) % K) + 1) * model.nPars)),
      )
    : [observed];
  const r = await gpu.evaluate(thetas, data, { gradient: true, rates: true });
  const g = new Float64Array(model.nPars);
  for (let k = 0; k < K; k++) {
    const theta = thetas.subarray(k * model.nPars, (k + 1) * model.nPars);
    // Expected rates: float32 products and sums of the model's terms, relative 1e-5.
    const lam = model.expectedMain(theta);
    for (let b = 0; b < model.nMain; b++)
      expect(Math.abs(r.rates![k * model.nMain + b]! - lam[b]!), `rate ${b} at ${k}`).toBeLessThanOrEqual(
        1e-5 * Math.abs(lam[b]!) + 1e-6,
      );
    const cpu = model.nll(theta, data[toys ? k : 0]!, g);
    // float32 arithmetic (Kahan-summed): relative 1e-4 of the NLL (constants included) plus 2e-3; points far from
    // the data reach NLL ~ 4e8 where float32 rates alone carry ~3e-5.
    expect(Math.abs(r.nll[k]! - cpu), `nll at point ${k}`).toBeLessThanOrEqual(1e-4 * Math.abs(cpu) + 2e-3);
    const scale = Math.max(1, ...g.map(Math.abs));
    for (let p = 0; p < model.nPars; p++)
      expect(Math.abs(r.grad![k * model.nPars + p]! - g[p]!), `grad[${p}] at ${k}`).toBeLessThanOrEqual(
        2e-3 * scale,
      );
  }
  gpu.release();
  return r;
}

describe.skipIf(!HAVE_DATA)('HistFactory NLL and gradient batched on the GPU vs the CPU model', () => {
  it('pyhf example (normfactor, shapesys): 256 points at once', async () => {
    const ws = loadWorkspace(`${STATS_DIR}workspaces/pyhf_examples/2-bin_1-channel.json`);
    const model = ws.model();
    const r = await compare(model, 256, false);
    expect(r.nll.length).toBe(256);
  });

  it('ATLAS 3L eRJR signal patch (normsys code 4, histosys 4p, staterror, lumi): 64 points, toys', async () => {
    const dir = `${STATS_DIR}workspaces/atlas_3L_eRJR/`;
    const ws = Patchset.fromFile(`${dir}patchset.json`).apply(
      loadWorkspace(`${dir}BkgOnly.json`),
      'ERJR_150p0_50p0',
    );
    const model = ws.model({ measurement: 'NormalMeasurement' });
    expect(model.modifiers.map((m) => m.type)).toContain('normsys');
    await compare(model, 64, false);
    await compare(model, 32, true);
  });

  it('other interpolation codes: normsys code 1 and histosys code 0 are matched; code 2 is refused', async () => {
    const dir = `${STATS_DIR}workspaces/atlas_3L_eRJR/`;
    const ws = Patchset.fromFile(`${dir}patchset.json`).apply(
      loadWorkspace(`${dir}BkgOnly.json`),
      'ERJR_150p0_50p0',
    );
    await compare(
      ws.model({ measurement: 'NormalMeasurement', normsys: 'code1', histosys: 'code0' }),
      16,
      false,
    );
    const code2 = ws.model({ measurement: 'NormalMeasurement', normsys: 'code2' });
    expect(() => GpuNllBatch.create(code2, {} as never)).toThrow(
      /normsys modifier element 0: no GPU interpolation/,
    );
  });
});
