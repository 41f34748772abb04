/**
 * The histogram sinks' compensated combine, on values whose plain sum is known to round away: 1e16 + 1 + 1 is
 * 1e16 in doubles added left to right (1e16 + 1 ties to even, back to 1e16), but 10000000000000002 exactly (a
 * double) — the merge of three sets gives the exact sum, and two final histograms add to their plain rounded sum.
 */
import { describe, expect, it } from 'vitest';
import {
  addHistograms,
  type HistogramResult,
  type HistogramSet,
  mergeHistogramSets,
  sinkFor,
} from '../../../exec/index.js';

const h = (c: number): HistogramResult => ({
  edges: [0, 1],
  counts: [c],
  sumw2: [c],
  underflow: c,
  overflow: 0,
});
const set = (c: number): HistogramSet => ({
  categories: ['r'],
  histograms: [{ ...h(c), labels: { r: 'a' } }],
});

describe('compensated histogram combine', () => {
  it('three sets merge to the exact sum where left-to-right doubles lose it', () => {
    expect(1e16 + 1 + 1).toBe(1e16);
    const m = mergeHistogramSets([set(1e16), set(1), set(1)]);
    expect(m.histograms[0]!.counts).toEqual([10000000000000002]);
    expect(m.histograms[0]!.underflow).toBe(10000000000000002);
    expect(m.histograms[0]!.labels).toEqual({ r: 'a' });
    expect(m.histograms[0]).not.toHaveProperty('residual');
  });

  it('the histogram sink combines morsel partials the same way, and two finals add to their rounded sum', () => {
    const sink = sinkFor('histogram');
    const parts = [h(1e16), h(1), h(1)].map((histogram) => ({ kind: 'histogram', histogram }) as const);
    const r = sink.finalize(sink.combine(parts));
    expect(r.kind === 'histogram' && r.histogram.counts).toEqual([10000000000000002]);
    expect(addHistograms(h(0.1), h(0.2)).counts).toEqual([0.1 + 0.2]);
    expect(() => addHistograms(h(1), { ...h(1), edges: [0, 2] })).toThrow(/different binning/);
  });
});
