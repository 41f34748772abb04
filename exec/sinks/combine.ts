/**
 * Combining partial histograms (morsels, threads, cluster jobs) in entry order, compensated: the sums add with
 * their rounding errors carried (TwoSum of the sums, the errors added beside), so the finalized histogram rounds
 * to the same double however the entries were split — the same as one pass over them all (see README).
 */
import { HepqError } from '../core/index.js';
import type { HistogramResult } from './histogram.js';
import type { HistogramSet, LabelledHistogram } from './histogram-set.js';

/** The key of a histogram's labels (`region=4j1b/variation=nominal`), stable across runs. */
export function labelKey(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join('/');
}

/** s = a + b rounded, and the exact error a + b − s (Knuth's TwoSum: no branch, exact for any a, b). */
function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

function sameEdges(x: readonly number[] | undefined, y: readonly number[] | undefined): boolean {
  return x === y || (!!x && !!y && x.length === y.length && x.every((v, i) => v === y[i]));
}

/** `a + b` bin by bin as partials (a residual each, zero when absent); the binnings must be equal. */
export function combineHistograms<H extends HistogramResult>(a: H, b: HistogramResult): H {
  if (!sameEdges(a.edges, b.edges) || !sameEdges(a.edges2, b.edges2))
    throw new HepqError('exec/hist-binning', 'cannot add histograms with different binning', {
      hint: 'rebin one of them to the other’s edges first',
    });
  const ra = a.residual;
  const rb = b.residual;
  const add = (x: number, y: number, ex: number, ey: number, into: number[], errs: number[]) => {
    const [s, e] = twoSum(x, y);
    into.push(s);
    errs.push(ex + ey + e);
  };
  const counts: number[] = [];
  const countsErr: number[] = [];
  const sumw2: number[] = [];
  const sumw2Err: number[] = [];
  for (let i = 0; i < a.counts.length; i++) {
    add(a.counts[i]!, b.counts[i]!, ra?.counts[i] ?? 0, rb?.counts[i] ?? 0, counts, countsErr);
    add(a.sumw2[i]!, b.sumw2[i]!, ra?.sumw2[i] ?? 0, rb?.sumw2[i] ?? 0, sumw2, sumw2Err);
  }
  const [underflow, ue] = twoSum(a.underflow, b.underflow);
  const [overflow, oe] = twoSum(a.overflow, b.overflow);
  return {
    ...a,
    counts,
    sumw2,
    underflow,
    overflow,
    residual: {
      counts: countsErr,
      sumw2: sumw2Err,
      underflow: (ra?.underflow ?? 0) + (rb?.underflow ?? 0) + ue,
      overflow: (ra?.overflow ?? 0) + (rb?.overflow ?? 0) + oe,
    },
  };
}

/** Partial histogram sets of one query combined in entry order: histograms with equal labels add. */
export function combineHistogramSets(sets: readonly HistogramSet[]): HistogramSet {
  const first = sets[0];
  if (!first) throw new HepqError('exec/hist-merge', 'no histogram sets to merge');
  const byKey = new Map<string, LabelledHistogram>();
  const order: string[] = [];
  for (const s of sets)
    for (const h of s.histograms) {
      const k = labelKey(h.labels);
      const prev = byKey.get(k);
      if (!prev) order.push(k);
      byKey.set(k, prev ? combineHistograms(prev, h) : h);
    }
  return { categories: first.categories, histograms: order.map((k) => byKey.get(k)!) };
}
