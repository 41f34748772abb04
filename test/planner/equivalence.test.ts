/**
 * The optimizer keeps results exactly: each ADL benchmark task and a set of hand-written queries (Where after
 * Select, conjunctions, constants, Take/Skip, guarded First) give the same result optimized and unoptimized
 * over the real 1000-event sample, and the ADL tasks still give the reference histograms.
 */
import { describe, expect, it } from 'vitest';
import type { ConnectorTable } from '../../connectors/api.js';
import { pushableFilters, resultToJson } from '../../exec/index.js';
import { DEFAULT_RATES } from '../../planner/cost/index.js';
import { explain, type LogicalPlan } from '../../planner/ir/index.js';
import { optimize } from '../../planner/optimizer.js';
import { parseQuery } from '../../query/index.js';
import { HAVE_ADL, loadAdlEvents, loadAdlNativeEvents, readReference } from '../func-adl/adl-events.js';
import { ADL_TASKS } from '../func-adl/adl-tasks.js';
import { executePlan } from '../helpers/bound-exec.js';

function opt(plan: LogicalPlan, table: ConnectorTable): LogicalPlan {
  const r = optimize(plan, { schema: table.schema(), statistics: table.statistics(), rates: DEFAULT_RATES });
  for (const t of r.trace) expect(t.detail).not.toMatch(/^refused/);
  return r.plan;
}

async function outcome(plan: LogicalPlan, table: ConnectorTable): Promise<unknown> {
  try {
    return resultToJson(await executePlan(plan, table));
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const HAND_WRITTEN = [
  "ds.Select(lambda e: {'n': e.nMuon, 'pt': e.Muon_pt, 'met': e.MET_pt}).Where(lambda r: r.met > 20 and r.n >= 2).Select(lambda r: r.pt)",
  'ds.Where(lambda e: e.Jet_pt.Where(lambda j: j > 30).Count() >= 2 and e.nMuon >= 1).Select(lambda e: e.MET_pt)',
  'ds.Where(lambda e: e.MET_pt > 10 * 2 and 1 < 2).Select(lambda e: (e.MET_pt * 2 ** 2, 7 // 2, -7 % 3))',
  "ds.Select(lambda e: {'m': e.MET_pt, 'n': e.nJet}).Take(20)",
  'ds.Where(lambda e: e.nJet > 0 and e.Jet_pt.First() > 40 and e.MET_pt > 30).Select(lambda e: e.Jet_pt.First())',
  'ds.Where(lambda e: e.Jet_pt.First() > 40 and e.MET_pt > 1e9).Count()',
  "ds.Select(lambda e: {'met': e.MET_pt, 'nj': e.nJet, 'ht': e.Jet_pt.Sum()}).Where(lambda r: r.nj >= 2 and r.ht > 50).Hist(lambda r: r.met, bins=20, range=(0, 200))",
  'ds.Where(lambda e: e.nMuon >= 2 and e.Muon_pt.Where(lambda p: p > 20).Count() >= 1 and e.nMuon >= 2).Count()',
  "ds.MetaData({'a': 1}).Select(lambda e: {'pt': e.Muon_pt, 'eta': e.Muon_eta}).Where(lambda r: r.pt.Count() == 2).Select(lambda r: r.pt)",
  'ds.Select(lambda e: (e.MET_pt, e.nJet, e.Jet_pt)).Where(lambda t: t[1] >= 3 and t[0] > 25).Select(lambda t: t[2].Max())',
  "ds.Select(lambda e: {'a': e.MET_pt, 'b': e.Jet_eta.Where(lambda x: abs(x) < 2.4)}).Select(lambda r: {'a2': r.a * 2, 'nb': r.b.Count()}).Where(lambda r: r.nb >= 2)",
  'ds.OrderBy(lambda e: e.MET_pt).Where(lambda e: e.nMuon >= 1).Select(lambda e: e.MET_pt)',
  'ds.OrderBy(lambda e: e.MET_pt).Select(lambda e: {"m": e.MET_pt, "n": e.nJet}).Take(5)',
  "ds.Select(lambda e: {'j': e.Jet_pt, 'm': e.MET_pt}).Where(lambda r: r.j.Count() >= 2 and r.m > 20).Select(lambda r: r.j.Max())",
  'ds.SelectMany(lambda e: e.Jet_pt).Where(lambda pt: pt > 40 and pt < 100 and pt > 40).Count()',
  'ds.Where(lambda e: e.Electron.Select(lambda l: l.pt).Concat(e.Muon.Select(lambda m: m.pt)).Count() >= 2).Select(lambda e: e.MET_pt)',
  'ds.Where(lambda e: e.Muon.Choose(2).Any(lambda p: p[0].charge != p[1].charge) and e.MET_pt > 40 and e.nMuon >= 2).Select(lambda e: e.MET_pt)',
];

describe.skipIf(!HAVE_ADL)('optimized plans give exactly the unoptimized results on the ADL sample', () => {
  const flat = HAVE_ADL ? loadAdlEvents() : undefined;
  const nested = HAVE_ADL ? loadAdlNativeEvents() : undefined;

  for (const [layout, table] of [
    ['flat NanoAOD columns', flat],
    ['lists of structs', nested],
  ] as const)
    for (const t of ADL_TASKS)
      it(`ADL task ${t.name} over ${layout}: same histogram as unoptimized and as the reference`, async () => {
        const plan = parseQuery(`${t.query}.Hist(lambda x: x, bins=100, range=(${t.lo}, ${t.hi}))`);
        const o = opt(plan, table!);
        const a = await executePlan(plan, table!);
        const b = await executePlan(o, table!);
        expect(resultToJson(b)).toEqual(resultToJson(a));
        if (b.kind !== 'histogram') throw new Error('expected a histogram');
        const w = (t.hi - t.lo) / 100;
        const ours = new Map<number, number>();
        const put = (x: number, n: number) => {
          if (n) ours.set(Math.round(x * 1e6) / 1e6, n);
        };
        put(t.lo - w / 2, b.histogram.underflow);
        b.histogram.counts.forEach((n, i) => {
          put(t.lo + (i + 0.5) * w, n);
        });
        put(t.hi + w / 2, b.histogram.overflow);
        const ref = new Map([...readReference(t.name)].map(([x, n]) => [Math.round(x * 1e6) / 1e6, n]));
        expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(ref));
      });

  HAND_WRITTEN.forEach((q, i) => {
    it(`hand-written: ${q.slice(0, 90)}`, async () => {
      const plan = parseQuery(q);
      const o = opt(plan, flat!);
      expect(explain(o)).not.toBe(explain(plan));
      const asWritten = await outcome(plan, flat!);
      // Equal failures prove nothing: only the unguarded First() (checked below) may fail as written.
      if (i !== 5) expect(asWritten).not.toHaveProperty('error');
      expect(await outcome(o, flat!)).toEqual(asWritten);
    });
  });

  it('a guarded First() stays behind its guard; an unguarded one is None (the filter false) for events without jets', async () => {
    const guarded = parseQuery(HAND_WRITTEN[4]!);
    expect(explain(opt(guarded, flat!))).toMatch(/Jet_pt\.First\(\) > 40\n\s+Where lambda e: e\.nJet > 0/);
    const plan = parseQuery(HAND_WRITTEN[5]!);
    const unguarded = await outcome(opt(plan, flat!), flat!);
    // No event has MET above 1e9: nothing passes, and nothing aborts.
    expect(unguarded).toEqual(await outcome(plan, flat!));
    expect(resultToJson(await executePlan(plan, flat!))).toBe(0);
  });

  it('Take(50).Skip(5) after a Select gives events 5..49, as written and once the optimizer merged the limits', async () => {
    const plan = parseQuery("ds.Select(lambda e: {'m': e.MET_pt, 'n': e.nJet}).Take(50).Skip(5)");
    const all = resultToJson(
      await executePlan(parseQuery("ds.Select(lambda e: {'m': e.MET_pt, 'n': e.nJet})"), flat!),
    );
    const expected = (all as unknown[]).slice(5, 50);
    expect(resultToJson(await executePlan(plan, flat!))).toEqual(expected);
    expect(resultToJson(await executePlan(opt(plan, flat!), flat!))).toEqual(expected);
    // Three limits with a filter between them, as written: Skip(2) of the first 30 events with MET > 20, then Take(4).
    const chained = parseQuery(
      'ds.Take(30).Where(lambda e: e.MET_pt > 20).Skip(2).Take(4).Select(lambda e: e.MET_pt)',
    );
    const met = (all as { m: number }[]).slice(0, 30).map((r) => r.m);
    const want = met.filter((m) => m > 20).slice(2, 6);
    expect(resultToJson(await executePlan(chained, flat!))).toEqual(want);
    expect(resultToJson(await executePlan(opt(chained, flat!), flat!))).toEqual(want);
  });

  it('a filter written after a dict Select becomes a scan filter the connector can use', () => {
    const plan = parseQuery(HAND_WRITTEN[0]!);
    const scanFilters = (p: LogicalPlan) =>
      pushableFilters(p, {
        ...flat!,
        schema: () => flat!.schema(),
        statistics: () => flat!.statistics(),
        supportsFilter: () => 'inexact',
        scan: (o) => flat!.scan(o),
        name: 'Events',
      });
    expect(scanFilters(plan)).toEqual([]);
    expect(scanFilters(opt(plan, flat!))).toEqual([
      { column: 'MET_pt', op: '>', value: 20 },
      { column: 'nMuon', op: '>=', value: 2 },
    ]);
  });
});
