/** The column-kernel interface the CPU and GPU backends both implement, and the CPU backend (float64 accumulation). */
import { binEdges, binnerOf, type HistAxisSpec, type KernelHistogram } from './binning.js';
import type { SegmentOp } from './wgsl.js';

export type { HistAxisSpec, KernelHistogram, SegmentOp };

/**
 * Building-block kernels over flat and jagged (Arrow offsets) columns. Results agree between backends: exactly
 * for counts, argmax, compaction and unweighted histograms of float32 data; to float32 rounding for sums and
 * weighted histograms (the GPU accumulates in float32).
 */
export interface ColumnKernels {
  readonly name: 'cpu' | 'gpu';
  /**
   * One value per segment `offsets[i]..offsets[i+1]` of `values`: `count` and `argmax` (index within the segment,
   * −1 when empty) exact integers; `sum` (0 when empty); `min`/`max` (NaN when empty; NaN values skipped).
   */
  segmentedReduce(op: SegmentOp, offsets: Int32Array, values: Float32Array): Promise<Float64Array>;
  /** Ascending indices of the non-zero entries of `mask` (stream compaction by prefix sums). */
  compact(mask: Uint8Array): Promise<Uint32Array>;
  /** numpy-binned histogram of `x` (and `y` for 2-D), optionally weighted; NaN values are not filled. */
  histogram(
    axes: readonly HistAxisSpec[],
    x: Float32Array,
    y?: Float32Array,
    w?: Float32Array,
  ): Promise<KernelHistogram>;
}

/** The CPU backend: plain loops, float64 accumulation (what the engine's generated code does). */
export const cpuKernels: ColumnKernels = {
  name: 'cpu',
  async segmentedReduce(op, offsets, values) {
    const n = offsets.length - 1;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const s = offsets[i]!;
      const e = offsets[i + 1]!;
      if (op === 'count') out[i] = e - s;
      else if (op === 'sum') {
        let acc = 0;
        for (let j = s; j < e; j++) acc += values[j]!;
        out[i] = acc;
      } else {
        let best = Number.NaN;
        let at = -1;
        for (let j = s; j < e; j++) {
          const v = values[j]!;
          if (Number.isNaN(v)) continue;
          if (at < 0 || (op === 'min' ? v < best : v > best)) {
            best = v;
            at = j - s;
          }
        }
        out[i] = op === 'argmax' ? at : best;
      }
    }
    return out;
  },
  async compact(mask) {
    let n = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i]) n++;
    const out = new Uint32Array(n);
    n = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i]) out[n++] = i;
    return out;
  },
  async histogram(axes, x, y, w) {
    return cpuHistogram(axes, x, y, w);
  },
};

function cpuHistogram(
  axes: readonly HistAxisSpec[],
  x: Float32Array,
  y: Float32Array | undefined,
  w: Float32Array | undefined,
): KernelHistogram {
  const ex = binEdges(axes[0]!);
  const ey = axes.length > 1 ? binEdges(axes[1]!) : undefined;
  const [binX, binY] = [binnerOf(ex), ey ? binnerOf(ey) : undefined];
  const nx = axes[0]!.bins;
  const ny = axes[1]?.bins ?? 1;
  const counts = new Float64Array(nx * ny);
  const sumw2 = new Float64Array(nx * ny);
  let underflow = 0;
  let overflow = 0;
  for (let i = 0; i < x.length; i++) {
    const wt = w ? w[i]! : 1;
    const a = binX(x[i]!);
    const b = binY ? binY(y![i]!) : 0;
    if (a === -2 || b === -2) continue;
    if (a < 0 || b < 0) underflow += wt;
    else if (a >= nx || b >= ny) overflow += wt;
    else {
      counts[a * ny + b] += wt;
      sumw2[a * ny + b] += wt * wt;
    }
  }
  return {
    edges: [...ex],
    ...(ey ? { edges2: [...ey] } : {}),
    counts: [...counts],
    sumw2: [...sumw2],
    underflow,
    overflow,
  };
}
