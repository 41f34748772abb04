/** The GPU backend of `ColumnKernels`: uploads, chunks to the binding-size limit, dispatches WGSL, reads back. */
import { binEdges, edgeThresholds, type HistAxisSpec, type KernelHistogram } from './binning.js';
import type { GpuDevice } from './device.js';
import type { ColumnKernels } from './kernels.js';
import {
  GATHER,
  histKernelWgsl,
  SCAN_ADD,
  SCAN_BLOCKS,
  SCATTER,
  type SegmentOp,
  segmentedReduceWgsl,
  WG,
} from './wgsl.js';

function params(gpu: GpuDevice, n: number, ...rest: number[]): GPUBuffer {
  return gpu.uniform(new Uint32Array([n, gpu.gridWidth(n, WG), ...rest, 0, 0].slice(0, 4)));
}

/** Exclusive prefix sum of `n` u32 in `src` into `dst` (recursive over block sums). Buffers stay on the device. */
export async function scanOnDevice(gpu: GpuDevice, src: GPUBuffer, dst: GPUBuffer, n: number): Promise<void> {
  const blocks = Math.ceil(n / WG);
  const sums = gpu.zeros(blocks * 4);
  const p = params(gpu, n);
  gpu.dispatch(await gpu.pipeline(SCAN_BLOCKS), [src, dst, sums, p], n, WG);
  if (blocks > 1) {
    const scanned = gpu.zeros(blocks * 4);
    await scanOnDevice(gpu, sums, scanned, blocks);
    gpu.dispatch(await gpu.pipeline(SCAN_ADD), [dst, scanned, p], n, WG);
    gpu.pool.release(scanned);
  }
  gpu.pool.release(sums, p);
}

/** Compaction on the device: indices of the non-zero u32 entries of `mask` (n entries) and their count. */
export async function compactOnDevice(
  gpu: GpuDevice,
  mask: GPUBuffer,
  n: number,
): Promise<{ indices: GPUBuffer; count: number }> {
  const pos = gpu.zeros(n * 4);
  await scanOnDevice(gpu, mask, pos, n);
  const indices = gpu.zeros(n * 4);
  const count = gpu.zeros(4);
  const p = params(gpu, n);
  gpu.dispatch(await gpu.pipeline(SCATTER), [mask, pos, indices, count, p], n, WG);
  const c = new Uint32Array(await gpu.readback(count, 4))[0]!;
  gpu.pool.release(pos, count, p);
  return { indices, count: c };
}

/** `vals[indices[i]]` for i < count, as raw 32-bit words, read back. */
export async function gatherOnDevice(
  gpu: GpuDevice,
  indices: GPUBuffer,
  vals: GPUBuffer,
  count: number,
): Promise<ArrayBuffer> {
  if (count === 0) return new ArrayBuffer(0);
  const out = gpu.zeros(count * 4);
  const p = params(gpu, count);
  gpu.dispatch(await gpu.pipeline(GATHER), [indices, vals, out, p], count, WG);
  const r = await gpu.readback(out, count * 4);
  gpu.pool.release(out, p);
  return r;
}

/** Converts read-back histogram slots ([under, bins…, over]; weights as (sumw, sumw2) pairs) to the CPU's shape. */
export function histogramFromSlots(
  axes: readonly HistAxisSpec[],
  counts: Uint32Array,
  weights?: Float32Array,
): KernelHistogram {
  const nb = axes.reduce((a, x) => a * x.bins, 1);
  const c = (k: number) => (weights ? weights[2 * k]! : counts[k]!);
  const c2 = (k: number) => (weights ? weights[2 * k + 1]! : counts[k]!);
  return {
    edges: [...binEdges(axes[0]!)],
    ...(axes.length > 1 ? { edges2: [...binEdges(axes[1]!)] } : {}),
    counts: Array.from({ length: nb }, (_, i) => c(i + 1)),
    sumw2: Array.from({ length: nb }, (_, i) => c2(i + 1)),
    underflow: c(0),
    overflow: c(nb + 1),
  };
}

/** Device buffers of a histogram being filled: thresholds per axis, counts, optional weights. */
export interface DeviceHistogram {
  readonly axes: readonly HistAxisSpec[];
  readonly buffers: GPUBuffer[];
  readonly counts: GPUBuffer;
  readonly weights?: GPUBuffer;
}

export function createDeviceHistogram(
  gpu: GpuDevice,
  axes: readonly HistAxisSpec[],
  weighted: boolean,
): DeviceHistogram {
  const slots = axes.reduce((a, x) => a * x.bins, 1) + 2;
  const edges = axes.map((a) => gpu.upload(edgeThresholds(a)));
  const counts = gpu.zeros(slots * 4);
  const weights = weighted ? gpu.zeros(slots * 8) : undefined;
  return {
    axes,
    buffers: [...edges, counts, ...(weights ? [weights] : [])],
    counts,
    ...(weights ? { weights } : {}),
  };
}

export async function readDeviceHistogram(gpu: GpuDevice, h: DeviceHistogram): Promise<KernelHistogram> {
  const slots = h.axes.reduce((a, x) => a * x.bins, 1) + 2;
  const counts = new Uint32Array(await gpu.readback(h.counts, slots * 4));
  const weights = h.weights ? new Float32Array(await gpu.readback(h.weights, slots * 8)) : undefined;
  gpu.pool.release(...h.buffers);
  return histogramFromSlots(h.axes, counts, weights);
}

/** The GPU implementation of the column kernels on one device. */
export class GpuKernels implements ColumnKernels {
  readonly name = 'gpu' as const;
  private readonly maxElems: number;
  /** `maxBindingBytes` below the device's limit forces chunking (tests exercise it with small data). */
  constructor(
    readonly gpu: GpuDevice,
    options: { maxBindingBytes?: number } = {},
  ) {
    this.maxElems = Math.floor(Math.min(options.maxBindingBytes ?? Infinity, gpu.maxBindingBytes) / 4);
  }

  async segmentedReduce(op: SegmentOp, offsets: Int32Array, values: Float32Array): Promise<Float64Array> {
    const gpu = this.gpu;
    const n = offsets.length - 1;
    const out = new Float64Array(n);
    const pipe = await gpu.pipeline(segmentedReduceWgsl(op));
    const maxSeg = this.maxElems - 1;
    let i0 = 0;
    while (i0 < n) {
      // Grow the chunk while its segments' values fit one binding.
      let i1 = Math.min(n, i0 + maxSeg);
      while (offsets[i1]! - offsets[i0]! > this.maxElems) i1 = i0 + Math.max(1, (i1 - i0) >> 1);
      const base = offsets[i0]!;
      const offs = new Int32Array(i1 - i0 + 1);
      for (let i = i0; i <= i1; i++) offs[i - i0] = offsets[i]! - base;
      const ob = gpu.upload(offs);
      const vb = gpu.upload(values.subarray(base, offsets[i1]!));
      const res = gpu.zeros((i1 - i0) * 4);
      const p = params(gpu, i1 - i0);
      gpu.dispatch(pipe, [ob, vb, res, p], i1 - i0, WG);
      const raw = await gpu.readback(res, (i1 - i0) * 4);
      const view = op === 'count' || op === 'argmax' ? new Int32Array(raw) : new Float32Array(raw);
      out.set(view, i0);
      gpu.pool.release(ob, vb, res, p);
      i0 = i1;
    }
    return out;
  }

  async compact(mask: Uint8Array): Promise<Uint32Array> {
    const gpu = this.gpu;
    const parts: Uint32Array[] = [];
    let total = 0;
    for (let s = 0; s < mask.length; s += this.maxElems) {
      const e = Math.min(mask.length, s + this.maxElems);
      const m = new Uint32Array(e - s);
      for (let i = s; i < e; i++) m[i - s] = mask[i] ? 1 : 0;
      const mb = gpu.upload(m);
      const { indices, count } = await compactOnDevice(gpu, mb, e - s);
      const idx = count ? new Uint32Array(await gpu.readback(indices, count * 4)) : new Uint32Array(0);
      for (let i = 0; i < idx.length; i++) idx[i] = idx[i]! + s;
      parts.push(idx);
      total += idx.length;
      gpu.pool.release(mb, indices);
    }
    const out = new Uint32Array(total);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  async histogram(
    axes: readonly HistAxisSpec[],
    x: Float32Array,
    y?: Float32Array,
    w?: Float32Array,
  ): Promise<KernelHistogram> {
    const gpu = this.gpu;
    const dims = axes.length === 1 ? 1 : 2;
    const h = createDeviceHistogram(gpu, axes, !!w);
    const pipe = await gpu.pipeline(
      histKernelWgsl(
        dims,
        !!w,
        axes.map((a) => a.bins),
      ),
    );
    for (let s = 0; s < x.length; s += this.maxElems) {
      const e = Math.min(x.length, s + this.maxElems);
      const cols = [x, ...(dims === 2 ? [y!] : []), ...(w ? [w] : [])].map((c) =>
        gpu.upload(c.subarray(s, e)),
      );
      const p = params(gpu, e - s);
      gpu.dispatch(pipe, [...cols, ...h.buffers, p], e - s, WG);
      gpu.pool.release(...cols, p);
    }
    return readDeviceHistogram(gpu, h);
  }
}
