/**
 * Toy-based CLs (pyhf's ToyCalculator semantics): test-statistic distributions under s+b (POI = μ) and b-only (POI = 0)
 * from pseudo-experiments at the suggested initial parameters, p-values as tail fractions, the expected band as
 * percentiles of CLs over the b-only toys. Toys run in worker threads; results depend only on the seed.
 */
import { availableParallelism } from 'node:os';
import { HepqError } from '../../exec/batch/index.js';
import { type FitSettings, type TestStatName, testStatistic } from '../infer/test-statistics.js';
import { runJobs } from '../workers/run-jobs.js';
import type { Workspace, WorkspaceModelOptions } from '../workspace.js';
import { type ToyBatch, toyTestStats } from './toy-teststats.js';

export interface ToyOptions extends FitSettings {
  readonly ntoys?: number;
  readonly seed?: number;
  readonly testStat?: 'qtilde' | 'q';
  /** worker threads (default: available cores; 0 runs in this thread) */
  readonly workers?: number;
  readonly modelOptions?: WorkspaceModelOptions;
  /** Called as batches of toys finish (toys done of all toys, signal+background and background-only). */
  readonly onProgress?: (p: { readonly done: number; readonly total: number; readonly unit: 'toys' }) => void;
}

export interface ToyHypotestResult {
  readonly mu: number;
  readonly ntoys: number;
  readonly seed: number;
  readonly qObs: number;
  readonly clsbObs: number;
  readonly clbObs: number;
  readonly clsObs: number;
  /** expected CLs at −2σ … +2σ: percentiles of CLs over the b-only toys */
  readonly clsExp: readonly number[];
  /** sorted test statistics of the s+b and b-only toys */
  readonly sbToys: Float64Array;
  readonly bToys: Float64Array;
}

const BAND_PERCENTILES = [2.275013, 15.865525, 50.0, 84.134475, 97.724987];
const B_STREAM = 1 << 24;

/** Fraction of sorted `xs` that are ≥ v. */
function tailFraction(xs: Float64Array, v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return (xs.length - lo) / xs.length;
}

/** numpy's default (linear) percentile of sorted values. */
function percentile(sorted: Float64Array | number[], p: number): number {
  const r = (p / 100) * (sorted.length - 1);
  const i = Math.floor(r);
  const f = r - i;
  return i + 1 < sorted.length ? sorted[i]! + f * (sorted[i + 1]! - sorted[i]!) : sorted[i]!;
}

export async function hypotestToys(
  mu: number,
  ws: Workspace,
  options: ToyOptions = {},
): Promise<ToyHypotestResult> {
  const {
    ntoys = 2000,
    seed = 0,
    testStat = 'qtilde',
    workers,
    modelOptions = {},
    onProgress: _progress,
    ...settings
  } = options;
  const model = ws.model(modelOptions);
  if (model.poiIndex < 0)
    throw new HepqError('stats/poi', 'toys need a parameter of interest, and the model has none');
  const data = ws.data(model);
  const stat: TestStatName = testStat === 'qtilde' ? 'qmu_tilde' : 'qmu';
  const qObs = testStatistic(stat, mu, model, data, settings).value;
  const batches = (genPoi: number, stream: number, chunks: number): ToyBatch[] => {
    const out: ToyBatch[] = [];
    const size = Math.ceil(ntoys / chunks);
    for (let first = 0; first < ntoys; first += size)
      out.push({ genPoi, testPoi: mu, stat, seed, stream, first, count: Math.min(size, ntoys - first) });
    return out;
  };
  const nWorkers = Math.max(0, Math.min(workers ?? availableParallelism(), Math.ceil(ntoys / 20)));
  const chunks = Math.max(1, nWorkers * 4);
  const sbBatches = batches(mu, 0, chunks);
  const bBatches = batches(0, B_STREAM, chunks);
  let sbParts: Float64Array[];
  let bParts: Float64Array[];
  const total = 2 * ntoys;
  let done = 0;
  const report = (n: number) => {
    done += n;
    options.onProgress?.({ done: Math.min(done, total), total, unit: 'toys' });
  };
  options.onProgress?.({ done: 0, total, unit: 'toys' });
  if (nWorkers <= 1) {
    const run = (b: ToyBatch) => {
      const r = toyTestStats(model, b, settings);
      report(r.length);
      return r;
    };
    sbParts = sbBatches.map(run);
    bParts = bBatches.map(run);
  } else {
    const jobs = [...sbBatches, ...bBatches].map((batch) => ({ kind: 'toys' as const, batch, settings }));
    const results = await runJobs<Float64Array>({ spec: ws.spec, modelOptions }, jobs, nWorkers, (r) =>
      report((r as Float64Array).length),
    );
    sbParts = results.slice(0, sbBatches.length);
    bParts = results.slice(sbBatches.length);
  }
  const concat = (parts: Float64Array[]) => {
    const out = new Float64Array(ntoys);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out.sort();
  };
  const sbToys = concat(sbParts);
  const bToys = concat(bParts);
  const pv = (t: number) => {
    const clsb = tailFraction(sbToys, t);
    const clb = tailFraction(bToys, t);
    return { clsb, clb, cls: clsb / clb };
  };
  const o = pv(qObs);
  const clsPerB = Array.from(bToys, (t) => pv(t).cls).sort((a, b) => a - b);
  return {
    mu,
    ntoys,
    seed,
    qObs,
    clsbObs: o.clsb,
    clbObs: o.clb,
    clsObs: o.cls,
    clsExp: BAND_PERCENTILES.map((p) => percentile(clsPerB, p)),
    sbToys,
    bToys,
  };
}
