/**
 * `First()`/`Last()` of an empty collection is None on the GPU as on the CPU (issue 15): the fused kernel gives NaN for
 * those events instead of aborting the query. Checked over the ADL sample, where 7 events have no muons, against
 * the muons read independently from the shared JSONL, in both layouts (flat NanoAOD names, lists of structs).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Batch, valueAt } from '../../../exec/batch/index.js';
import { parseQuery } from '../../../query/index.js';
import { ADL_DIR, HAVE_ADL, loadAdlEvents, loadAdlNativeEvents } from '../../func-adl/adl-events.js';
import { executePlan, runFusedPlan } from '../../helpers/bound-exec.js';
import { testGpu } from './gpu-setup.js';

interface Muon {
  readonly pt: number;
  readonly eta: number;
  readonly charge: number;
}

/** Each event's muons, straight from the JSONL (not through any hepq reader). */
function jsonlMuons(): Muon[][] {
  return readFileSync(`${ADL_DIR}Run2012B_SingleMu_1000_native.jsonl`, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { Muon: Muon[] }).Muon);
}

/** The first column of a CPU rows result, row by row. */
function cpuValues(r: Awaited<ReturnType<typeof executePlan>>): number[] {
  if (r.kind !== 'rows') throw new Error('expected rows');
  return r.batches.flatMap((b: Batch) => {
    const rows = b.selection ? [...b.selection] : [...Array(b.length).keys()];
    return rows.map((i) => valueAt(b.columns[0]!, i) as number);
  });
}

describe.skipIf(!HAVE_ADL)('First() of an empty collection on the GPU', () => {
  const muons = HAVE_ADL ? jsonlMuons() : [];
  const layouts = HAVE_ADL
    ? ([
        ['flat NanoAOD columns', loadAdlEvents()],
        ['lists of structs', loadAdlNativeEvents()],
      ] as const)
    : [];

  it('the sample has events without muons (the case under test)', () => {
    expect(muons.length).toBe(1000);
    expect(muons.filter((m) => m.length === 0).length).toBe(7);
  });

  for (const [layout, table] of layouts) {
    it(`over ${layout}: None (NaN) for events without muons, the first muon's pt elsewhere, as the CPU`, async () => {
      const plan = parseQuery('ds.Select(lambda e: e.Muon_pt.First())');
      const gpu = await runFusedPlan(plan, table, await testGpu());
      if (gpu.kind !== 'values') throw new Error('expected values');
      const expected = muons.map((m) => (m.length ? Math.fround(m[0]!.pt) : Number.NaN));
      expect([...gpu.values]).toEqual(expected);
      expect(cpuValues(await executePlan(plan, table))).toEqual(expected);
    });

    it(`over ${layout}: an integer's None is a float NaN (charge of the first muon)`, async () => {
      const plan = parseQuery('ds.Select(lambda e: e.Muon_charge.First())');
      const gpu = await runFusedPlan(plan, table, await testGpu());
      if (gpu.kind !== 'values') throw new Error('expected values');
      expect([...gpu.values]).toEqual(muons.map((m) => (m.length ? m[0]!.charge : Number.NaN)));
    });
  }

  it('Last(), OrderBy(...).Last() and OrderByDescending(...).Last() as a stable sort gives them (ties by charge)', async () => {
    const table = loadAdlNativeEvents();
    const gpu = await testGpu();
    const none = (f: (m: Muon[]) => number) => muons.map((m) => (m.length ? Math.fround(f(m)) : Number.NaN));
    // The last of a stable sort by charge: the last muon of the largest (smallest, descending) charge.
    const lastBy = (m: Muon[], desc: boolean) =>
      [...m].sort((x, y) => (desc ? y.charge - x.charge : x.charge - y.charge))[m.length - 1]!.pt;
    const cases: [string, number[]][] = [
      ['ds.Select(lambda e: e.Muon_pt.Last())', none((m) => m[m.length - 1]!.pt)],
      ['ds.Select(lambda e: e.Muon.OrderBy(lambda m: m.charge).Last().pt)', none((m) => lastBy(m, false))],
      [
        'ds.Select(lambda e: e.Muon.OrderByDescending(lambda m: m.charge).Last().pt)',
        none((m) => lastBy(m, true)),
      ],
    ];
    // Ties decide: some events have two or more muons of the same charge.
    expect(muons.some((m) => m.filter((x) => x.charge === 1).length >= 2)).toBe(true);
    for (const [q, expected] of cases) {
      const plan = parseQuery(q);
      const g = await runFusedPlan(plan, table, gpu);
      if (g.kind !== 'values') throw new Error('expected values');
      expect([...g.values], q).toEqual(expected);
      expect(cpuValues(await executePlan(plan, table)), q).toEqual(expected);
    }
  });

  it('OrderBy(...).First() of a filtered collection and of four-vectors: no bin counts None', async () => {
    const table = loadAdlEvents();
    const gpu = await testGpu();
    // Central muons: events with none (no muon at all, or none with |η| < 1) are None.
    const central = muons.map((m) => m.filter((x) => Math.abs(Math.fround(x.eta)) < 1));
    const withCentral = central.filter((m) => m.length > 0).length;
    expect(withCentral).toBeLessThan(1000);
    for (const q of [
      'ds.Select(lambda e: e.Muon_pt.Where(lambda pt: pt > 1e9).First()).Hist(lambda x: x, bins=10, range=(0, 100))',
      'ds.Select(lambda e: e.Muon.Where(lambda m: abs(m.eta) < 1).OrderByDescending(lambda m: m.pt).First().pt).Hist(lambda x: x, bins=10, range=(0, 100))',
      "ds.Select(lambda e: Zip({'pt': e.Muon_pt, 'eta': e.Muon_eta, 'phi': e.Muon_phi, 'mass': e.Muon_mass}).ToFourMomenta().Where(lambda p: abs(p.eta) < 1).First().pt).Hist(lambda x: x, bins=10, range=(0, 100))",
    ]) {
      const plan = parseQuery(q);
      const g = await runFusedPlan(plan, table, gpu);
      const c = await executePlan(plan, table);
      if (g.kind !== 'histogram' || c.kind !== 'histogram') throw new Error('expected histograms');
      expect(g.histogram).toEqual(c.histogram);
      const h = g.histogram;
      const entries = h.counts.reduce((a, b) => a + b, 0) + h.underflow + h.overflow;
      expect(entries).toBe(q.includes('1e9') ? 0 : withCentral);
    }
  });

  it('First() under a condition is fused now that it cannot fail (both branches are computed)', async () => {
    const table = loadAdlEvents();
    const plan = parseQuery('ds.Select(lambda e: e.Muon_pt.First() if e.nMuon > 0 else -1.0)');
    const gpu = await runFusedPlan(plan, table, await testGpu());
    if (gpu.kind !== 'values') throw new Error('expected values');
    expect([...gpu.values]).toEqual(muons.map((m) => (m.length ? Math.fround(m[0]!.pt) : -1)));
  });
});
