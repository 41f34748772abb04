/**
 * Calls take their result types from the bound plan (issue 16 follow-up): the analyzer types them as numpy /
 * Python compute them, and the JS loop and the WGSL kernel both take those types — the result column's type
 * shows it. Values are derived by hand from the four small events (Jet counts 3, 0, 2, 1; Muon counts 2, 1, 0,
 * 3; MET_pt 10, 20.5, 30, 0).
 */
import { describe, expect, it } from 'vitest';
import { compileFusedKernel } from '../../exec/gpu/fused/compile-kernel.js';
import { type FunctionLookup, type QueryResult, resultToJson } from '../../exec/index.js';
import { parseQuery } from '../../query/index.js';
import { testGpu } from '../exec/gpu/gpu-setup.js';
import { bind, executePlan, runFusedPlan } from '../helpers/bound-exec.js';
import { smallEvents } from './small-events.js';

const positive: FunctionLookup = {
  scalar: (name) =>
    name === 'positive'
      ? {
          name,
          arity: [1],
          returns: { kind: 'primitive', type: 'bool' },
          description: 'x > 0',
          fn: (x: number) => (x > 0 ? 1 : 0),
        }
      : undefined,
};

async function run(query: string, functions?: FunctionLookup): Promise<{ type: unknown; rows: unknown }> {
  const r: QueryResult = await executePlan(parseQuery(query), smallEvents(), {
    source: query,
    ...(functions ? { functions } : {}),
  });
  if (r.kind !== 'rows') throw new Error(`expected rows, got ${r.kind}`);
  return { type: r.schema.fields[0]!.type, rows: resultToJson(r) };
}

const int32 = { kind: 'primitive', type: 'int32' };

describe('the result types of calls come from the bound plan', () => {
  it('abs of an int is an int (Python abs, np.abs of an int array), not a float64', async () => {
    expect(await run('ds.Select(lambda e: abs(e.Jet_pt.Count() - 2))')).toEqual({
      type: int32,
      rows: [1, 2, 0, 1],
    });
  });

  it('max of ints is an int (np.maximum of int arrays), floor-divided as ints', async () => {
    expect(await run('ds.Select(lambda e: max(e.Jet_pt.Count(), e.Muon_pt.Count()) // 2)')).toEqual({
      type: int32,
      rows: [1, 0, 1, 1],
    });
    // With a float among the arguments it is a float (np.maximum(ints, 2.5)).
    expect(await run('ds.Select(lambda e: min(e.Jet_pt.Count(), 2.5))')).toEqual({
      type: { kind: 'primitive', type: 'float64' },
      rows: [2.5, 0, 2, 1],
    });
  });

  it('a registered function declared bool is a bool: True + 1 is the int 2', async () => {
    expect(await run('ds.Select(lambda e: positive(e.MET_pt) + 1)', positive)).toEqual({
      type: int32,
      rows: [2, 2, 2, 1],
    });
    expect(await run('ds.Select(lambda e: positive(e.MET_pt))', positive)).toEqual({
      type: { kind: 'primitive', type: 'bool' },
      rows: [true, true, true, false],
    });
  });

  it('the kernel types a float literal and a two-argument max with it as floats, as the CPU does', () => {
    const kernel = (q: string) =>
      compileFusedKernel(bind(parseQuery(q), smallEvents().schema()), smallEvents().schema());
    // `2.0` is a float: max(count, 2.0) is an f32 (it was an i32, the literal read as 2i); the CPU writes a float64.
    const f = kernel('ds.Select(lambda e: max(e.Jet_pt.Count(), 2.0))');
    expect(f.output).toEqual({ kind: 'values', type: 'f32' });
    expect(f.code).toMatch(/max\(f32\([^;]*\), 2\.0\)/);
    const i = kernel('ds.Select(lambda e: max(e.Jet_pt.Count(), 2))');
    expect(i.output).toEqual({ kind: 'values', type: 'i32' });
    expect(i.code).toMatch(/max\([^;]*, 2i\)/);
  });

  it('on a WebGPU device the kernel gives the hand-derived values of max(count, 2.0) and abs(count - 2)', async () => {
    const gpu = await testGpu();
    const values = async (q: string) => {
      const r = await runFusedPlan(parseQuery(q), smallEvents(), gpu);
      if (r.kind !== 'values') throw new Error(`expected values, got ${r.kind}`);
      return [...r.values];
    };
    expect(await values('ds.Select(lambda e: max(e.Jet_pt.Count(), 2.0))')).toEqual([3, 2, 2, 2]);
    expect(await values('ds.Select(lambda e: abs(e.Jet_pt.Count() - 2))')).toEqual([1, 2, 0, 1]);
  });
});
