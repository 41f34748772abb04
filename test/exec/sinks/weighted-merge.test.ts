/**
 * Weighted histograms do not depend on how the entries were split: one thread, worker threads (2 and 3, so the
 * morsel cuts differ), cluster-style morsels of 7 events and of one event each give the same bits — and those
 * bits are the correctly rounded exact sums, computed here by an independent exact summation (Shewchuk's
 * expansion, as Python's math.fsum) over the columns read straight from the files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRoot } from '../../../connectors/root/index.js';
import { type Column, valueAt } from '../../../exec/batch/index.js';
import { type QueryResult, sinkFor } from '../../../exec/index.js';
import { runMorselTask } from '../../../server/parallel/index.js';
import { Session } from '../../../server/session.js';
import { ROOT_DATA, SHARED } from '../../helpers/shared-data.js';

const BIG = `${ROOT_DATA}uproot-issue412.root`;
const ADL = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;

/** The exact sum of doubles, correctly rounded (Shewchuk's non-overlapping partials; msum/fsum). */
function fsum(xs: Iterable<number>): number {
  const partials: number[] = [];
  for (let x of xs) {
    let i = 0;
    for (let y of partials) {
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[i++] = lo;
      x = hi;
    }
    partials.length = i;
    partials.push(x);
  }
  // Round the expansion's sum once, with the half-way correction fsum makes.
  let n = partials.length;
  if (n === 0) return 0;
  let hi = partials[--n]!;
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = partials[--n]!;
    hi = x + y;
    lo = y - (hi - x);
    if (lo !== 0) break;
  }
  if (n > 0 && ((lo < 0 && partials[n - 1]! < 0) || (lo > 0 && partials[n - 1]! > 0))) {
    const y = lo * 2;
    const x = hi + y;
    if (y === x - hi) hi = x;
  }
  return hi;
}

/** Bins of [0, 128) in 4-wide bins (exact in binary: floor(x / 4) is the bin numpy gives), plus under/over. */
function exactHistogram(xs: readonly number[], weight: (x: number) => number) {
  const bins: number[][] = Array.from({ length: 32 }, () => []);
  const under: number[] = [];
  const over: number[] = [];
  for (const x of xs) {
    const w = weight(x);
    if (x < 0) under.push(w);
    else if (x >= 128) over.push(w);
    else bins[Math.floor(x / 4)]!.push(w);
  }
  return {
    counts: bins.map((b) => fsum(b)),
    sumw2: bins.map((b) => fsum(b.map((w) => w * w))),
    underflow: fsum(under),
    overflow: fsum(over),
  };
}

function histogramOf(r: QueryResult) {
  if (r.kind !== 'histogram') throw new Error(`expected a histogram, got ${r.kind}`);
  return r.histogram;
}

describe('weighted histograms are independent of threads and morsels', () => {
  const serial = new Session({ threads: 1 });
  const two = new Session({ threads: 2, parallelMinBytes: 0 });
  const three = new Session({ threads: 3, parallelMinBytes: 0 });
  let muonPt: number[] = [];
  let b1: number[] = [];

  beforeAll(async () => {
    const flat = (c: Column, n: number) => Array.from({ length: n }, (_, i) => valueAt(c, i));
    const adl = await openRoot(ADL);
    const m = await adl.read('Events', { branches: ['Muon_pt'] });
    muonPt = flat(m.columns[0]!, m.length).flatMap((v) => (v as number[]).map(Number));
    await adl.close();
    const big = await openRoot(BIG);
    const b = await big.read('test', { branches: ['b1'] });
    b1 = flat(b.columns[0]!, b.length).map(Number);
    await big.close();
  });
  afterAll(async () => {
    await Promise.all([serial.close(), two.close(), three.close()]);
  });

  it('1, 2 and 3 worker threads give the same bits as the exact sums (1,000,000 entries, 100 clusters)', async () => {
    // b1 / 8192 spreads the integers over [0, 128) and beyond; the weight's product and sum round differently
    // in every order.
    const q =
      'Select(lambda e: e.b1 / 8192.0).Hist(lambda x: x, bins=32, range=(0, 128), weight=lambda x: x * 0.1 + 0.37)';
    const want = exactHistogram(
      b1.map((v) => v / 8192),
      (x) => x * 0.1 + 0.37,
    );
    const p2 = await two.prepare(q, { files: [BIG] });
    const target = (await two.physical(p2)).target;
    expect(target.kind).toBe('threads');
    const [h1, h2, h3] = (
      await Promise.all([serial, two, three].map((s) => s.query(q, { files: [BIG] })))
    ).map(histogramOf);
    for (const h of [h1!, h2!, h3!]) {
      expect(h.counts).toEqual(want.counts);
      expect(h.sumw2).toEqual(want.sumw2);
      expect(h.overflow).toBe(want.overflow);
      expect(h.underflow).toBe(want.underflow);
      expect(h).not.toHaveProperty('residual');
    }
  });

  it('a categorised weighted Hist (labelled set) gives the same bits on 1 and 3 threads', async () => {
    const q = `Select(lambda e: {'x': e.b1 / 8192.0, 'odd': e.b2}).Hist(lambda e: e.x, bins=32, range=(0, 128),
      category={'parity': {'b2': lambda e: e.odd, 'not_b2': lambda e: not e.odd}},
      weight={'w': lambda e: e.x * 0.1 + 0.37, 'w2': lambda e: e.x * 0.3})`;
    const [one, many] = await Promise.all([serial, three].map((s) => s.query(q, { files: [BIG] })));
    if (one!.kind !== 'histograms') throw new Error(`expected histograms, got ${one!.kind}`);
    expect(one!.histograms.histograms).toHaveLength(4);
    expect(many).toEqual(one);
    // …and the sum over both parities of weight w is the exact sum over all entries
    const want = exactHistogram(
      b1.map((v) => v / 8192),
      (x) => x * 0.1 + 0.37,
    );
    const [a, b] = one!.histograms.histograms.filter((h) => h.labels.variation === 'w');
    const total = a!.counts.map((c, i) => c + b!.counts[i]!);
    total.forEach((t, i) => {
      expect(Math.abs(t - want.counts[i]!)).toBeLessThanOrEqual(Math.abs(want.counts[i]!) * 2 ** -51);
    });
  });

  it('one-event and 7-event morsels (as cluster workers run them) combine to the one-thread bits', async () => {
    const q =
      'SelectMany(lambda e: e.Muon_pt).Hist(lambda x: x, bins=32, range=(0, 128), weight=lambda x: x * 0.1 + 0.37)';
    const want = exactHistogram(muonPt, (x) => x * 0.1 + 0.37);
    const one = histogramOf(await serial.query(q, { files: [ADL] }));
    expect(one.counts).toEqual(want.counts);
    expect(one.sumw2).toEqual(want.sumw2);
    expect(one.overflow).toBe(want.overflow);
    const p = await serial.prepare(q, { files: [ADL] });
    const sink = sinkFor(p.sink);
    for (const size of [1, 7]) {
      const parts: QueryResult[] = [];
      for (let start = 0; start < 1000; start += size)
        parts.push(
          await runMorselTask(serial, {
            text: p.text,
            plan: p.plan,
            files: p.files,
            tree: p.table.name,
            range: { start, stop: Math.min(1000, start + size) },
            sink: p.sink,
          }),
        );
      expect(histogramOf(sink.finalize(sink.combine(parts)))).toEqual(one);
    }
  });
});
