/**
 * Pre- and post-fit yields per region and sample with uncertainties propagated through the full parameter
 * covariance (σ²(f) = Jᵀ C J with J = ∂f/∂θ, analytic), pulls and the correlation matrix — cabinetry's
 * `prefit_model` / `postfit_model` / `yield_stdev` and pull plot numbers.
 */
import type { HistFactoryModel, ModelData } from '../model/histfactory-model.js';
import { type FitResult, fitModel, type Uncertainties, uncertainties } from './fit.js';
import type { FitSettings } from './test-statistics.js';

/** One sample's (or a region's total) yields per bin and summed, with one-standard-deviation uncertainties. */
export interface YieldRow {
  readonly name: string;
  readonly yields: Float64Array;
  readonly stdev: Float64Array;
  readonly sum: number;
  readonly sumStdev: number;
}

export interface RegionYields {
  readonly name: string;
  /** samples sorted by name (the model's order) */
  readonly samples: readonly YieldRow[];
  /** the sum over samples, its uncertainty including the correlations between samples and bins */
  readonly total: YieldRow;
  /** observed counts, when data were given */
  readonly data?: Float64Array;
}

export interface YieldSummary {
  /** regions (channels) sorted by name (the model's order) */
  readonly regions: readonly RegionYields[];
  /** the parameters the yields were evaluated at */
  readonly parameters: Float64Array;
  /** the covariance propagated (nPars × nPars, row-major) */
  readonly covariance: Float64Array;
}

/** A parameter's pull: (θ̂ − θ₀)/σ₀ with its post-fit error σ̂/σ₀ (NaN for unconstrained parameters). */
export interface ParameterPull {
  readonly name: string;
  readonly index: number;
  readonly bestfit: number;
  readonly error: number;
  /** constraint centre θ₀ and width σ₀ (NaN when unconstrained) */
  readonly prefitCenter: number;
  readonly prefitWidth: number;
  readonly pull: number;
  readonly pullError: number;
}

export interface PostfitResult {
  readonly fit: FitResult;
  readonly uncertainties: Uncertainties;
  readonly yields: YieldSummary;
  /** every non-fixed parameter (the POI and other free normalisations included, with NaN pulls) */
  readonly pulls: readonly ParameterPull[];
  /** parameter labels, the row/column order of `correlation` */
  readonly labels: readonly string[];
  /** correlation over all parameters (row-major, nPars × nPars; zero rows for fixed ones) */
  readonly correlation: Float64Array;
}

/**
 * The constraint centre and width of every parameter: Gaussian → (auxdatum, σ), Poisson (Barlow–Beeston-lite) →
 * (aux/τ, 1/√τ); NaN for parameters without a constraint (normfactors, shapefactors).
 */
export function priorWidths(model: HistFactoryModel): { center: Float64Array; width: Float64Array } {
  const width = new Float64Array(model.nPars).fill(Number.NaN);
  const center = new Float64Array(model.nPars).fill(Number.NaN);
  const aux = model.auxdata();
  const c = model.constraints();
  let j = 0;
  for (const p of model.params)
    for (let i = 0; i < p.n; i++) {
      if (!p.constraint) continue;
      const k = p.offset + i;
      width[k] = c.poisson[j] ? 1 / Math.sqrt(c.scale[j]!) : c.scale[j]!;
      center[k] = c.poisson[j] ? aux[j]! / c.scale[j]! : aux[j]!;
      j++;
    }
  return { center, width };
}

/** √(Jᵀ C J) for one gradient row `g` (length n) and covariance C. */
function stdevOf(g: Float64Array, cov: Float64Array, n: number, nz: readonly number[]): number {
  let v = 0;
  for (const i of nz) {
    const gi = g[i]!;
    if (gi === 0) continue;
    let s = 0;
    for (const k of nz) s += cov[i * n + k]! * g[k]!;
    v += gi * s;
  }
  return Math.sqrt(Math.max(0, v));
}

/**
 * Yields of every region × sample × bin at `theta`, with uncertainties from `covariance` by linear error
 * propagation (the analytic Jacobian of the yields); totals over samples and over bins keep the correlations.
 */
export function modelYields(
  model: HistFactoryModel,
  theta: Float64Array,
  covariance: Float64Array,
  data?: ModelData,
): YieldSummary {
  const n = model.nPars;
  const nz: number[] = [];
  for (let i = 0; i < n; i++) if (covariance[i * n + i]! > 0) nz.push(i);
  let nsb = 0;
  for (const c of model.channels) nsb += c.samples.length * c.nbins;
  const jac = new Float64Array(nsb * n);
  const yields = model.sampleYields(theta, jac);
  const row = (name: string, rows: readonly number[][]): YieldRow => {
    // rows[b] lists the sample-bins summed into bin b
    const nb = rows.length;
    const y = new Float64Array(nb);
    const sd = new Float64Array(nb);
    const gSum = new Float64Array(n);
    let sum = 0;
    for (let b = 0; b < nb; b++) {
      const g = new Float64Array(n);
      for (const s of rows[b]!) {
        y[b] += yields[s]!;
        for (const i of nz) g[i] += jac[s * n + i]!;
      }
      sd[b] = stdevOf(g, covariance, n, nz);
      sum += y[b]!;
      for (const i of nz) gSum[i] += g[i]!;
    }
    return { name, yields: y, stdev: sd, sum, sumStdev: stdevOf(gSum, covariance, n, nz) };
  };
  const regions: RegionYields[] = [];
  let sb = 0;
  for (const c of model.channels) {
    const samples = c.samples.map((name, si) =>
      row(
        name,
        Array.from({ length: c.nbins }, (_, b) => [sb + si * c.nbins + b]),
      ),
    );
    const total = row(
      'total',
      Array.from({ length: c.nbins }, (_, b) => c.samples.map((_s, si) => sb + si * c.nbins + b)),
    );
    sb += c.samples.length * c.nbins;
    regions.push({
      name: c.name,
      samples,
      total,
      ...(data ? { data: data.main.slice(c.offset, c.offset + c.nbins) } : {}),
    });
  }
  return { regions, parameters: theta.slice(), covariance };
}

/**
 * Pre-fit yields: parameters at their suggested inits, uncertainties from the constraint widths alone
 * (diagonal; unconstrained and fixed parameters contribute nothing, as in cabinetry).
 */
export function prefitYields(model: HistFactoryModel, data?: ModelData): YieldSummary {
  const n = model.nPars;
  const { width } = priorWidths(model);
  const fixed = model.suggestedFixed();
  const cov = new Float64Array(n * n);
  for (let i = 0; i < n; i++) if (!fixed[i] && Number.isFinite(width[i]!)) cov[i * n + i] = width[i]! ** 2;
  return modelYields(model, model.suggestedInit(), cov, data);
}

/** Pulls of the non-fixed parameters from a fit and its uncertainties. */
export function parameterPulls(model: HistFactoryModel, fit: FitResult, unc: Uncertainties): ParameterPull[] {
  const { center, width } = priorWidths(model);
  const out: ParameterPull[] = [];
  for (let k = 0; k < model.nPars; k++) {
    if (fit.fixed[k]) continue;
    const w = width[k]!;
    out.push({
      name: model.parLabels[k]!,
      index: k,
      bestfit: fit.x[k]!,
      error: unc.errors[k]!,
      prefitCenter: center[k]!,
      prefitWidth: w,
      pull: (fit.x[k]! - center[k]!) / w,
      pullError: unc.errors[k]! / w,
    });
  }
  return out;
}

/**
 * Fits the model to `data` (unless a fit is given) and returns post-fit yields with uncertainties from the full
 * post-fit covariance, the pulls and the correlation matrix.
 */
export function postfitYields(
  model: HistFactoryModel,
  data: ModelData,
  fit?: FitResult,
  settings: FitSettings = {},
): PostfitResult {
  const best = fit ?? fitModel(model, data, settings);
  const unc = uncertainties(model, data, best);
  return {
    fit: best,
    uncertainties: unc,
    yields: modelYields(model, best.x, unc.covariance, data),
    pulls: parameterPulls(model, best, unc),
    labels: model.parLabels,
    correlation: unc.correlation,
  };
}
