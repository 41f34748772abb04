/**
 * One binning rule (planner/ir/binning.ts), three targets: the CPU's compiled loop, the GPU's fused kernel
 * (llvmpipe on CI) and DuckDB's `hepq.hist_index` / `hist_index_edges` give identical histograms over the real
 * Run2012B_SingleMu_1000.root, for a regular axis whose numpy edges are inexact and for a variable-edge axis;
 * and the GPU's printed WGSL bins hand-derived float32 values (edges, lo, hi, NaN, ±∞) as the rule says.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openRootTable } from '../../../connectors/root/index.js';
import { GpuKernels } from '../../../exec/gpu/gpu-kernels.js';
import { parseQuery } from '../../../query/index.js';
import { Session } from '../../../server/session.js';
import { executePlan, runFusedPlan } from '../../helpers/bound-exec.js';
import { ADL_ROOT, HAVE_ADL, lit } from '../../server/sql/helpers.js';
import { testGpu } from './gpu-setup.js';

const EDGES = [0, 10, 20, 25, 30, 40, 60, 100, 200];

/** Counts per bin, underflow and overflow from SQL's (bin, n) rows. */
function fromSql(rows: Array<[number | null, number]>, bins: number) {
  const counts = new Array<number>(bins).fill(0);
  let underflow = 0;
  let overflow = 0;
  for (const [b, n] of rows) {
    if (b === null) continue;
    if (b === -1) underflow += n;
    else if (b === bins) overflow += n;
    else counts[b] = n;
  }
  return { counts, underflow, overflow };
}

describe.skipIf(!HAVE_ADL)('CPU, GPU and SQL bin alike (Run2012B_SingleMu_1000.root)', () => {
  const session = new Session();
  afterAll(() => session.close());
  const ROOT = `root(${lit(ADL_ROOT)}, 'Events')`;

  async function sqlRows(select: string): Promise<Array<[number | null, number]>> {
    const r = await session.sql(`SELECT ${select} AS b, count(*) AS n FROM ${ROOT} GROUP BY b`);
    return r.columns[0]!.map((b, i) => [b === null ? null : Number(b), Number(r.columns[1]![i])]);
  }

  async function cpuAndGpu(query: string) {
    const table = await openRootTable(ADL_ROOT, 'Events');
    const gpu = await testGpu();
    const plan = parseQuery(query);
    const g = await runFusedPlan(plan, table, gpu);
    const c = await executePlan(plan, table);
    if (g.kind !== 'histogram' || c.kind !== 'histogram') throw new Error('expected histograms');
    expect(g.histogram).toEqual(c.histogram);
    return c.histogram;
  }

  it('a regular axis (15, 60) in 100 bins, whose numpy edges are not all (hi − lo)·k/bins', async () => {
    const h = await cpuAndGpu('Select(lambda e: e.MET_pt).Hist(lambda x: x, bins=100, range=(15, 60))');
    const s = fromSql(await sqlRows('hist_index(MET.pt, 15, 60, 100)'), 100);
    expect({ counts: h.counts, underflow: h.underflow, overflow: h.overflow }).toEqual(s);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(500); // most events lie inside
  });

  it('variable edges, every jet (SelectMany)', async () => {
    const h = await cpuAndGpu(
      `SelectMany(lambda e: e.Jet_pt).Hist(lambda x: x, edges=[${EDGES.join(', ')}])`,
    );
    expect(h.edges).toEqual(EDGES);
    const r = await session.sql(
      `SELECT hist_index_edges(x, [${EDGES.join(', ')}]::DOUBLE[]) AS b, count(*) AS n
       FROM (SELECT unnest(Jet_pt) AS x FROM ${ROOT}) GROUP BY b`,
    );
    const rows = r.columns[0]!.map((b, i): [number | null, number] => [
      b === null ? null : Number(b),
      Number(r.columns[1]![i]),
    ]);
    const s = fromSql(rows, EDGES.length - 1);
    expect({ counts: h.counts, underflow: h.underflow, overflow: h.overflow }).toEqual(s);
    expect(h.counts.filter((c) => c > 0).length).toBeGreaterThan(4);
  });
});

describe('the printed WGSL bins hand-derived float32 values', () => {
  it('regular (0, 10) in 5 bins and variable edges 0, 1, 2.5, 5, 10', async () => {
    const gpu = new GpuKernels(await testGpu());
    // lo, an inner edge, just below an edge, just below hi (float32), hi, ±∞, NaN (no bin), below lo
    const xs = Float32Array.from([0, 2, 1.999, 9.999999, 10, Infinity, -Infinity, NaN, -0.5, 4, 7.5]);
    const r = await gpu.histogram([{ bins: 5, lo: 0, hi: 10 }], xs);
    // bins: 0 ← 0, 1.999; 1 ← 2; 2 ← 4; 3 ← 7.5; 4 ← 9.999999; overflow ← 10, ∞; underflow ← −∞, −0.5
    expect([r.counts, r.underflow, r.overflow]).toEqual([[2, 1, 1, 1, 1], 2, 2]);
    const v = await gpu.histogram([{ bins: 4, lo: 0, hi: 10, edges: [0, 1, 2.5, 5, 10] }], xs);
    // 0 ← 0; 1 ← 2, 1.999; 2 ← 4; 3 ← 7.5, 9.999999; overflow ← 10, ∞; underflow ← −∞, −0.5
    expect([v.counts, v.underflow, v.overflow]).toEqual([[1, 2, 1, 2], 2, 2]);
    expect(v.edges).toEqual([0, 1, 2.5, 5, 10]);
  });
});
