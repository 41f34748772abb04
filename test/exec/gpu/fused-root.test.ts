import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openRootTable } from '../../../connectors/root/index.js';
import { parseQuery } from '../../../query/index.js';
import { ADL_TASKS } from '../../func-adl/adl-tasks.js';
import { executePlan, runFusedPlan } from '../../helpers/bound-exec.js';
import { testGpu } from './gpu-setup.js';

const FILE = fileURLToPath(
  new URL('../../../../shared/conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root', import.meta.url),
);
const HAVE = existsSync(FILE);
if (!HAVE) process.stderr.write(`\n*** ${FILE} is absent: GPU-over-ROOT tests SKIPPED ***\n\n`);

describe.skipIf(!HAVE)('fused GPU kernels over the ROOT reader (Run2012B_SingleMu_1000.root)', () => {
  it('all eight ADL tasks: the GPU histogram equals the CPU engine over the same ROOT table', async () => {
    const table = await openRootTable(FILE, 'Events');
    const gpu = await testGpu();
    for (const t of ADL_TASKS) {
      const plan = parseQuery(`${t.query}.Hist(lambda x: x, bins=100, range=(${t.lo}, ${t.hi}))`);
      const g = await runFusedPlan(plan, table, gpu, { maxBindingBytes: 16384 });
      const c = await executePlan(plan, table);
      if (g.kind !== 'histogram' || c.kind !== 'histogram') throw new Error('expected histograms');
      expect(g.histogram, t.name).toEqual(c.histogram);
      expect(g.stats.events).toBe(1000);
      // 16 KiB packed bindings: the tasks reading several collections need several chunks.
      if (t.name === 'q8') expect(g.stats.chunks).toBeGreaterThan(1);
    }
  });

  it('an entry range runs only those events (as a Session morsel would)', async () => {
    const table = await openRootTable(FILE, 'Events');
    const plan = parseQuery(
      'ds.Where(lambda e: e.nMuon >= 1).Hist(lambda e: e.MET_pt, bins=20, range=(0, 100))',
    );
    const range = { start: 250, stop: 700 };
    const g = await runFusedPlan(plan, table, await testGpu(), { range });
    const c = await executePlan(plan, table, { range });
    if (g.kind !== 'histogram' || c.kind !== 'histogram') throw new Error('expected histograms');
    expect(g.stats.events).toBe(450);
    expect(g.histogram).toEqual(c.histogram);
  });
});
