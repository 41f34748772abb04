/**
 * DuckDB as a placement of func_adl queries (issue 16): each query shape of the translated subset gives, with
 * `device: 'duckdb'`, the same result as the compiled loop (`device: 'cpu'`) — same column names, types, row
 * shape and values, bit for bit — over the ADL sample as ROOT (root()) and as nested Parquet (read_parquet).
 * Every ADL task (q1–q8, q6's two parts) reproduces the reference histograms shipped with the sample. Every DuckDB case
 * first checks that explain places it on DuckDB (so a silent fallback to the loop fails the test); queries
 * outside the subset are refused with the operator and the reason, and run on the CPU.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { resultToJson } from '../../exec/index.js';
import { type QueryOptions, Session } from '../../server/session.js';
import { asReference, referenceRecord } from '../func-adl/adl-events.js';
import { ADL_TASKS } from '../func-adl/adl-tasks.js';
import { SHARED } from '../helpers/shared-data.js';

const ROOT_FILE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
const PARQUET = `${SHARED}conformance-data/adl-benchmark/Run2012B_SingleMu_1000_native.parquet`;
const INPUTS = [
  ['ROOT', ROOT_FILE],
  ['nested Parquet', PARQUET],
] as const;

const SHAPES: ReadonlyArray<readonly [string, string]> = [
  [
    'a dict of scalars and per-event reductions',
    "Where(lambda e: e.nMuon >= 2 and len(e.Muon_pt) > 1).Select(lambda e: {'met': e.MET_pt, 'n': e.Muon.Where(lambda m: m.pt > 20).Count(), 's': sum(e.Jet_pt)})",
  ],
  ['a tuple with a list column, Take', 'Select(lambda e: (e.MET_pt, e.Jet_pt)).Take(25)'],
  ['one value per row', 'Where(lambda e: e.nJet > 1).Select(lambda e: e.MET_pt * 2 - e.PV_npvs)'],
  [
    'Min/Max of empty lists (NaN), division, sqrt, a conditional, Any/All, not',
    "Select(lambda e: {'mx': e.Jet_pt.Max(), 'mn': e.Muon.Select(lambda m: m.pt).Min(), 'r': e.MET_pt / e.nJet, 'q': sqrt(e.MET_pt - 20), 'c': e.MET_pt if e.nJet > 1 else 0, 'any': e.Muon.Any(lambda m: m.charge > 0), 'all': e.Jet.All(lambda j: j.pt > 20), 'nm': not (e.Jet_pt.Max() > 30)})",
  ],
  [
    "a registry function over a group's items and an outer column",
    'Select(lambda e: e.Muon.Select(lambda m: DeltaR(m.eta, m.phi, 0.0, e.MET_phi)))',
  ],
  [
    'Where/Select inside a collection, Skip then Take',
    'Where(lambda e: e.Jet.Where(lambda j: j.pt > 30).Count() >= 1).Select(lambda e: e.Jet.Where(lambda j: j.pt > 30).Select(lambda j: j.eta)).Skip(3).Take(10)',
  ],
  [
    'SelectMany of a filtered group to tuples',
    'Where(lambda e: e.nMuon > 0).Select(lambda e: e.Muon.Where(lambda m: m.pt > 5)).SelectMany(lambda ms: ms).Select(lambda m: (m.pt, m.charge))',
  ],
  ['whole events: a Where alone, every column', 'Where(lambda e: e.nJet > 2)'],
  ['whole events, Skip and Take', 'Where(lambda e: e.nMuon >= 2).Skip(3).Take(5)'],
  [
    'Zip of lists as a collection of records, filtered, and unnested',
    "Select(lambda e: {'z': Zip({'pt': e.Jet_pt, 'eta': e.Jet_eta}).Where(lambda j: abs(j.eta) < 1.5).Select(lambda j: j.pt * 2), 'n': Zip({'pt': e.Muon_pt, 'q': e.Muon_charge}).Where(lambda m: m.q > 0).Count()})",
  ],
  [
    'collections of four-vectors: Concat of two groups, ToFourMomenta, a Select to four-vectors, their Sum',
    "Where(lambda e: e.nJet > 0).Select(lambda e: {'l': e.Electron.Concat(e.Muon).Where(lambda l: l.pt > 5).Select(lambda l: l.ToFourMomentum()).Select(lambda p: p.eta), 'm': Zip({'pt': e.Jet_pt, 'eta': e.Jet_eta, 'phi': e.Jet_phi, 'mass': e.Jet_mass}).ToFourMomenta().Sum().mass, 'n': e.Jet.Select(lambda j: j.ToFourMomentum()).Where(lambda p: p.pt > 30).Count()})",
  ],
  ['event-level Count', 'Where(lambda e: e.nJet > 2).Count()'],
  ['event-level Sum of integers', 'Select(lambda e: e.nJet).Sum()'],
  [
    "event-level Sum of floats (the values in entry order, the loop's left fold), after a Where",
    'Where(lambda e: e.nJet > 0).Select(lambda e: e.MET_pt * 1.1 + e.Jet_pt.Sum() / 3).Sum()',
  ],
  [
    'event-level Sum of values the bound plan types as integers (floor, int, a conditional of ints and round)',
    'Select(lambda e: floor(e.MET_pt) + int(e.MET_pt / 3) + (e.nJet * 2 if e.MET_pt > 20 else round(e.MET_pt))).Sum()',
  ],
  ['event-level Min and Max', 'Select(lambda e: e.MET_pt).Min()'],
  ['event-level Max of a computed value', 'Select(lambda e: e.Jet_pt.Select(lambda pt: pt / 2).Sum()).Max()'],
  ['event-level Any', 'Select(lambda e: e.MET_pt > 150).Any()'],
  [
    'a histogram of a list per event',
    'Select(lambda e: e.Jet_pt).Hist(lambda pts: pts, bins=30, range=(0, 150))',
  ],
  [
    'a weighted histogram with variable edges',
    'Select(lambda e: e.MET_pt).Hist(lambda m: m, edges=[0, 10, 25.5, 40, 100, 1000], weight=lambda m: m / 7)',
  ],
  [
    'four-vectors: a per-item property, a sum with the MET, ΔR between items of two groups',
    "Select(lambda e: {'e': e.Muon.Select(lambda m: m.ToFourMomentum().E), 'm': e.Jet.Where(lambda j: j.ToFourMomentum().rapidity < 1.5).Select(lambda j: (j.ToFourMomentum() + {'pt': e.MET_pt, 'phi': e.MET_phi}.ToFourMomentum()).mass), 'dr': e.Muon.Select(lambda m: e.Jet.Select(lambda j: j.ToFourMomentum().deltaR(m.ToFourMomentum())).Min())})",
  ],
  [
    'four-vector properties of SelectMany rows',
    'SelectMany(lambda e: e.Jet).Select(lambda j: (j.ToFourMomentum().Et, j.ToFourMomentum().mt, j.ToFourMomentum().p, j.ToFourMomentum().eta, j.ToFourMomentum().phi))',
  ],
  [
    'combinations: Choose(3) of a group as four-vector sums, Choose(2) of a filtered group counted',
    "Select(lambda e: {'pt3': e.Jet.Choose(3).Select(lambda t: (t[0].ToFourMomentum() + t[1].ToFourMomentum() + t[2].ToFourMomentum()).pt), 'n2': e.Jet.Where(lambda j: j.pt > 20).Choose(2).Count()})",
  ],
  [
    'OrderBy(…).First() inside events: of numbers, descending, tied and NaN keys, None of an empty collection (compared), inside a lambda',
    "Select(lambda e: {'a': e.Jet_pt.OrderBy(lambda pt: abs(pt - 40)).First(), 'b': e.Muon.Where(lambda m: m.pt > 25).OrderByDescending(lambda m: m.eta).First().pt, 't': e.Jet.OrderBy(lambda j: int(j.pt / 10)).First().eta, 'nan': e.Jet.OrderBy(lambda j: log(j.eta)).First().phi, 'cmp': e.Jet.OrderBy(lambda j: j.pt).First().pt > 30, 'd': e.Muon.Select(lambda m: e.Jet.OrderBy(lambda j: j.ToFourMomentum().deltaR(m.ToFourMomentum())).First().pt)})",
  ],
  [
    'records with a four-vector field: Select to them, Concat, Choose(2) kept as a column, SelectMany of them',
    "Select(lambda e: {'l': e.Electron.Select(lambda l: {'p4': l.ToFourMomentum(), 'q': l.charge}).Concat(e.Muon.Select(lambda l: {'p4': l.ToFourMomentum(), 'q': l.charge}))}).Select(lambda e: {'l': e.l, 'pairs': e.l.Choose(2)}).Select(lambda e: {'n': e.pairs.Count(), 'm': e.pairs.Select(lambda p: (p[0].p4 + p[1].p4).mass), 'pt': e.l.Select(lambda l: l.p4.pt), 'q': e.l.Select(lambda l: l.q)})",
  ],
  [
    'SelectMany of records with a four-vector field',
    "SelectMany(lambda e: e.Muon.Select(lambda m: {'p4': m.ToFourMomentum(), 'q': m.charge})).Select(lambda r: (r.p4.E, r.q))",
  ],
  [
    'a Zip with a collection of four-vectors, OrderByDescending(…).First() of it, Choose(2)…First() as a tuple',
    "Select(lambda e: {'z': Zip({'p4': e.Jet.Select(lambda j: j.ToFourMomentum()), 'b': e.Jet_btag}).OrderByDescending(lambda j: j.b).First(), 'p': e.Muon.Choose(2).OrderBy(lambda p: p[0].pt * p[1].pt).First()}).Select(lambda r: (r.z.p4.pt, r.z.p4.mass, r.z.b, r.p[0].pt, r.p[1].eta, r.p[0].pt > 10))",
  ],
  [
    "V8's transcendental functions (DuckDB's libm differs in the last bit), ** and round/int",
    "Select(lambda e: {'a': exp(e.MET_pt / 100), 'b': log(e.MET_pt), 'c': cos(e.MET_phi), 'd': e.MET_pt ** 1.5, 'f': atan2(e.MET_phi, 1.0), 'g': hypot(e.MET_pt, e.PV_x), 'h': round(e.MET_pt), 'i': int(e.MET_pt), 'j': max(e.Jet_pt.Max(), 5), 'k': e.Muon.Select(lambda m: m.pt * sinh(m.eta))})",
  ],
];

const REFUSED: ReadonlyArray<readonly [string, RegExp]> = [
  ['Where(lambda e: e.nJet > 0).Select(lambda e: e.Jet_pt.First())', /the collection operator First/],
  [
    "Select(lambda e: {'met': e.MET_pt, 'n': e.nJet}).Hist2D(lambda r: r.met, lambda r: r.n, bins=(5, 4), range=(0, 100, 0, 8))",
    /a 2-D histogram/,
  ],
  [
    'Select(lambda e: e.MET_pt).Hist(lambda m: m, bins=10, range=(0, 100), weight={"a": lambda m: 1.0, "b": lambda m: 2.0})',
    /a categorised histogram/,
  ],
  ['Where(lambda e: e.nJet > 0).Select(lambda e: e.Jet_pt[0])', /an index into a collection/],
  ['Select(lambda e: e.MET_pt // 3)', /the operator \/\//],
  ['Select(lambda e: e.Jet_pt.OrderBy(lambda pt: pt))', /the collection operator OrderBy/],
];

/** The result, with rows' schema and shape, for an exact comparison. */
function comparable(r: Awaited<ReturnType<Session['query']>>) {
  return r.kind === 'rows' ? { schema: r.schema, shape: r.shape, json: resultToJson(r) } : resultToJson(r);
}

describe('DuckDB as a placement of func_adl queries', () => {
  const session = new Session({ threads: 1 });
  afterAll(() => session.close());

  async function onDuckdb(text: string, options: QueryOptions) {
    const explain = await session.explain(text, { ...options, device: 'duckdb' });
    expect(explain).toMatch(
      /^ {2}Target: the session's DuckDB \(one SQL statement\) — device duckdb asked for$/m,
    );
    return session.query(text, { ...options, device: 'duckdb' });
  }

  for (const [label, file] of INPUTS) {
    describe(`over ${label}`, () => {
      it.each(SHAPES)('%s: as the compiled loop gives it', async (_what, text) => {
        const duck = await onDuckdb(text, { files: [file] });
        const cpu = await session.query(text, { files: [file], device: 'cpu' });
        expect(duck.kind).toBe(cpu.kind);
        expect(comparable(duck)).toEqual(comparable(cpu));
      });

      for (const t of ADL_TASKS)
        it(`ADL task ${t.name} reproduces the reference histogram`, async () => {
          const text = `${t.query}.Hist(lambda x: x, bins=100, range=(${t.lo}, ${t.hi}))`;
          const r = await onDuckdb(text, { files: [file] });
          if (r.kind !== 'histogram') throw new Error(`expected a histogram, got ${r.kind}`);
          expect(asReference(r.histogram, t.lo, t.hi)).toEqual(referenceRecord(t.name));
        });

      it('an entry range is the same events', async () => {
        const text = "Select(lambda e: {'met': e.MET_pt, 'n': e.nJet})";
        const range = { start: 100, stop: 250 };
        const duck = await onDuckdb(text, { files: [file], range });
        const cpu = await session.query(text, { files: [file], range, device: 'cpu' });
        expect(comparable(duck)).toEqual(comparable(cpu));
        expect((resultToJson(duck) as unknown[]).length).toBe(150);
      });
    });
  }

  for (const t of ADL_TASKS.filter((x) => ['q1', 'q5'].includes(x.name)))
    it(`ADL task ${t.name} over the ROOT file twice (a UNION ALL of root()) counts every event twice`, async () => {
      const text = `${t.query}.Hist(lambda x: x, bins=100, range=(${t.lo}, ${t.hi}))`;
      const r = await onDuckdb(text, { files: [ROOT_FILE, ROOT_FILE] });
      if (r.kind !== 'histogram') throw new Error(`expected a histogram, got ${r.kind}`);
      expect(asReference(r.histogram, t.lo, t.hi, 2)).toEqual(referenceRecord(t.name));
    });

  it("an event-level Sum of floats is the loop's left fold of the values in entry order", async () => {
    const sel = 'Where(lambda e: e.nJet > 0).Select(lambda e: e.MET_pt * 1.1 + e.Jet_pt.Sum() / 3)';
    const rows = await session.query(sel, { files: [ROOT_FILE], device: 'cpu' });
    const xs = resultToJson(rows) as number[];
    expect(xs.length).toBeGreaterThan(100);
    let acc = 0;
    for (const x of xs) acc += x;
    // the same values added in another order give other bits: the order is what this checks
    expect([...xs].sort((a, b) => a - b).reduce((a, b) => a + b, 0)).not.toBe(acc);
    const duck = await onDuckdb(`${sel}.Sum()`, { files: [ROOT_FILE] });
    expect(duck).toEqual({ kind: 'value', value: acc });
    const twice = await session.explain(`${sel}.Sum()`, { files: [ROOT_FILE, ROOT_FILE], device: 'duckdb' });
    expect(twice).toMatch(/^ {4}DuckDB: not possible: several ROOT files with a result in entry order/m);
  });

  it('rows over several ROOT files are refused (no entry order across the union)', async () => {
    const explain = await session.explain('Select(lambda e: e.MET_pt)', {
      files: [ROOT_FILE, ROOT_FILE],
      device: 'duckdb',
    });
    expect(explain).toMatch(/^ {4}DuckDB: not possible: several ROOT files with a result in entry order/m);
  });

  it.each(REFUSED)('refuses %s with the reason', async (text, reason) => {
    const explain = await session.explain(text, { files: [ROOT_FILE], device: 'duckdb' });
    const line = explain.split('\n').find((l) => l.startsWith('    DuckDB: '));
    expect(line).toMatch(/^ {4}DuckDB: not possible: /);
    expect(line).toMatch(reason);
    expect(explain).not.toMatch(/^ {2}SQL:$/m);
    // and the query still runs, on the CPU, as without a device
    const r = await session.query(text, { files: [ROOT_FILE], device: 'duckdb' });
    expect(comparable(r)).toEqual(
      comparable(await session.query(text, { files: [ROOT_FILE], device: 'cpu' })),
    );
  });

  it('explain prints the statement it runs, over the file and with float32 columns as DOUBLE', async () => {
    const text =
      'SelectMany(lambda e: e.Jet).Where(lambda j: abs(j.eta) < 1).Select(lambda j: j.pt).Hist(lambda pt: pt, bins=100, range=(15, 60))';
    const root = await session.explain(text, { files: [ROOT_FILE], device: 'duckdb' });
    expect(root).toMatch(/^ {4}SqlStatement: /m);
    expect(root).toContain(`FROM hepq.root('${ROOT_FILE}', 'Events')`);
    expect(root).toContain('CAST("Jet_pt" AS DOUBLE[]) AS "Jet_pt"');
    expect(root).toContain('hepq.hist_index(x, 15::DOUBLE, 60::DOUBLE, 100)');
    const pq = await session.explain(text, { files: [PARQUET], device: 'duckdb' });
    expect(pq).toContain(`FROM read_parquet(['${PARQUET}'])`);
    expect(pq).toContain('CAST(list_transform("Jet", lambda s: s."pt") AS DOUBLE[]) AS "Jet_pt"');
  });

  it('under auto DuckDB is a costed candidate that does not beat the compiled loop', async () => {
    const explain = await session.explain('Select(lambda e: e.MET_pt)', {
      files: [ROOT_FILE],
      device: 'auto',
    });
    expect(explain).toMatch(/^ {4}DuckDB: ≈ [0-9.]+ (ms|s) \(one SQL statement\)$/m);
    expect(explain).toMatch(/^ {2}Target: this thread/m);
  });
});
