import { afterAll, describe, expect, it } from 'vitest';
import { discoverGpu, type GpuDevice } from '../../../exec/gpu/index.js';
import { parseQuery } from '../../../query/index.js';
import { GpuNllBatch } from '../../../stats/gpu/nll-batch.js';
import { loadWorkspace, Patchset } from '../../../stats/index.js';
import { HAVE_ADL, loadAdlEvents } from '../../func-adl/adl-events.js';
import { ADL_TASKS } from '../../func-adl/adl-tasks.js';
import { executePlan, runFusedPlan } from '../../helpers/bound-exec.js';
import { HAVE_DATA, STATS_DIR } from '../../stats/reference-cases.js';

/** A device held to WebGPU's guaranteed minimums: 8 storage buffers per stage, 128 MiB bindings. */
let device: GpuDevice | undefined;
async function minimal(): Promise<GpuDevice> {
  if (device) return device;
  const d = await discoverGpu({
    capLimits: { maxStorageBuffersPerShaderStage: 8, maxStorageBufferBindingSize: 134217728 },
  });
  if (!d.ok) throw new Error(`GPU tests need a WebGPU adapter: ${d.reason}`);
  device = d.gpu;
  return device;
}
afterAll(() => device?.destroy());

describe.skipIf(!HAVE_ADL || !HAVE_DATA)(
  'kernels within WebGPU guaranteed limits (8 storage buffers)',
  () => {
    it('the widest ADL task (q8: electrons, muons, MET) and a weighted 2-D histogram run on 8 bindings', async () => {
      const gpu = await minimal();
      expect(gpu.maxStorageBuffers).toBe(8);
      const table = loadAdlEvents();
      const t = ADL_TASKS.find((x) => x.name === 'q8')!;
      const plan = parseQuery(`${t.query}.Hist(lambda x: x, bins=100, range=(${t.lo}, ${t.hi}))`);
      const g = await runFusedPlan(plan, table, gpu);
      const c = await executePlan(plan, table);
      if (g.kind !== 'histogram' || c.kind !== 'histogram') throw new Error('expected histograms');
      expect(g.histogram).toEqual(c.histogram);
      const h2 = parseQuery(
        'ds.Hist2D(lambda e: e.MET_pt, lambda e: e.nJet, bins=(10, 5), range=(0, 100, 0, 5), weight=lambda e: e.MET_sumet / 1000)',
      );
      const g2 = await runFusedPlan(h2, table, gpu);
      const c2 = await executePlan(h2, table);
      if (g2.kind !== 'histogram' || c2.kind !== 'histogram') throw new Error('expected histograms');
      for (let i = 0; i < 50; i++) expect(g2.histogram.counts[i]).toBeCloseTo(c2.histogram.counts[i]!, 3);
    });

    it('the batched HistFactory NLL binds 7 storage buffers', async () => {
      const dir = `${STATS_DIR}workspaces/atlas_3L_eRJR/`;
      const ws = Patchset.fromFile(`${dir}patchset.json`).apply(
        loadWorkspace(`${dir}BkgOnly.json`),
        'ERJR_150p0_50p0',
      );
      const model = ws.model({ measurement: 'NormalMeasurement' });
      const batch = GpuNllBatch.create(model, await minimal());
      const theta = model.suggestedInit();
      const data = model.expectedData(theta);
      const r = await batch.evaluate(theta, [data]);
      const cpu = model.nll(theta, data);
      expect(Math.abs(r.nll[0]! - cpu)).toBeLessThanOrEqual(1e-4 * Math.abs(cpu) + 2e-3);
      batch.release();
    });
  },
);
