/** Upper limits on the POI at a CLs level: by root finding on each CLs curve, or by interpolating a μ scan (as pyhf does). */
import { HepqError } from '../../exec/batch/index.js';
import type { HistFactoryModel, ModelData } from '../model/histfactory-model.js';
import type { WorkerInit } from '../workers/run-job.js';
import { AsymptoticCalculator, type CalcTestStat, type HypotestResult } from './asymptotic-calculator.js';
import type { JobsRunner } from './hypotest-patchset.js';
import { brentRoot } from './root-find.js';
import type { FitSettings } from './test-statistics.js';

export interface UpperLimitOptions extends FitSettings {
  /** CLs level (0.05 for a 95% CL limit) */
  readonly level?: number;
  readonly testStat?: Exclude<CalcTestStat, 'q0'>;
  /** search interval; default [0, POI upper bound] */
  readonly range?: readonly [number, number];
  /** relative tolerance on μ (default 1e-9) */
  readonly rtol?: number;
  /** Called after each hypothesis test of a scan (tests done of the scan's points). */
  readonly onProgress?: (p: {
    readonly done: number;
    readonly total: number;
    readonly unit: 'points';
  }) => void;
}

export interface UpperLimitResult {
  readonly obs: number;
  /** expected limits at −2σ, −1σ, median, +1σ, +2σ */
  readonly exp: readonly number[];
  /** number of hypothesis tests run */
  readonly evaluations: number;
}

/** Observed and expected upper limits by Brent root finding of CLs(μ) − level on each of the six curves. */
export function upperLimit(
  model: HistFactoryModel,
  data: ModelData,
  options: UpperLimitOptions = {},
): UpperLimitResult {
  const level = options.level ?? 0.05;
  const poi = model.poiIndex;
  const base = options.bounds ?? model.suggestedBounds();
  const bounds = { lo: base.lo.slice(), hi: base.hi.slice() };
  const lo = options.range?.[0] ?? Math.max(0, bounds.lo[poi]!);
  let hi = options.range?.[1] ?? bounds.hi[poi]!;
  let calc!: AsymptoticCalculator;
  let cache!: Map<number, HypotestResult>;
  let evaluations = 0;
  const rebuild = () => {
    calc = new AsymptoticCalculator(model, data, options.testStat ?? 'qtilde', { ...options, bounds });
    cache = new Map();
  };
  if (hi > bounds.hi[poi]!) bounds.hi[poi] = hi;
  rebuild();
  const at = (mu: number) => {
    let r = cache.get(mu);
    if (!r) {
      r = calc.hypotest(mu);
      evaluations++;
      cache.set(mu, r);
    }
    return r;
  };
  const curves: ((r: HypotestResult) => number)[] = [
    (r) => r.clsObs,
    ...[0, 1, 2, 3, 4].map((k) => (r: HypotestResult) => r.clsExp[k]!),
  ];
  // make sure every curve has fallen below the level at hi; beyond the POI bound the bound is widened (as one does in pyhf)
  for (let k = 0; k < 30 && curves.some((c) => c(at(hi)) > level); k++) {
    hi *= 2;
    if (hi > bounds.hi[poi]!) {
      bounds.hi[poi] = hi;
      rebuild();
    }
  }
  const out = curves.map((c) => {
    const flo = c(at(lo)) - level;
    const fhi = c(at(hi)) - level;
    if (flo < 0) return lo;
    if (fhi > 0)
      throw new HepqError(
        'stats/no-limit',
        `CLs stays above ${level} up to μ = ${hi}: no upper limit found`,
        {
          hint: 'check the signal yields of the model',
        },
      );
    return brentRoot(
      (mu) => c(at(mu)) - level,
      lo,
      hi,
      { rtol: options.rtol ?? 1e-9, xtol: 1e-12 },
      flo,
      fhi,
    );
  });
  return { obs: out[0]!, exp: out.slice(1), evaluations };
}

export interface ScanResult extends UpperLimitResult {
  readonly scan: readonly number[];
  readonly results: readonly HypotestResult[];
}

/** Linear interpolation of x at which y crosses `level`, with y given decreasing in x (pyhf's np.interp on reversed arrays). */
export function interpolateCrossing(xs: readonly number[], ys: readonly number[], level: number): number {
  const n = xs.length;
  // reversed arrays: y increasing
  const X = [...xs].reverse();
  const Y = [...ys].reverse();
  if (level <= Y[0]!) return X[0]!;
  if (level >= Y[n - 1]!) return X[n - 1]!;
  for (let i = 1; i < n; i++) {
    if (level <= Y[i]!) {
      const t = (level - Y[i - 1]!) / (Y[i]! - Y[i - 1]!);
      return X[i - 1]! + t * (X[i]! - X[i - 1]!);
    }
  }
  return X[n - 1]!;
}

/** Upper limits from CLs evaluated on a grid of μ values, interpolated linearly. */
export function upperLimitScan(
  model: HistFactoryModel,
  data: ModelData,
  scan: readonly number[],
  options: UpperLimitOptions = {},
): ScanResult {
  const level = options.level ?? 0.05;
  const poi = model.poiIndex;
  const base = options.bounds ?? model.suggestedBounds();
  const bounds = { lo: base.lo, hi: base.hi.slice() };
  // a scan beyond the POI's upper bound widens it (the fits must be allowed to reach the tested values)
  bounds.hi[poi] = Math.max(bounds.hi[poi]!, ...scan);
  const calc = new AsymptoticCalculator(model, data, options.testStat ?? 'qtilde', { ...options, bounds });
  options.onProgress?.({ done: 0, total: scan.length, unit: 'points' });
  const results = scan.map((mu, i) => {
    const r = calc.hypotest(mu);
    options.onProgress?.({ done: i + 1, total: scan.length, unit: 'points' });
    return r;
  });
  const obs = interpolateCrossing(
    scan,
    results.map((r) => r.clsObs),
    level,
  );
  const exp = [0, 1, 2, 3, 4].map((k) =>
    interpolateCrossing(
      scan,
      results.map((r) => r.clsExp[k]!),
      level,
    ),
  );
  return { obs, exp, evaluations: results.length, scan, results };
}

/**
 * `upperLimitScan` with its points run as jobs elsewhere (a cluster's workers): `init` is the workspace the model
 * was built from; each point is one job with the scan's bounds, so the values equal the local scan's.
 */
export async function upperLimitScanJobs(
  model: HistFactoryModel,
  init: WorkerInit,
  scan: readonly number[],
  runJobs: JobsRunner,
  options: UpperLimitOptions = {},
): Promise<ScanResult> {
  const level = options.level ?? 0.05;
  const base = options.bounds ?? model.suggestedBounds();
  const hi = base.hi.slice();
  hi[model.poiIndex] = Math.max(hi[model.poiIndex]!, ...scan);
  const testStat = options.testStat === 'q' ? 'q' : 'qtilde';
  let done = 0;
  options.onProgress?.({ done, total: scan.length, unit: 'points' });
  const results = await runJobs<HypotestResult>(
    init,
    scan.map((mu) => ({
      kind: 'hypotest-mu' as const,
      mu,
      testStat,
      bounds: { lo: [...base.lo], hi: [...hi] },
    })),
    () => options.onProgress?.({ done: ++done, total: scan.length, unit: 'points' }),
  );
  const obs = interpolateCrossing(
    scan,
    results.map((r) => r.clsObs),
    level,
  );
  const exp = [0, 1, 2, 3, 4].map((k) =>
    interpolateCrossing(
      scan,
      results.map((r) => r.clsExp[k]!),
      level,
    ),
  );
  return { obs, exp, evaluations: results.length, scan, results };
}

/** `n` evenly spaced values from a to b inclusive (numpy's linspace). */
export function linspace(a: number, b: number, n: number): number[] {
  if (n === 1) return [a];
  return Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
}
