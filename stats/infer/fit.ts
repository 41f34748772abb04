/** Maximum-likelihood fits of a HistFactory model (free, or with the POI fixed) and Hessian-based uncertainties. */
import { HepqError } from '../../exec/batch/index.js';
import type { HistFactoryModel, ModelData } from '../model/histfactory-model.js';
import { invertSPD } from '../optimize/linalg.js';
import { type MinimizeOptions, minimizeBounded } from '../optimize/minimize-bounded.js';

export interface FitOptions extends MinimizeOptions {
  readonly init?: Float64Array;
  readonly bounds?: { readonly lo: Float64Array; readonly hi: Float64Array };
  readonly fixed?: Uint8Array;
  /** fix the POI at this value (a "fixed-POI" / conditional fit) */
  readonly poiValue?: number;
  /** throw `stats/fit` instead of returning a non-converged result */
  readonly strict?: boolean;
}

export interface FitResult {
  /** best-fit θ (fixed entries at their fixed values) */
  readonly x: Float64Array;
  /** 2·NLL at the minimum */
  readonly twiceNll: number;
  readonly converged: boolean;
  readonly message: string;
  readonly iterations: number;
  readonly evaluations: number;
  /** 1 where the parameter was fixed during the fit */
  readonly fixed: Uint8Array;
}

export function fitModel(model: HistFactoryModel, data: ModelData, options: FitOptions = {}): FitResult {
  const x0 = (options.init ?? model.suggestedInit()).slice();
  const { lo, hi } = options.bounds ?? model.suggestedBounds();
  const fixed = (options.fixed ?? model.suggestedFixed()).slice();
  if (options.poiValue !== undefined) {
    if (model.poiIndex < 0)
      throw new HepqError('stats/poi', 'a fixed-POI fit needs a model with a POI', {
        hint: 'name the POI with --poi',
      });
    const v = options.poiValue;
    if (!(v >= lo[model.poiIndex]! && v <= hi[model.poiIndex]!))
      throw new HepqError(
        'stats/poi',
        `POI '${model.poiName}' = ${v} lies outside its bounds [${lo[model.poiIndex]}, ${hi[model.poiIndex]}]`,
        {
          hint: 'widen the POI bounds in the measurement config, or test a value inside them',
        },
      );
    fixed[model.poiIndex] = 1;
    x0[model.poiIndex] = v;
  }
  const free = new Uint8Array(model.nPars);
  for (let i = 0; i < model.nPars; i++) free[i] = fixed[i] || !(hi[i]! > lo[i]!) ? 0 : 1;
  const res = minimizeBounded(
    {
      fg: (x, g) => model.nll(x, data, g),
      curvature: (x) => model.gaussNewtonHessian(x, data),
      lo,
      hi,
      free,
    },
    x0,
    options,
  );
  if (options.strict && !res.converged)
    throw new HepqError(
      'stats/fit',
      `the fit did not converge: ${res.message} after ${res.iterations} iterations`,
      {
        hint: 'check the workspace for parameters with no effect or absurd bounds',
      },
    );
  return {
    x: res.x,
    twiceNll: 2 * res.f,
    converged: res.converged,
    message: res.message,
    iterations: res.iterations,
    evaluations: res.evaluations,
    fixed,
  };
}

/** The Hessian of the NLL at x over all parameters, by central differences of the analytic gradient (symmetrised). */
export function nllHessian(
  model: HistFactoryModel,
  data: ModelData,
  x: Float64Array,
  mask?: Uint8Array,
): Float64Array {
  const n = model.nPars;
  const H = new Float64Array(n * n);
  const xp = x.slice();
  const gp = new Float64Array(n);
  const gm = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    if (mask && !mask[j]) continue;
    const h = 1e-5 * Math.max(1, Math.abs(x[j]!));
    xp[j] = x[j]! + h;
    model.nll(xp, data, gp);
    xp[j] = x[j]! - h;
    model.nll(xp, data, gm);
    xp[j] = x[j]!;
    for (let i = 0; i < n; i++) H[i * n + j] = (gp[i]! - gm[i]!) / (2 * h);
  }
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (H[i * n + j]! + H[j * n + i]!);
      H[i * n + j] = v;
      H[j * n + i] = v;
    }
  return H;
}

export interface Uncertainties {
  /** one standard deviation per parameter (0 for fixed ones) */
  readonly errors: Float64Array;
  /** covariance over all parameters (row-major; zero rows for fixed ones) */
  readonly covariance: Float64Array;
  readonly correlation: Float64Array;
}

/** Uncertainties and correlations from the inverse Hessian of the NLL over the non-fixed parameters. */
export function uncertainties(model: HistFactoryModel, data: ModelData, result: FitResult): Uncertainties {
  const n = model.nPars;
  const freeIdx: number[] = [];
  for (let i = 0; i < n; i++) if (!result.fixed[i]) freeIdx.push(i);
  const mask = new Uint8Array(n);
  for (const i of freeIdx) mask[i] = 1;
  const H = nllHessian(model, data, result.x, mask);
  const m = freeIdx.length;
  const sub = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) sub[a * m + b] = H[freeIdx[a]! * n + freeIdx[b]!]!;
  const inv = invertSPD(sub, m);
  if (!inv)
    throw new HepqError(
      'stats/hessian',
      'the Hessian at the minimum is not positive definite: uncertainties are undefined',
      {
        hint: 'a parameter may have no effect on the model, or the fit did not converge',
      },
    );
  const covariance = new Float64Array(n * n);
  const errors = new Float64Array(n);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) covariance[freeIdx[a]! * n + freeIdx[b]!] = inv[a * m + b]!;
    errors[freeIdx[a]!] = Math.sqrt(inv[a * m + a]!);
  }
  const correlation = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const d = errors[i]! * errors[j]!;
      correlation[i * n + j] = i === j ? (errors[i]! > 0 ? 1 : 0) : d > 0 ? covariance[i * n + j]! / d : 0;
    }
  return { errors, covariance, correlation };
}
