// Categorised histograms (category axes, several weights, object-level variations, variable edges) filled
// in one pass agree bin for bin with one plain query per histogram, and merge across entry ranges.
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openRootTable } from '../../connectors/root/index.js';
import { HepqError } from '../../exec/batch/index.js';
import { commonReductions } from '../../exec/compile/hist-common.js';
import {
  type HistogramResult,
  type HistogramSet,
  mergeHistogramSets,
  rebinHistogram,
  scaleHistogram,
  selectHistograms,
} from '../../exec/index.js';
import { explain, exprText, planChain } from '../../planner/ir/index.js';
import { from, parseQuery } from '../../query/index.js';
import { Session } from '../../server/index.js';
import { executePlan } from '../helpers/bound-exec.js';
import { SHARED } from '../helpers/shared-data.js';

const FILE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
const HAVE = existsSync(FILE);
if (!HAVE)
  process.stderr.write('\n*** Run2012B_SingleMu_1000.root absent: categorised-hist tests SKIPPED ***\n\n');

const ROW = `EventDataset().Select(lambda e: {'jets': e.Jet_pt.Where(lambda p: p > 20), 'met': e.MET_pt, 'nmu': e.nMuon})`;
const EDGES = [0, 10, 25, 40, 60, 100, 250];
const REGIONS: Record<string, string> = { mu1: 'e.nmu == 1', mu2: 'e.nmu >= 2' };
const WEIGHTS: Record<string, string> = { nominal: '1.0', wup: '1.0 + 0.01 * e.jets.Count()' };
// The variation replaces `jets` (pt scaled up 10%); the observable is the jet HT plus MET.
const OBS = 'e.jets.Sum() + e.met';
const VARIED_OBS = 'e.jets.Select(lambda p: p * 1.1).Sum() + e.met';

const categorised = `${ROW}.Hist(lambda e: ${OBS}, edges=[${EDGES.join(', ')}],
  category={'region': {${Object.entries(REGIONS)
    .map(([k, v]) => `'${k}': lambda e: ${v}`)
    .join(', ')}}},
  weight={${Object.entries(WEIGHTS)
    .map(([k, v]) => `'${k}': lambda e: ${v}`)
    .join(', ')}},
  variation={'jes_up': lambda e: {'jets': e.jets.Select(lambda p: p * 1.1)}})`;

describe.skipIf(!HAVE)('categorised Hist in one pass', () => {
  const session = new Session({ threads: 1 });
  afterAll(() => session.close());

  async function set(text: string, range?: { start: number; stop: number }): Promise<HistogramSet> {
    const r = await session.query(text, { files: [FILE], ...(range ? { range } : {}) });
    if (r.kind !== 'histograms') throw new Error(`expected histograms, got ${r.kind}`);
    return r.histograms;
  }
  async function single(text: string): Promise<HistogramResult> {
    const r = await session.query(text, { files: [FILE] });
    if (r.kind !== 'histogram') throw new Error(`expected a histogram, got ${r.kind}`);
    return r.histogram;
  }

  it('fills region × variation histograms equal, bin for bin, to one query per histogram', async () => {
    const s = await set(categorised);
    expect(s.categories).toEqual(['region', 'variation']);
    expect(s.histograms).toHaveLength(2 * 3);
    for (const [region, pred] of Object.entries(REGIONS))
      for (const variation of ['nominal', 'wup', 'jes_up']) {
        const obs = variation === 'jes_up' ? VARIED_OBS : OBS;
        const w = variation === 'jes_up' ? WEIGHTS.nominal : WEIGHTS[variation];
        const ref = await single(
          `${ROW}.Where(lambda e: ${pred}).Hist(lambda e: ${obs}, edges=[${EDGES.join(', ')}], weight=lambda e: ${w})`,
        );
        const [got] = selectHistograms(s, { region, variation });
        expect(got, `${region}/${variation}`).toBeDefined();
        expect(got!.edges).toEqual(EDGES);
        expect(got!.counts).toEqual(ref.counts);
        expect(got!.sumw2).toEqual(ref.sumw2);
        expect(got!.overflow).toEqual(ref.overflow);
        expect(got!.underflow).toEqual(ref.underflow);
      }
    // The weight variation changes the content; the jet-energy variation moves events to higher bins.
    const nom = selectHistograms(s, { region: 'mu1', variation: 'nominal' })[0]!;
    const up = selectHistograms(s, { region: 'mu1', variation: 'jes_up' })[0]!;
    const mean = (h: HistogramResult) =>
      h.counts.reduce((a, c, i) => a + c * (h.edges[i]! + h.edges[i + 1]!), 0) /
      h.counts.reduce((a, c) => a + c, 0);
    expect(mean(up)).toBeGreaterThan(mean(nom));
  });

  it('bins variable edges as a hand-written loop over the rows does', async () => {
    const rows = await session.query(`${ROW}.Select(lambda e: ${OBS})`, { files: [FILE] });
    if (rows.kind !== 'rows') throw new Error('rows expected');
    const xs = rows.batches.flatMap((b) => [...(b.columns[0] as { values: Float64Array }).values]);
    const counts = new Array(EDGES.length - 1).fill(0);
    let overflow = 0;
    for (const x of xs) {
      if (x >= EDGES.at(-1)!) overflow++;
      else counts[EDGES.findLastIndex((e) => x >= e)]++;
    }
    const h = await single(`${ROW}.Hist(lambda e: ${OBS}, edges=[${EDGES.join(', ')}])`);
    expect(h.counts).toEqual(counts);
    expect(h.overflow).toBe(overflow);
  });

  it('merges the sets of two entry ranges into the set of the whole file', async () => {
    const whole = await set(categorised);
    const merged = mergeHistogramSets([
      await set(categorised, { start: 0, stop: 400 }),
      await set(categorised, { start: 400, stop: 1000 }),
    ]);
    expect(merged.histograms.map((h) => h.labels)).toEqual(whole.histograms.map((h) => h.labels));
    merged.histograms.forEach((h, k) => {
      const w = whole.histograms[k]!;
      h.counts.forEach((c, i) => {
        expect(c).toBeCloseTo(w.counts[i]!, 9);
      });
    });
  });

  it('fills 2-D categorised histograms equal to the plain Hist2D', async () => {
    const q2 = (extra: string) =>
      `${ROW}.Hist2D(lambda e: e.met, lambda e: e.jets.Count(), bins=(5, 4), range=(0, 100, 0, 8)${extra})`;
    const s = await set(q2(", category={'r': {'one': lambda e: e.nmu == 1}}"));
    const ref = await single(`${ROW}.Where(lambda e: e.nmu == 1)${q2('').slice(ROW.length)}`);
    expect(s.histograms[0]!.counts).toEqual(ref.counts);
    expect(s.histograms[0]!.edges2).toEqual(ref.edges2);
  });

  it('computes a reduction its lambdas share once, and never hoists one that can fail', () => {
    const plan =
      parseQuery(`${ROW}.Hist(lambda e: e.jets.Sum() if e.jets.Count() > 2 else e.jets.First(), bins=5, range=(0, 50),
      category={'r': {'a': lambda e: e.jets.Count() == 1, 'b': lambda e: e.jets.Count() >= 2 and e.jets.First() > 30}})`);
    const h = planChain(plan)[0]!;
    if (h.kind !== 'hist') throw new Error('hist expected');
    const lambdas = [...h.categories![0]!.labels.map((l) => l.fn), h.axes[0]!.value];
    expect(commonReductions(lambdas, 'e').map(exprText)).toEqual(['e.jets.Count()']);
  });

  it('takes the same categories, weights, variations and edges from TypeScript lambdas', async () => {
    const q = from()
      .Select((e) => ({ jets: e.Jet_pt, met: e.MET_pt, nmu: e.nMuon }))
      .Hist((e) => e.met, {
        edges: [0, 20, 50, 100],
        category: { region: { mu1: (e) => e.nmu === 1, mu2: (e) => e.nmu >= 2 } },
        weights: { nominal: '(e) => 1', up: '(e) => 1.5' }, // constant weights: lambdas as text
        variation: { met_up: (e) => ({ met: e.met * 1.1 }) },
      });
    const text = `EventDataset().Select(lambda e: {'jets': e.Jet_pt, 'met': e.MET_pt, 'nmu': e.nMuon})
      .Hist(lambda e: e.met, edges=[0, 20, 50, 100],
            category={'region': {'mu1': lambda e: e.nmu == 1, 'mu2': lambda e: e.nmu >= 2}},
            weight={'nominal': lambda e: 1, 'up': lambda e: 1.5},
            variation={'met_up': lambda e: {'met': e.met * 1.1}})`;
    expect(explain(q.plan)).toBe(explain(parseQuery(text)));
    const table = await openRootTable(FILE, 'Events');
    const r = await executePlan(q.plan, table);
    expect(r).toEqual(await session.query(text, { files: [FILE], optimize: false }));
  });

  it('adds, scales and rebins histograms', async () => {
    const h = await single(`${ROW}.Hist(lambda e: e.met, bins=10, range=(0, 100))`);
    const r = rebinHistogram(h, 2);
    expect(r.counts).toEqual([0, 2, 4, 6, 8].map((i) => h.counts[i]! + h.counts[i + 1]!));
    const v = rebinHistogram(h, [0, 30, 100]);
    expect(v.counts[0]).toBe(h.counts[0]! + h.counts[1]! + h.counts[2]!);
    const k = scaleHistogram(h, 0.5);
    expect(k.sumw2[3]).toBeCloseTo(h.sumw2[3]! * 0.25, 12);
    expect(() => rebinHistogram(h, 3)).toThrow(/groups of 3/);
  });

  it('reports mistakes at their place in the query', async () => {
    const bad = async (text: string) => {
      try {
        await session.query(text, { files: [FILE] });
      } catch (e) {
        return e as HepqError;
      }
      throw new Error('expected an error');
    };
    const e1 = await bad(`${ROW}.Hist(lambda e: e.met, bins=10, range=(0, 100), categroy={})`);
    expect(e1).toBeInstanceOf(HepqError);
    expect(e1.message).toMatch(/no keyword categroy/);
    expect(e1.hint).toMatch(/did you mean category/);
    const e2 = await bad(
      `${ROW}.Hist(lambda e: e.met, bins=10, range=(0, 100), variation={'up': lambda e: {'mett': e.met}})`,
    );
    expect(e2.message).toMatch(/replaces mett, which the row does not have/);
    const e3 = await bad(`${ROW}.Hist(lambda e: e.met, edges=[0, 10, 5])`);
    expect(e3.message).toMatch(/strictly increasing/);
  });
});
