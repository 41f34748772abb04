/**
 * Ranking of nuisance parameters by their impact on the POI: each parameter is fixed at its best fit ± its post-fit
 * (and, for constrained ones, pre-fit) uncertainty, the rest refitted, and the shift of μ̂ recorded.
 */
import type { HistFactoryModel, ModelData } from '../model/histfactory-model.js';
import { type FitResult, fitModel, uncertainties } from './fit.js';
import { priorWidths } from './postfit.js';
import { type FitSettings, requirePoi } from './test-statistics.js';

export interface ImpactRow {
  readonly name: string;
  readonly index: number;
  readonly bestfit: number;
  readonly error: number;
  /** (θ̂ − θ₀)/σ_prior for constrained parameters, NaN otherwise */
  readonly pull: number;
  readonly postfitUp: number;
  readonly postfitDown: number;
  readonly prefitUp: number;
  readonly prefitDown: number;
}

export interface RankingResult {
  readonly poi: string;
  readonly poiHat: number;
  readonly poiError: number;
  readonly fit: FitResult;
  /** sorted by the larger post-fit impact, largest first */
  readonly rows: readonly ImpactRow[];
}

export function ranking(model: HistFactoryModel, data: ModelData, settings: FitSettings = {}): RankingResult {
  const poi = requirePoi(model);
  const best = fitModel(model, data, settings);
  const err = uncertainties(model, data, best).errors;
  const { lo, hi } = settings.bounds ?? model.suggestedBounds();
  const { center, width: prior } = priorWidths(model);
  const shift = (k: number, value: number) => {
    const v = Math.min(hi[k]!, Math.max(lo[k]!, value));
    const init = best.x.slice();
    init[k] = v;
    const fixed = best.fixed.slice();
    fixed[k] = 1;
    return fitModel(model, data, { ...settings, init, fixed }).x[poi]! - best.x[poi]!;
  };
  const rows: ImpactRow[] = [];
  for (let k = 0; k < model.nPars; k++) {
    if (k === poi || best.fixed[k]) continue;
    const x = best.x[k]!;
    const hasPrior = Number.isFinite(prior[k]!);
    rows.push({
      name: model.parLabels[k]!,
      index: k,
      bestfit: x,
      error: err[k]!,
      pull: hasPrior ? (x - center[k]!) / prior[k]! : Number.NaN,
      postfitUp: shift(k, x + err[k]!),
      postfitDown: shift(k, x - err[k]!),
      prefitUp: hasPrior ? shift(k, x + prior[k]!) : Number.NaN,
      prefitDown: hasPrior ? shift(k, x - prior[k]!) : Number.NaN,
    });
  }
  rows.sort(
    (a, b) =>
      Math.max(Math.abs(b.postfitUp), Math.abs(b.postfitDown)) -
      Math.max(Math.abs(a.postfitUp), Math.abs(a.postfitDown)),
  );
  return { poi: model.poiName!, poiHat: best.x[poi]!, poiError: err[poi]!, fit: best, rows };
}
