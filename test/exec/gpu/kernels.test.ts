import { describe, expect, it } from 'vitest';
import type { Column } from '../../../exec/batch/index.js';
import { edgeThresholds } from '../../../exec/gpu/binning.js';
import { GpuKernels } from '../../../exec/gpu/gpu-kernels.js';
import { cpuKernels } from '../../../exec/gpu/kernels.js';
import { Histogram1D, Histogram2D } from '../../../exec/sinks/histogram.js';
import { HAVE_ADL, loadAdlEvents } from '../../func-adl/adl-events.js';
import { testGpu } from './gpu-setup.js';

/** A jagged float32 column of the real ADL sample, all batches joined: offsets + values. */
async function jagged(name: string): Promise<{ offsets: Int32Array; values: Float32Array }> {
  const table = loadAdlEvents(100_000);
  for await (const b of table.scan({ columns: [name] })) {
    const c = b.columns[0] as Extract<Column, { kind: 'list' }>;
    const child = c.child as Extract<Column, { kind: 'primitive' }>;
    return { offsets: c.offsets, values: child.values as Float32Array };
  }
  throw new Error('empty table');
}

describe('GPU column kernels (WebGPU, software adapter on CI)', () => {
  it('segmented reductions by hand: count, sum, min, max, argmax, empty segments', async () => {
    const gpu = new GpuKernels(await testGpu());
    const offsets = new Int32Array([0, 3, 3, 4, 7]);
    const values = new Float32Array([1, 5, 2, 7, 3, Number.NaN, 9]);
    expect([...(await gpu.segmentedReduce('count', offsets, values))]).toEqual([3, 0, 1, 3]);
    expect([...(await gpu.segmentedReduce('sum', offsets, values))].slice(0, 3)).toEqual([8, 0, 7]);
    expect([...(await gpu.segmentedReduce('max', offsets, values))]).toEqual([5, Number.NaN, 7, 9]);
    expect([...(await gpu.segmentedReduce('min', offsets, values))]).toEqual([1, Number.NaN, 7, 3]);
    expect([...(await gpu.segmentedReduce('argmax', offsets, values))]).toEqual([1, -1, 0, 2]);
  });

  it.skipIf(!HAVE_ADL)(
    'segmented reductions over the ADL sample Jet_pt match the CPU (chunked)',
    async () => {
      const { offsets, values } = await jagged('Jet_pt');
      // 4 KiB bindings force ~10 chunks over the sample's values.
      const gpu = new GpuKernels(await testGpu(), { maxBindingBytes: 4096 });
      for (const op of ['count', 'argmax', 'max', 'min'] as const)
        expect([...(await gpu.segmentedReduce(op, offsets, values))]).toEqual([
          ...(await cpuKernels.segmentedReduce(op, offsets, values)),
        ]);
      const g = await gpu.segmentedReduce('sum', offsets, values);
      const c = await cpuKernels.segmentedReduce('sum', offsets, values);
      // Float32 accumulation: relative 1e-6 per term.
      for (let i = 0; i < c.length; i++)
        expect(Math.abs(g[i]! - c[i]!)).toBeLessThanOrEqual(
          1e-6 * (offsets[i + 1]! - offsets[i]!) * Math.abs(c[i]!) + 1e-6,
        );
      // nJet of the sample is the number of jets: an independent count.
      expect((await gpu.segmentedReduce('count', offsets, values)).reduce((a, b) => a + b, 0)).toBe(
        values.length,
      );
    },
  );

  it('compaction by prefix sums over several blocks and chunks', async () => {
    const mask = new Uint8Array(10_000);
    for (let i = 0; i < mask.length; i++) mask[i] = (i * 7919) % 13 < 5 ? 1 : 0;
    const expected: number[] = [];
    for (let i = 0; i < mask.length; i++) if (mask[i]) expected.push(i);
    const big = new GpuKernels(await testGpu());
    expect([...(await big.compact(mask))]).toEqual(expected);
    const chunked = new GpuKernels(await testGpu(), { maxBindingBytes: 8192 });
    expect([...(await chunked.compact(mask))]).toEqual(expected);
    expect([...(await big.compact(new Uint8Array(5)))]).toEqual([]);
  });

  it('float32 edge thresholds bin like float64 edges', () => {
    // 0.1 is not a float32: the first float32 at or above it is the threshold.
    const t = edgeThresholds({ bins: 10, lo: 0, hi: 1 });
    expect(t[1]).toBeGreaterThanOrEqual(0.1);
    expect(Math.fround(0.1) >= 0.1 ? t[1] : t[1]! > 0.1).toBeTruthy();
    const h = new Histogram1D(10, 0, 1);
    for (const v of [Math.fround(0.1), Math.fround(0.3), Math.fround(0.7), 1, 0]) {
      const b = h.bin(v);
      expect(b === 10 ? v >= t[10]! : v >= t[b]! && v < t[b + 1]!).toBe(true);
    }
  });

  it.skipIf(!HAVE_ADL)(
    'histograms of the ADL sample equal the engine histogram sink bit for bit',
    async () => {
      const { values } = await jagged('Jet_pt');
      const { values: eta } = await jagged('Jet_eta');
      const gpu = new GpuKernels(await testGpu(), { maxBindingBytes: 8192 });
      const ref = new Histogram1D(100, 15, 60);
      for (const v of values) ref.fill(v, 1);
      const g = await gpu.histogram([{ bins: 100, lo: 15, hi: 60 }], values);
      expect(g).toEqual(ref.result());
      expect(await cpuKernels.histogram([{ bins: 100, lo: 15, hi: 60 }], values)).toEqual(ref.result());
      // An awkward range whose edges are not float32 values.
      const odd = new Histogram1D(37, 17.3, 61.1);
      for (const v of values) odd.fill(v, 1);
      expect(await gpu.histogram([{ bins: 37, lo: 17.3, hi: 61.1 }], values)).toEqual(odd.result());
      // 2-D pt × eta.
      const r2 = new Histogram2D([20, 0, 100], [10, -2.5, 2.5]);
      for (let i = 0; i < values.length; i++) r2.fill(values[i]!, eta[i]!, 1);
      const g2 = await gpu.histogram(
        [
          { bins: 20, lo: 0, hi: 100 },
          { bins: 10, lo: -2.5, hi: 2.5 },
        ],
        values,
        eta,
      );
      expect(g2).toEqual(r2.result());
    },
  );

  it.skipIf(!HAVE_ADL)('weighted histograms agree to float32 rounding', async () => {
    const { values } = await jagged('Jet_pt');
    const { values: w } = await jagged('Jet_eta');
    const gpu = new GpuKernels(await testGpu());
    const ref = new Histogram1D(50, 0, 200);
    for (let i = 0; i < values.length; i++) ref.fill(values[i]!, w[i]!);
    const g = await gpu.histogram([{ bins: 50, lo: 0, hi: 200 }], values, undefined, w);
    const r = ref.result();
    for (let i = 0; i < 50; i++) {
      expect(g.counts[i]).toBeCloseTo(r.counts[i]!, 2);
      expect(g.sumw2[i]! / (r.sumw2[i]! || 1)).toBeCloseTo(r.sumw2[i]! ? 1 : 0, 4);
    }
    expect(g.overflow).toBeCloseTo(r.overflow, 2);
  });
});
