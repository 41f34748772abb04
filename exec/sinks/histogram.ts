/**
 * Histograms filled inside generated loops: 1-D and 2-D, regular (numpy's bin assignment) or variable edges
 * (binary search); `hi` itself is overflow; sumw2 per bin.
 */

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
}

function linspace(lo: number, hi: number, bins: number): Float64Array {
  const e = new Float64Array(bins + 1);
  for (let i = 0; i <= bins; i++) e[i] = lo + ((hi - lo) * i) / bins;
  e[bins] = hi;
  return e;
}

export class Histogram1D {
  readonly counts: Float64Array;
  readonly sumw2: Float64Array;
  readonly edges: Float64Array;
  underflow = 0;
  overflow = 0;
  private readonly scale: number;
  private readonly variable: boolean;

  /** Regular bins on [lo, hi), or the given increasing `edges` (then `bins`, `lo`, `hi` must agree with them). */
  constructor(
    readonly bins: number,
    readonly lo: number,
    readonly hi: number,
    edges?: readonly number[],
  ) {
    this.counts = new Float64Array(bins);
    this.sumw2 = new Float64Array(bins);
    this.variable = edges !== undefined;
    this.edges = edges ? Float64Array.from(edges) : linspace(lo, hi, bins);
    this.scale = bins / (hi - lo);
  }

  /** The bin of `x` in [0, bins), −1 below, `bins` at or above `hi`, −2 for NaN. */
  bin(x: number): number {
    if (!(x >= this.lo)) return x < this.lo ? -1 : -2;
    if (x >= this.hi) return this.bins;
    if (this.variable) {
      // The last edge ≤ x: edges[b] ≤ x < edges[b + 1].
      const e = this.edges;
      let a = 0;
      let z = this.bins;
      while (z - a > 1) {
        const m = (a + z) >> 1;
        if (x >= e[m]!) a = m;
        else z = m;
      }
      return a;
    }
    let b = Math.floor((x - this.lo) * this.scale);
    // Correct rounding at the edges, as numpy does, so a value on an edge lands in the bin it opens.
    if (b >= this.bins) b = this.bins - 1;
    if (x < this.edges[b]!) b--;
    else if (b + 1 < this.bins && x >= this.edges[b + 1]!) b++;
    return b;
  }

  fill(x: number, w: number): void {
    this.addAt(this.bin(x), w);
  }

  /** Add `w` at a bin from `bin()` (−1 underflow, `bins` overflow, −2 nothing). */
  addAt(b: number, w: number): void {
    if (b >= 0 && b < this.bins) {
      this.counts[b] += w;
      this.sumw2[b] += w * w;
    } else if (b === -1) this.underflow += w;
    else if (b === this.bins) this.overflow += w;
  }

  result(): HistogramResult {
    return {
      edges: [...this.edges],
      counts: [...this.counts],
      sumw2: [...this.sumw2],
      underflow: this.underflow,
      overflow: this.overflow,
    };
  }
}

export class Histogram2D {
  readonly x: Histogram1D;
  readonly y: Histogram1D;
  readonly counts: Float64Array;
  readonly sumw2: Float64Array;
  underflow = 0;
  overflow = 0;

  constructor(
    x: [number, number, number, (readonly number[])?],
    y: [number, number, number, (readonly number[])?],
  ) {
    this.x = new Histogram1D(...x);
    this.y = new Histogram1D(...y);
    this.counts = new Float64Array(x[0] * y[0]);
    this.sumw2 = new Float64Array(x[0] * y[0]);
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
    if (k >= 0) {
      this.counts[k] += w;
      this.sumw2[k] += w * w;
    } else if (k === -1) this.underflow += w;
    else if (k === -3) this.overflow += w;
  }

  result(): HistogramResult {
    return {
      edges: [...this.x.edges],
      edges2: [...this.y.edges],
      counts: [...this.counts],
      sumw2: [...this.sumw2],
      underflow: this.underflow,
      overflow: this.overflow,
    };
  }
}
