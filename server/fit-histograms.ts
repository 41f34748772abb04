/**
 * From a query's histograms to a fit in one call (the library's route): a labelled `HistogramSet` becomes the
 * builder's inputs, the builder (`stats/builder`, cabinetry's `build_workspace` as the model) makes a pyhf
 * workspace, which is fitted and tested.
 */
import { HepqError } from '../exec/batch/index.js';
import type { HistogramSet } from '../exec/index.js';
import {
  type BuilderConfig,
  buildWorkspaceWithReport,
  fitModel,
  type HistogramEntry,
  hypotest,
  uncertainties,
  type WorkspaceSpec,
} from '../stats/index.js';

export interface HistogramFitOptions {
  /** The label naming a histogram's region (default `region`), sample (`dataset`) and variation (`variation`). */
  readonly labels?: { readonly region?: string; readonly sample?: string; readonly variation?: string };
  /** The variation label of the nominal histograms (default `nominal`). */
  readonly nominal?: string;
  /** Extra builder inputs, e.g. the observed data as `{ region, sample: 'data', histogram }`. */
  readonly extra?: readonly HistogramEntry[];
  /** The POI value CLs is computed at (default 1). */
  readonly mu?: number;
}

export interface HistogramFitResult {
  readonly workspace: WorkspaceSpec;
  readonly mu_hat: number;
  readonly mu_err: number;
  readonly twice_nll: number;
  readonly converged: boolean;
  /** CLs at `mu`, observed and expected (−2σ … +2σ) */
  readonly cls_obs: number;
  readonly cls_exp: readonly number[];
  readonly parameters: readonly { readonly name: string; readonly value: number; readonly error: number }[];
  /** modifiers the builder pruned */
  readonly pruned: number;
}

/** The builder's inputs from a labelled set (the nominal variation becomes the empty one). */
export function histogramEntries(set: HistogramSet, options: HistogramFitOptions = {}): HistogramEntry[] {
  const r = options.labels?.region ?? 'region';
  const s = options.labels?.sample ?? 'dataset';
  const v = options.labels?.variation ?? 'variation';
  const nominal = options.nominal ?? 'nominal';
  for (const need of [r, s])
    if (!set.categories.includes(need))
      throw new HepqError('stats/histogram-labels', `the histograms have no '${need}' label`, {
        hint: `their labels are ${set.categories.join(', ') || 'none'}; name the one to use in options.labels`,
      });
  return set.histograms.map((h) => {
    const variation = h.labels[v];
    return {
      region: h.labels[r]!,
      sample: h.labels[s]!,
      variation: variation === undefined || variation === nominal ? '' : variation,
      histogram: { edges: h.edges, counts: h.counts, sumw2: h.sumw2 },
    };
  });
}

/** Build the workspace from `set` and `config`, fit it, and compute CLs at `mu`. */
export function fitHistograms(
  set: HistogramSet,
  config: BuilderConfig,
  options: HistogramFitOptions = {},
): HistogramFitResult {
  const built = buildWorkspaceWithReport(config, [
    ...histogramEntries(set, options),
    ...(options.extra ?? []),
  ]);
  const model = built.workspace.model();
  const data = built.workspace.data(model);
  const fit = fitModel(model, data);
  const errors = uncertainties(model, data, fit).errors;
  const poi = model.poiIndex;
  const test = hypotest(options.mu ?? 1, model, data);
  return {
    workspace: built.workspace.spec,
    mu_hat: poi >= 0 ? fit.x[poi]! : Number.NaN,
    mu_err: poi >= 0 ? errors[poi]! : Number.NaN,
    twice_nll: fit.twiceNll,
    converged: fit.converged,
    cls_obs: test.clsObs,
    cls_exp: [...test.clsExp],
    parameters: model.parLabels.map((name, i) => ({ name, value: fit.x[i]!, error: errors[i]! })),
    pruned: built.pruned.length,
  };
}
