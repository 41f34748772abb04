import { describe, expect, it } from 'vitest';
import { type Batch, valueAt } from '../../../exec/batch/index.js';
import { DeviceColumnCache } from '../../../exec/gpu/column-cache.js';
import { compileFusedKernel } from '../../../exec/gpu/fused/compile-kernel.js';
import { parseQuery } from '../../../query/index.js';
import {
  asReference,
  HAVE_ADL,
  loadAdlEvents,
  loadAdlNativeEvents,
  referenceRecord,
} from '../../func-adl/adl-events.js';
import { ADL_TASKS } from '../../func-adl/adl-tasks.js';
import { bind, executePlan, runFusedPlan } from '../../helpers/bound-exec.js';
import { testGpu } from './gpu-setup.js';

/** Tasks the fused generator supports; the others must be refused with a reason. */
const FUSED = new Set(['q1', 'q2', 'q3', 'q4', 'q5', 'q6-1', 'q6-2', 'q7', 'q8']);

const histQuery = (t: (typeof ADL_TASKS)[number]) =>
  `${t.query}.Hist(lambda x: x, bins=100, range=(${t.lo}, ${t.hi}))`;

describe.skipIf(!HAVE_ADL)('fused GPU pipelines over the ADL sample (software adapter on CI)', () => {
  const layouts = HAVE_ADL
    ? ([
        ['flat NanoAOD columns', loadAdlEvents()],
        ['lists of structs', loadAdlNativeEvents()],
      ] as const)
    : [];
  for (const [layout, table] of layouts)
    for (const t of ADL_TASKS.filter((x) => FUSED.has(x.name)))
      it(`task ${t.name} over ${layout}: GPU histogram = CPU histogram = SQL reference`, async () => {
        const plan = parseQuery(histQuery(t));
        const gpu = await runFusedPlan(plan, table, await testGpu());
        const cpu = await executePlan(plan, table);
        if (gpu.kind !== 'histogram' || cpu.kind !== 'histogram') throw new Error('expected histograms');
        expect(gpu.histogram).toEqual(cpu.histogram);
        const ref = referenceRecord(t.name);
        expect(asReference(gpu.histogram, t.lo, t.hi)).toEqual(ref);
        expect(gpu.stats.events).toBe(1000);
      });

  it('η of a zero four-vector is 0 on the GPU, as on the CPU (the shared formula; the kernel gave NaN)', async () => {
    // j − j is the zero vector: every event with a jet has η = 0 exactly, in the bin [0, 1).
    const table = loadAdlEvents();
    const plan = parseQuery(
      'ds.Where(lambda e: e.nJet >= 1).Select(lambda e: (e.Jet.First().ToFourMomentum() - e.Jet.First().ToFourMomentum()).eta).Hist(lambda x: x, bins=2, range=(-1, 1))',
    );
    const withJets = (await executePlan(parseQuery('ds.Where(lambda e: e.nJet >= 1).Count()'), table)) as {
      value: number;
    };
    const gpu = await runFusedPlan(plan, table, await testGpu());
    const cpu = await executePlan(plan, table);
    if (gpu.kind !== 'histogram' || cpu.kind !== 'histogram') throw new Error('expected histograms');
    expect(withJets.value).toBeGreaterThan(0);
    expect(Array.from(gpu.histogram.counts)).toEqual([0, withJets.value]);
    expect(gpu.histogram).toEqual(cpu.histogram);
  });

  it('an int times an integral float literal is float arithmetic on the GPU, as in Python (it was i32 and wrapped)', async () => {
    // nJet * 2e9 lands in the middle of bin nJet of (−1e9, 1.9e10) / 10 (float32 rounding cannot move it); in
    // 32-bit integers it wrapped for nJet >= 2.
    const table = loadAdlEvents();
    const plan = parseQuery(
      'ds.Select(lambda e: e.nJet * 2000000000.0).Hist(lambda x: x, bins=10, range=(-1000000000, 19000000000))',
    );
    const gpu = await runFusedPlan(plan, table, await testGpu());
    const cpu = await executePlan(plan, table);
    if (gpu.kind !== 'histogram' || cpu.kind !== 'histogram') throw new Error('expected histograms');
    for (const k of [0, 2, 5]) {
      const n = (await executePlan(parseQuery(`ds.Where(lambda e: e.nJet == ${k}).Count()`), table)) as {
        value: number;
      };
      expect(n.value).toBeGreaterThan(0);
      expect(gpu.histogram.counts[k]).toBe(n.value);
    }
    expect(gpu.histogram).toEqual(cpu.histogram);
  });

  it('plans it cannot fuse are refused with a located reason (the CPU runs them)', () => {
    const schema = loadAdlEvents().schema();
    const reason = (q: string) => {
      try {
        compileFusedKernel(bind(parseQuery(q), schema), schema);
      } catch (e) {
        expect((e as { code: string }).code).toBe('gpu/unsupported');
        return (e as Error).message;
      }
      return 'compiled';
    };
    expect(reason('ds.Select(lambda e: e.Jet_pt.OrderBy(lambda j: j).Count())')).toBe('the OrderBy operator');
    expect(reason('ds.Take(5).Select(lambda e: e.MET_pt)')).toBe('the limit operator');
    // An operator the GPU table marks unsupported (exec/gpu/fused/op-table.ts), over a collection and a tuple.
    expect(reason('ds.Select(lambda e: e.Jet_pt.Aggregate(0, lambda a, j: a + j))')).toBe(
      'the Aggregate operator',
    );
    expect(
      reason(
        'ds.Select(lambda e: e.Jet_pt.Choose(2).Where(lambda c: c.Aggregate(0, lambda a, j: a + j) > 50).Count())',
      ),
    ).toBe('Aggregate of a tuple');
    expect(reason('ds.SelectMany(lambda e: e.Jet_pt)')).toBe(
      'SelectMany without a histogram (variable-length output)',
    );
  });

  it('an event selection with a compacted output gives the CPU rows, chunked, and reuses resident columns', async () => {
    const table = loadAdlEvents();
    const q = `ds.Where(lambda e: e.Jet_pt.Where(lambda pt: pt > 40).Count() >= 2 and e.nMuon > 0)
                 .Select(lambda e: e.MET_pt + e.Muon_pt.Max())`;
    const plan = parseQuery(q);
    const cpu = await executePlan(plan, table);
    if (cpu.kind !== 'rows') throw new Error('expected rows');
    const expected = cpu.batches.flatMap((b: Batch) => {
      const rows = b.selection ? [...b.selection] : [...Array(b.length).keys()];
      return rows.map((i) => valueAt(b.columns[0]!, i) as number);
    });
    expect(expected.length).toBeGreaterThan(10);
    const gpu = await testGpu();
    const cache = new DeviceColumnCache(gpu, 64 * 1024 * 1024);
    // 2 KiB bindings: ~500 events' jets per chunk at most, so several chunks and several compactions.
    const first = await runFusedPlan(plan, table, gpu, { cache, maxBindingBytes: 2048 });
    if (first.kind !== 'values') throw new Error('expected values');
    expect(first.stats.chunks).toBeGreaterThan(2);
    expect(first.values.length).toBe(expected.length);
    // float32 sum vs the CPU's float64 sum of the same float32 inputs: within one float32 rounding.
    for (let i = 0; i < expected.length; i++)
      expect(Math.abs(first.values[i]! - expected[i]!)).toBeLessThanOrEqual(
        Math.abs(expected[i]!) * 2 ** -23,
      );
    expect(first.stats.residentBytes).toBe(0);
    const again = await runFusedPlan(plan, table, gpu, { cache, maxBindingBytes: 2048 });
    expect(again.stats.uploadedBytes).toBe(0);
    expect(again.stats.residentBytes).toBeGreaterThan(0);
    expect(cache.hits).toBeGreaterThan(0);
    if (again.kind !== 'values') throw new Error('expected values');
    expect([...again.values]).toEqual([...first.values]);
    cache.clear();
  });

  it('a weighted 2-D histogram with per-object Sum/Any matches the CPU within float32 rounding', async () => {
    const table = loadAdlNativeEvents();
    const plan = parseQuery(`ds.Where(lambda e: e.Jet.Any(lambda j: abs(j.eta) < 2.4))
        .Hist2D(lambda e: e.Jet.Select(lambda j: j.pt).Sum(), lambda e: len(e.Muon),
                bins=(20, 5), range=(0, 400, 0, 5), weight=lambda e: e.MET.pt / 100)`);
    const cpu = await executePlan(plan, table);
    const gpu = await runFusedPlan(plan, table, await testGpu());
    if (cpu.kind !== 'histogram' || gpu.kind !== 'histogram') throw new Error('expected histograms');
    expect(gpu.histogram.edges2).toEqual(cpu.histogram.edges2);
    expect(gpu.histogram.counts.length).toBe(100);
    // MET/100-weighted events: a non-trivial total in range.
    expect(cpu.histogram.counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(50);
    for (let i = 0; i < 100; i++) expect(gpu.histogram.counts[i]).toBeCloseTo(cpu.histogram.counts[i]!, 3);
    expect(gpu.histogram.overflow).toBeCloseTo(cpu.histogram.overflow, 3);
  });
});
