/** Asimov data for a model: the expected main and auxiliary data at chosen parameters (pre-fit, or profiled to data). */
import { HepqError } from '../../exec/batch/index.js';
import type { HistFactoryModel, ModelData } from '../model/histfactory-model.js';
import { fitModel } from './fit.js';
import type { FitSettings } from './test-statistics.js';

export interface AsimovOptions {
  /** the POI value the data are built at (default: its suggested init, normally 1) */
  readonly poi?: number;
  /** further parameter values by label (`name`, or `name[i]` for per-bin sets), overriding the inits */
  readonly values?: Readonly<Record<string, number>>;
  /**
   * Profile the other parameters to these data first, with the POI fixed (the asymptotic calculator's Asimov data,
   * a "post-fit Asimov"); without it the parameters sit at their suggested inits (a "pre-fit Asimov").
   */
  readonly profileTo?: ModelData;
  readonly settings?: FitSettings;
}

/** The parameter vector an Asimov data set is built at (see AsimovOptions). */
export function asimovParameters(model: HistFactoryModel, options: AsimovOptions = {}): Float64Array {
  let theta = model.suggestedInit();
  if (options.poi !== undefined) {
    if (model.poiIndex < 0)
      throw new HepqError('stats/poi', 'Asimov data at a POI value need a model with a POI', {
        hint: 'name the POI in the measurement config (or with --poi)',
      });
    theta[model.poiIndex] = options.poi;
  }
  for (const [label, v] of Object.entries(options.values ?? {})) {
    const k = model.parLabels.indexOf(label);
    if (k < 0)
      throw new HepqError('stats/parameter', `no parameter '${label}' in the model`, {
        hint: `parameters: ${model.parLabels.slice(0, 20).join(', ')}${model.nPars > 20 ? ', …' : ''}`,
      });
    theta[k] = v;
  }
  if (options.profileTo) {
    const fixed = model.suggestedFixed();
    if (model.poiIndex >= 0) fixed[model.poiIndex] = 1;
    for (const label of Object.keys(options.values ?? {})) fixed[model.parLabels.indexOf(label)] = 1;
    theta = fitModel(model, options.profileTo, { ...options.settings, init: theta, fixed }).x;
  }
  return theta;
}

/**
 * Asimov data: every main bin at its expected count and every auxiliary datum at its expected value, so a fit to
 * them returns the parameters they were built at (μ̂ = 1 for `{ poi: 1 }`).
 */
export function asimovData(model: HistFactoryModel, options: AsimovOptions = {}): ModelData {
  return model.expectedData(asimovParameters(model, options));
}
