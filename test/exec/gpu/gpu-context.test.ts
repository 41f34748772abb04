import { describe, expect, it } from 'vitest';
import { GpuContext } from '../../../exec/gpu/index.js';
import { parseQuery } from '../../../query/index.js';
import { HAVE_ADL, loadAdlEvents } from '../../func-adl/adl-events.js';
import { ADL_TASKS } from '../../func-adl/adl-tasks.js';
import './gpu-setup.js';
import { bind, executePlan } from '../../helpers/bound-exec.js';

const q4 = ADL_TASKS.find((t) => t.name === 'q4')!;

/** Plans are bound to the sample's schema, as the Session binds them (the kernel reads the bound types). */
const bound = (text: string) => bind(parseQuery(text), loadAdlEvents().schema());
const hist = (t: typeof q4) => bound(`${t.query}.Hist(lambda x: x, bins=100, range=(${t.lo}, ${t.hi}))`);

describe.skipIf(!HAVE_ADL)('GpuContext: placement, --device, resident columns', () => {
  it('--device gpu runs the fused kernel (same histogram as the CPU) and the second query finds its columns resident', async () => {
    const table = loadAdlEvents();
    const ctx = await GpuContext.open({ choice: 'gpu' });
    expect(ctx.gpu).toBeDefined();
    const before = ctx.estimate(hist(q4), table);
    expect(before.residentBytes).toBe(0);
    expect(before.inputBytes).toBeGreaterThan(0);
    const r = await ctx.run(hist(q4), table);
    expect(r.placement.device).toBe('gpu');
    expect(r.placement.reason).toMatch(
      /^gpu: forced by --device gpu; gpu [\d.]+ ms \(upload .*\) vs cpu [\d.]+ ms$/,
    );
    const cpu = await executePlan(hist(q4), table);
    if (r.result?.kind !== 'histogram' || cpu.kind !== 'histogram') throw new Error('expected histograms');
    expect(r.result.histogram).toEqual(cpu.histogram);
    // Same columns, another query: everything it reads is on the device already.
    const q = bound(
      'ds.Where(lambda e: e.Jet_pt.Where(lambda pt: pt > 40).Count() >= 3).Hist(lambda e: e.MET_pt, bins=10, range=(0, 200))',
    );
    const after = ctx.estimate(q, table);
    expect(after.residentBytes).toBe(after.inputBytes);
    const again = await ctx.run(q, table);
    expect(again.result?.stats.uploadedBytes).toBe(0);
    ctx.close();
  });

  it('auto compares measured seconds; cpu is forced; unsupported plans say why', async () => {
    const table = loadAdlEvents();
    const auto = await GpuContext.open({ choice: 'auto' });
    const p = auto.place(hist(q4), table);
    expect(p.reason).toMatch(/^(gpu|cpu): cheaper, gpu .* vs cpu .*$/);
    expect(p.device).toBe(p.gpuSec! < p.cpuSec! ? 'gpu' : 'cpu');
    const unfusable = bound(
      'ds.Select(lambda e: e.Jet_pt.OrderBy(lambda j: j).Count()).Hist(lambda n: n, bins=10, range=(0, 10))',
    );
    const none = await auto.run(unfusable, table);
    expect(none.placement.device).toBe('cpu');
    expect(none.placement.reason).toMatch(/^cpu: not offloadable \(the OrderBy operator\)$/);
    expect(none.result).toBeUndefined();
    const cpu = await GpuContext.open({ choice: 'cpu' });
    const forced = await cpu.run(hist(q4), table);
    expect(forced.placement.reason).toBe('cpu: forced by --device cpu');
    expect(forced.result).toBeUndefined();
    // The planner-shaped cost term: undefined for plans the GPU cannot run, seconds otherwise.
    const term = auto.costTerm(table.schema());
    const work = { events: 1e6, unitsPerEvent: 50, uncompressedBytes: 40e6, decompressSeconds: 0.1 };
    expect(term.estimate(work, unfusable)).toBeUndefined();
    expect(term.estimate(work, hist(q4))!.seconds).toBeGreaterThan(0.1);
    auto.close();
  });
});
