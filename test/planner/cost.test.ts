/** The cost model against references worked out independently: data read directly, and arithmetic by hand. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openRootTable } from '../../connectors/root/index.js';
import { type Batch, HepqError } from '../../exec/batch/index.js';
import {
  CostModel,
  calibrateDecompression,
  DEFAULT_RATES,
  decompressionRates,
  ExprEstimator,
  explainCost,
  poissonCdf,
  registerCostTerm,
  selectivityFromBatches,
  type WorkEstimate,
} from '../../planner/cost/index.js';
import type { LambdaExpr, WherePlan } from '../../planner/ir/index.js';
import { parseQuery } from '../../query/index.js';
import { ADL_DIR, HAVE_ADL, loadAdlEvents } from '../func-adl/adl-events.js';
import { NANO_SCHEMA } from '../func-adl/nano-schema.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../helpers/shared-data.js';
import { NANO_STATS } from './plan-text.js';

const pred = (q: string): LambdaExpr => (parseQuery(q) as WherePlan).predicate;

describe('selectivity and length estimates', () => {
  it('Poisson tail probabilities match the closed forms', () => {
    expect(poissonCdf(0, 2)).toBeCloseTo(Math.exp(-2), 12);
    expect(poissonCdf(1, 2)).toBeCloseTo(3 * Math.exp(-2), 12);
    expect(poissonCdf(2, 2)).toBeCloseTo(5 * Math.exp(-2), 12);
    expect(poissonCdf(-1, 2)).toBe(0);
  });

  it('a count against a constant uses the mean length from the statistics (6 jets: P(N >= 2) = 1 − 7e^−6)', () => {
    const est = new ExprEstimator(NANO_SCHEMA, NANO_STATS);
    expect(est.columnLength('Jet_pt')).toBeCloseTo(6, 12);
    expect(est.selectivity(pred('ds.Where(lambda e: e.nJet >= 2)'))).toBeCloseTo(1 - 7 * Math.exp(-6), 12);
    expect(est.selectivity(pred('ds.Where(lambda e: e.Jet_pt.Count() < 1)'))).toBeCloseTo(Math.exp(-6), 12);
    expect(est.selectivity(pred('ds.Where(lambda e: e.MET_pt > 20 and e.run == 1)'))).toBeCloseTo(
      0.1 / 3,
      12,
    );
    expect(est.selectivity(pred('ds.Where(lambda e: not (e.MET_pt > 20))'))).toBeCloseTo(2 / 3, 12);
  });

  it.skipIf(!HAVE_ADL)(
    'the mean jet multiplicity estimated from byte counts is the one in the ADL events',
    () => {
      const events = readFileSync(`${ADL_DIR}Run2012B_SingleMu_1000_native.jsonl`, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as { Jet: unknown[] });
      const mean = events.reduce((a, e) => a + e.Jet.length, 0) / events.length;
      const t = loadAdlEvents();
      const est = new ExprEstimator(t.schema(), t.statistics());
      // Offsets are n + 1 per column, the estimate assumes n: off by 4 bytes over the whole column.
      expect(est.columnLength('Jet_pt')).toBeCloseTo(mean, 2);
    },
  );

  it.skipIf(!HAVE_ROOT_DATA)(
    'over a ROOT file, from basket sizes: HZZ has 1.145 jets an event (NJet read directly)',
    async () => {
      const t = await openRootTable(`${ROOT_DATA}uproot-HZZ.root`);
      try {
        let sum = 0;
        let n = 0;
        for await (const b of t.scan({ columns: ['NJet'] })) {
          const c = b.columns[0] as { values: Int32Array };
          for (let i = 0; i < b.length; i++) sum += c.values[i]!;
          n += b.length;
        }
        const est = new ExprEstimator(t.schema(), t.statistics());
        expect(Math.abs(est.columnLength('NJet')! - sum / n) / (sum / n)).toBeLessThan(0.02);
      } finally {
        await t.close();
      }
    },
  );

  it.skipIf(!HAVE_ADL)(
    'sampled selectivity over a batch is the exact fraction; a row-level predicate gives none',
    async () => {
      const t = loadAdlEvents(256);
      const first: Batch[] = [];
      for await (const b of t.scan({ range: { start: 0, stop: 256 } })) first.push(b);
      const sample = selectivityFromBatches(first);
      const events = readFileSync(`${ADL_DIR}Run2012B_SingleMu_1000_native.jsonl`, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .slice(0, 256)
        .map((l) => JSON.parse(l) as { Muon: unknown[]; MET: { pt: number } });
      const twoMuons = events.filter((e) => e.Muon.length >= 2).length / 256;
      expect(sample(pred('ds.Where(lambda e: e.nMuon >= 2)'))).toBe(twoMuons);
      const met = events.filter((e) => e.MET.pt > 30).length / 256;
      expect(sample(pred('ds.Where(lambda e: e.MET_pt > 30)'))).toBeCloseTo(met, 12);
      expect(sample(pred('ds.Where(lambda r: r.met > 30)'))).toBeUndefined();
    },
  );
});

describe('decompression rates and placement seconds', () => {
  // Which codec is faster is a measurement (bench/decompression.mjs), not something a test on a busy machine can
  // assert: here only that every algorithm is calibrated, once per process, to a usable rate.
  it('calibrates every algorithm once per process', () => {
    const r = decompressionRates();
    expect(decompressionRates()).toBe(r);
    for (const v of Object.values(r)) expect(v > 0 && Number.isFinite(v)).toBe(true);
    expect(Object.keys(calibrateDecompression(2)).sort()).toEqual(['lz4', 'lzma', 'none', 'zlib', 'zstd']);
  });

  it('estimates seconds on one thread and on workers, worked out by hand', () => {
    const m = new CostModel({ schema: NANO_SCHEMA, statistics: NANO_STATS, rates: DEFAULT_RATES });
    const work: WorkEstimate = {
      events: 1e6,
      unitsPerEvent: 500,
      compressedBytes: 5e7,
      uncompressedBytes: 1e8,
      decompressSeconds: 0.4,
    };
    // 0.4 s decompression + 1e6 × 500 × 2e-9 = 1 s of CPU.
    expect(m.estimateSeconds(work, 1)).toBeCloseTo(1.4, 12);
    // 4 threads, 8 morsels: 0.05 start-up + 8 × 0.002 / 4 + 1.4 / 4.
    expect(m.estimateSeconds(work, 4, 8)).toBeCloseTo(0.05 + 0.004 + 0.35, 12);
    const small = { ...work, events: 100, decompressSeconds: 1e-4 };
    expect(m.placements(parseQuery('ds.Select(lambda e: e.MET_pt)'), small, 4)[0]!.target).toBe('cpu');
    expect(m.placements(parseQuery('ds.Select(lambda e: e.MET_pt)'), work, 4)[0]!.target).toBe('threads');
  });

  it("takes decompression seconds from the bytes of the columns read and each one's algorithm", () => {
    const m = new CostModel({
      schema: NANO_SCHEMA,
      statistics: NANO_STATS,
      rates: DEFAULT_RATES,
      compression: 'lzma',
    });
    const w = m.work(parseQuery('ds.Select(lambda e: e.MET_pt)'), ['MET_pt', 'Jet_pt']);
    // MET_pt 4 kB and Jet_pt 28 kB uncompressed at 30 MB/s.
    expect(w.uncompressedBytes).toBe(32_000);
    expect(w.compressedBytes).toBe(16_000);
    expect(w.decompressSeconds).toBeCloseTo(0.032 / 30, 12);
  });

  it('takes GPU/DuckDB cost terms as hooks, refusing a second term of the same name', () => {
    const off = registerCostTerm({
      name: 'gpu-test',
      estimate: (w) => ({ seconds: w.events * 1e-9, note: 'resident' }),
    });
    try {
      expect(() => registerCostTerm({ name: 'gpu-test', estimate: () => undefined })).toThrow(HepqError);
      const m = new CostModel({ schema: NANO_SCHEMA, statistics: NANO_STATS, rates: DEFAULT_RATES });
      const w = m.work(parseQuery('ds.Select(lambda e: e.MET_pt)'), ['MET_pt']);
      const p = m.placements(parseQuery('ds.Select(lambda e: e.MET_pt)'), w, 2);
      expect(p[0]).toMatchObject({ target: 'gpu-test', threads: 1, note: 'resident' });
      expect(p[0]!.seconds).toBeCloseTo(1000 * 1e-9, 15);
      // A term given with the query only (the GPU context's term for one table) counts too.
      const duck = { name: 'duckdb-test', estimate: () => ({ seconds: 0 }) };
      const withTerm = new CostModel({
        schema: NANO_SCHEMA,
        statistics: NANO_STATS,
        rates: DEFAULT_RATES,
        terms: [duck],
      });
      expect(withTerm.placements(parseQuery('ds.Select(lambda e: e.MET_pt)'), w, 2)[0]!.target).toBe(
        'duckdb-test',
      );
    } finally {
      off();
    }
  });

  it.skipIf(!HAVE_ROOT_DATA)(
    'explains cost over a real file: the bytes are those of the branches read',
    async () => {
      const t = await openRootTable(`${ROOT_DATA}uproot-HZZ-lz4.root`);
      try {
        const stats = t.statistics();
        const text = explainCost(parseQuery('ds.Where(lambda e: e.NMuon >= 2).Select(lambda e: e.Muon_Px)'), {
          schema: t.schema(),
          statistics: stats,
          rates: DEFAULT_RATES,
          compression: 'lz4',
          threads: 2,
        });
        const zip = stats.columns
          .filter((c) => c.name === 'NMuon' || c.name === 'Muon_Px')
          .reduce((a, c) => a + c.compressedBytes, 0);
        expect(text).toContain(`reads 2 columns of 2,421 entries: ${(zip / 1e6).toFixed(3)} MB compressed`);
        expect(text).toMatch(/Where lambda e: e\.NMuon >= 2: .* keeps [0-9.]+ \(estimated\)/);
        expect(text).toMatch(/placement: cpu ≈ [0-9.]+ ms, threads×2 ≈ [0-9.]+ ms/);
      } finally {
        await t.close();
      }
    },
  );
});
