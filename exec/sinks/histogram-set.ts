/**
 * Many histograms filled in one pass (a categorised `Hist`): each carries its category labels (region,
 * variation, …); sets merge bin by bin across morsels, threads and files. Also the arithmetic a physicist
 * does on them: add, scale, rebin, select by label.
 */
import { HepqError } from '../core/index.js';
import { combineHistogramSets, combineHistograms, labelKey } from './combine.js';
import { finalizeHistogram, type HistogramResult } from './histogram.js';

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

export { labelKey };

/**
 * `a + b` bin by bin (sumw2 adds too); the binnings must be equal. The sink's compensated combine, finalized:
 * for two final histograms that is the plain rounded sum; partials keep their carried errors.
 */
export function addHistograms<H extends HistogramResult>(a: H, b: HistogramResult): H {
  return finalizeHistogram(combineHistograms(a, b));
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

/**
 * Merge sets of the same query (morsels, threads, files): histograms with equal labels add — the histograms
 * sink's combine (compensated), then finalized.
 */
export function mergeHistogramSets(sets: readonly HistogramSet[]): HistogramSet {
  const s = combineHistogramSets(sets);
  return { ...s, histograms: s.histograms.map(finalizeHistogram) };
}

/** The histograms whose labels match every given one (`{ region: '4j1b' }`). */
export function selectHistograms(
  set: HistogramSet,
  where: Readonly<Record<string, string>>,
): LabelledHistogram[] {
  return set.histograms.filter((h) => Object.entries(where).every(([k, v]) => h.labels[k] === v));
}
