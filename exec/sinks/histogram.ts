/**
 * Histograms filled inside generated loops: 1-D and 2-D, regular (numpy's bin assignment) or variable edges
 * (binary search), the bin function printed from planner/ir/binning.ts (as the GPU's and SQL's are); `hi`
 * itself is overflow; sumw2 per bin. Sums are compensated (Neumaier): each bin keeps the
 * rounding error of its additions beside it, so a sum split over threads or morsels and combined with
 * `combineHistograms` (./combine.ts) rounds to the same double as one sequential pass.
 */

import { compileBinMethod, regularEdges } from '../../planner/ir/index.js';

export interface HistogramAxisResult {
  readonly edges: number[];
  readonly lo: number;
  readonly hi: number;
  readonly bins: number;
}

export interface HistogramResult {
  readonly edges: number[];
  readonly counts: number[];
  readonly sumw2: number[];
  readonly underflow: number;
  readonly overflow: number;
  /** Second-axis edges for a 2-D histogram (counts are then row-major, x outer). */
  readonly edges2?: number[];
  /**
   * Only on a partial result (a morsel's, before the sink finalizes it): the rounding errors of the sums, which
   * `counts + residual.counts` (and so on) carry exactly; `finalizeHistogram` folds them in and drops this.
   */
  readonly residual?: HistogramResidual;
}

export interface HistogramResidual {
  readonly counts: number[];
  readonly sumw2: number[];
  readonly underflow: number;
  readonly overflow: number;
}

/**
 * Bins of sums with their running rounding errors (compensated summation, one add at a time: TwoSum's exact
 * error of each add accumulates beside the sum). Per bin, four doubles side by side — sum of w, its error,
 * sum of w², its error — so one add touches one cache line. While every weight is exactly 1 (an unweighted
 * fill) the sums are whole numbers below 2⁵³, exact, and the error terms are skipped.
 */
class CompensatedBins {
  /** [sumw, err, sumw2, err2] per bin, then the same for overflow and underflow (sumw2 unused there). */
  readonly acc: Float64Array;
  /** Every weight so far was 1: every sum is a whole number below 2⁵³, and adding 1 is exact. */
  private unit = true;

  constructor(readonly n: number) {
    this.acc = new Float64Array(4 * (n + 2));
  }

  /** Add w at slot k (a bin in [0, n), n for overflow, n + 1 for underflow). */
  add(k: number, w: number): void {
    const a = this.acc;
    const i = 4 * k;
    if (w !== 1) this.unit = false;
    else if (this.unit) {
      a[i]! += 1;
      a[i + 2]! += 1;
      return;
    }
    const s = a[i]!;
    const t = s + w;
    const v = t - s;
    a[i + 1]! += s - (t - v) + (w - v);
    a[i] = t;
    const w2 = w * w;
    const s2 = a[i + 2]!;
    const t2 = s2 + w2;
    const v2 = t2 - s2;
    a[i + 3]! += s2 - (t2 - v2) + (w2 - v2);
    a[i + 2] = t2;
  }

  /** The partial result: the sums as they stand, their errors in `residual`. */
  partial(edges: number[], edges2?: number[]): HistogramResult {
    const a = this.acc;
    const n = this.n;
    const col = (j: number) => Array.from({ length: n }, (_, b) => a[4 * b + j]!);
    return {
      edges,
      ...(edges2 ? { edges2 } : {}),
      counts: col(0),
      sumw2: col(2),
      underflow: a[4 * n + 4]!,
      overflow: a[4 * n]!,
      residual: { counts: col(1), sumw2: col(3), underflow: a[4 * n + 5]!, overflow: a[4 * n + 1]! },
    };
  }
}

/** The histogram as callers see it: each sum with its rounding error folded in (rounded once), no residual. */
export function finalizeHistogram<H extends HistogramResult>(h: H): H {
  const r = h.residual;
  if (!r) return h;
  const { residual: _r, ...rest } = h;
  return {
    ...rest,
    counts: h.counts.map((c, i) => c + r.counts[i]!),
    sumw2: h.sumw2.map((c, i) => c + r.sumw2[i]!),
    underflow: h.underflow + r.underflow,
    overflow: h.overflow + r.overflow,
  } as H;
}

export class Histogram1D {
  readonly edges: Float64Array;
  private readonly acc: CompensatedBins;
  readonly scale: number;
  readonly variable: boolean;
  /** The bin of `x` in [0, bins), −1 below, `bins` at or above `hi`, −2 for NaN (planner/ir/binning.ts). */
  declare readonly bin: (x: number) => number;

  /** Regular bins on [lo, hi), or the given increasing `edges` (then `bins`, `lo`, `hi` must agree with them). */
  constructor(
    readonly bins: number,
    readonly lo: number,
    readonly hi: number,
    edges?: readonly number[],
  ) {
    this.acc = new CompensatedBins(bins);
    this.variable = edges !== undefined;
    this.edges = edges ? Float64Array.from(edges) : regularEdges(lo, hi, bins);
    this.scale = bins / (hi - lo);
  }

  fill(x: number, w: number): void {
    this.addAt(this.bin(x), w);
  }

  /** Add `w` at a bin from `bin()` (−1 underflow, `bins` overflow, −2 nothing). */
  addAt(b: number, w: number): void {
    if (b >= 0 && b <= this.bins)
      this.acc.add(b, w); // `bins` is overflow: the slot after the bins
    else if (b === -1) this.acc.add(this.bins + 1, w);
  }

  /** The partial result (sums and their rounding errors apart), for a sink to combine with other morsels'. */
  partial(): HistogramResult {
    return this.acc.partial([...this.edges]);
  }

  result(): HistogramResult {
    return finalizeHistogram(this.partial());
  }
}

// One printed method on the prototype, shared (and optimised once) by every axis.
(Histogram1D.prototype as { bin: (x: number) => number }).bin = compileBinMethod();

export class Histogram2D {
  readonly x: Histogram1D;
  readonly y: Histogram1D;
  private readonly acc: CompensatedBins;

  constructor(
    x: [number, number, number, (readonly number[])?],
    y: [number, number, number, (readonly number[])?],
  ) {
    this.x = new Histogram1D(...x);
    this.y = new Histogram1D(...y);
    this.acc = new CompensatedBins(x[0] * y[0]);
  }

  fill(a: number, b: number, w: number): void {
    this.addAt(this.bin(a, b), w);
  }

  /** The flat bin of (a, b), row-major, x outer; −1 underflow (either axis below), −3 overflow, −2 NaN. */
  bin(a: number, b: number): number {
    const i = this.x.bin(a);
    const j = this.y.bin(b);
    if (i === -2 || j === -2) return -2;
    if (i < 0 || j < 0) return -1;
    if (i >= this.x.bins || j >= this.y.bins) return -3;
    return i * this.y.bins + j;
  }

  /** Add `w` at a flat bin from `bin()`. */
  addAt(k: number, w: number): void {
    if (k >= 0) this.acc.add(k, w);
    else if (k === -3) this.acc.add(this.acc.n, w);
    else if (k === -1) this.acc.add(this.acc.n + 1, w);
  }

  /** The partial result (sums and their rounding errors apart), for a sink to combine with other morsels'. */
  partial(): HistogramResult {
    return this.acc.partial([...this.x.edges], [...this.y.edges]);
  }

  result(): HistogramResult {
    return finalizeHistogram(this.partial());
  }
}
