/** Histogram binning shared by the CPU and GPU kernels: numpy's edges, and their exact float32 thresholds. */
import { compileBinMethod, regularEdges } from '../../planner/ir/index.js';

export interface HistAxisSpec {
  readonly bins: number;
  readonly lo: number;
  readonly hi: number;
  /** Variable edges (increasing, `bins + 1` of them, from `lo` to `hi`) instead of regular ones. */
  readonly edges?: readonly number[];
}

/** A filled histogram, in the shape `exec/sinks/histogram.ts` returns (counts row-major, x outer, for 2-D). */
export interface KernelHistogram {
  readonly edges: number[];
  readonly edges2?: number[];
  readonly counts: number[];
  readonly sumw2: number[];
  readonly underflow: number;
  readonly overflow: number;
}

/** The axis's edges: its variable ones, or numpy's `linspace(lo, hi, bins + 1)` with the last edge exactly `hi`. */
export function binEdges(a: HistAxisSpec): Float64Array {
  return a.edges ? Float64Array.from(a.edges) : regularEdges(a.lo, a.hi, a.bins);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The next float32 above a finite float32 `x`. */
export function nextUp32(x: number): number {
  f32[0] = x;
  if (Number.isNaN(f32[0]) || f32[0] === Infinity) return f32[0]!;
  if (f32[0] === 0) {
    u32[0] = 1;
    return f32[0]!;
  }
  if (f32[0]! > 0) u32[0] = u32[0]! + 1;
  else u32[0] = u32[0]! - 1;
  return f32[0]!;
}

/** The smallest float32 ≥ `x`: for a float32 value v, `v >= x` (in float64) ⟺ `v >= up32(x)` (in float32). */
export function up32(x: number): number {
  const f = Math.fround(x);
  return f < x ? nextUp32(f) : f;
}

/** The smallest float32 > `x`: for a float32 value v, `v > x` ⟺ `v >= above32(x)`. */
export function above32(x: number): number {
  const f = Math.fround(x);
  return f > x ? f : nextUp32(f);
}

/**
 * Per-edge float32 thresholds of an axis: a float32 value lies at or above edge k (compared in float64, as the
 * CPU does) exactly when it is ≥ threshold k compared in float32. GPU binning of float32 data is thus bit-exact.
 */
export function edgeThresholds(a: HistAxisSpec): Float32Array {
  const e = binEdges(a);
  const t = new Float32Array(e.length);
  for (let i = 0; i < e.length; i++) t[i] = up32(e[i]!);
  return t;
}

const BIN = compileBinMethod();

/**
 * The bin of a value over `edges` (searched): the rule printed from planner/ir/binning.ts, −1 below, `bins` at or
 * above the last edge, −2 for NaN.
 */
export function binnerOf(edges: Float64Array): (x: number) => number {
  const bins = edges.length - 1;
  const axis = { edges, bins, lo: edges[0]!, hi: edges[bins]!, scale: 0, variable: true };
  return (x) => BIN.call(axis, x);
}
