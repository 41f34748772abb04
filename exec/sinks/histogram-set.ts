/**
 * Many histograms filled in one pass (a categorised `Hist`): each carries its category labels (region,
 * variation, …); sets merge bin by bin across morsels, threads and files. Also the arithmetic a physicist
 * does on them: add, scale, rebin, select by label.
 */
import { HepqError } from '../core/index.js';
import type { HistogramResult } from './histogram.js';

/** One histogram of a set, with the label of each category axis (`{ region: '4j1b', variation: 'nominal' }`). */
export interface LabelledHistogram extends HistogramResult {
  readonly labels: Readonly<Record<string, string>>;
}

/** A set of histograms with the same binning, one per combination of category labels that was declared. */
export interface HistogramSet {
  /** The category axis names, in declaration order (`variation` last when present). */
  readonly categories: readonly string[];
  readonly histograms: readonly LabelledHistogram[];
}

/** The key of a histogram's labels (`region=4j1b/variation=nominal`), stable across runs. */
export function labelKey(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join('/');
}

function sameBinning(a: HistogramResult, b: HistogramResult): boolean {
  const eq = (x: readonly number[] | undefined, y: readonly number[] | undefined) =>
    x === y || (!!x && !!y && x.length === y.length && x.every((v, i) => v === y[i]));
  return eq(a.edges, b.edges) && eq(a.edges2, b.edges2);
}

/** `a + b` bin by bin (sumw2 adds too); the binnings must be equal. */
export function addHistograms<H extends HistogramResult>(a: H, b: HistogramResult): H {
  if (!sameBinning(a, b))
    throw new HepqError('exec/hist-binning', 'cannot add histograms with different binning', {
      hint: 'rebin one of them to the other’s edges first',
    });
  return {
    ...a,
    counts: a.counts.map((c, i) => c + b.counts[i]!),
    sumw2: a.sumw2.map((c, i) => c + b.sumw2[i]!),
    underflow: a.underflow + b.underflow,
    overflow: a.overflow + b.overflow,
  };
}

/** `k · h` (sumw2 scales by k²), e.g. a cross section × luminosity / sum of weights. */
export function scaleHistogram<H extends HistogramResult>(h: H, k: number): H {
  return {
    ...h,
    counts: h.counts.map((c) => c * k),
    sumw2: h.sumw2.map((c) => c * k * k),
    underflow: h.underflow * k,
    overflow: h.overflow * k,
  };
}

/**
 * Rebin a 1-D histogram to `edges`, each of which must be one of its edges: `rebin(h, 2)` merges pairs,
 * `rebin(h, [0, 50, 200])` gives those bins; contents outside the new range go to under/overflow.
 */
export function rebinHistogram<H extends HistogramResult>(h: H, to: number | readonly number[]): H {
  if (h.edges2) throw new HepqError('exec/hist-rebin', 'rebin works on 1-D histograms');
  const old = h.edges;
  let edges: number[];
  if (typeof to === 'number') {
    const bins = old.length - 1;
    if (!Number.isInteger(to) || to < 1 || bins % to !== 0)
      throw new HepqError('exec/hist-rebin', `cannot merge ${bins} bins in groups of ${to}`, {
        hint: `use a divisor of ${bins}`,
      });
    edges = old.filter((_e, i) => i % to === 0);
  } else {
    edges = [...to];
    const missing = edges.find((e) => !old.includes(e));
    if (missing !== undefined || edges.length < 2 || edges.some((e, i) => i > 0 && !(e > edges[i - 1]!)))
      throw new HepqError(
        'exec/hist-rebin',
        missing !== undefined
          ? `new edge ${missing} is not an edge of the histogram`
          : 'new edges must be at least two increasing numbers',
        { hint: `its edges are ${old.join(', ')}` },
      );
  }
  const counts = new Array<number>(edges.length - 1).fill(0);
  const sumw2 = new Array<number>(edges.length - 1).fill(0);
  let underflow = h.underflow;
  let overflow = h.overflow;
  for (let i = 0; i < old.length - 1; i++) {
    const x = old[i]!;
    if (x < edges[0]!) {
      underflow += h.counts[i]!;
      continue;
    }
    if (x >= edges.at(-1)!) {
      overflow += h.counts[i]!;
      continue;
    }
    let j = 0;
    while (edges[j + 1]! <= x) j++;
    counts[j]! += h.counts[i]!;
    sumw2[j]! += h.sumw2[i]!;
  }
  return { ...h, edges, counts, sumw2, underflow, overflow };
}

/** Merge sets of the same query (morsels, threads, files): histograms with equal labels add. */
export function mergeHistogramSets(sets: readonly HistogramSet[]): HistogramSet {
  const first = sets[0];
  if (!first) throw new HepqError('exec/hist-merge', 'no histogram sets to merge');
  const byKey = new Map<string, LabelledHistogram>();
  const order: string[] = [];
  for (const s of sets)
    for (const h of s.histograms) {
      const k = labelKey(h.labels);
      const prev = byKey.get(k);
      if (!prev) order.push(k);
      byKey.set(k, prev ? addHistograms(prev, h) : h);
    }
  return { categories: first.categories, histograms: order.map((k) => byKey.get(k)!) };
}

/** The histograms whose labels match every given one (`{ region: '4j1b' }`). */
export function selectHistograms(
  set: HistogramSet,
  where: Readonly<Record<string, string>>,
): LabelledHistogram[] {
  return set.histograms.filter((h) => Object.entries(where).every(([k, v]) => h.labels[k] === v));
}
