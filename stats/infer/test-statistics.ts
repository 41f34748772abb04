/** Profile-likelihood test statistics q0, qμ, q̃μ, tμ, t̃μ (pyhf's definitions) from a free and a POI-fixed fit. */
import { HepqError } from '../../exec/batch/index.js';
import type { HistFactoryModel, ModelData } from '../model/histfactory-model.js';
import { type FitOptions, type FitResult, fitModel } from './fit.js';

export type TestStatName = 'q0' | 'qmu' | 'qmu_tilde' | 'tmu' | 'tmu_tilde';
export const TEST_STATS: readonly TestStatName[] = ['q0', 'qmu', 'qmu_tilde', 'tmu', 'tmu_tilde'];

export type FitSettings = Pick<
  FitOptions,
  'init' | 'bounds' | 'fixed' | 'maxIterations' | 'decrementTolerance'
>;

export interface TestStatResult {
  readonly name: TestStatName;
  readonly mu: number;
  readonly value: number;
  /** the unconditional fit (may be shared between several μ) */
  readonly free: FitResult;
  /** the fit with the POI fixed at μ */
  readonly conditional: FitResult;
}

export function requirePoi(model: HistFactoryModel): number {
  if (model.poiIndex < 0)
    throw new HepqError('stats/poi', 'this needs a parameter of interest, and the model has none', {
      hint: 'choose a measurement with a POI, or set one (--poi NAME)',
    });
  return model.poiIndex;
}

/**
 * The test statistic `name` at POI value `mu`. `free` may pass a cached unconditional fit of the same data.
 * Rounding can make 2ΔNLL slightly negative: it is clipped at 0.
 */
export function testStatistic(
  name: TestStatName,
  mu: number,
  model: HistFactoryModel,
  data: ModelData,
  settings: FitSettings = {},
  free?: FitResult,
): TestStatResult {
  const poi = requirePoi(model);
  if (name === 'q0') mu = 0;
  const freeFit = free ?? fitModel(model, data, settings);
  const conditional = fitModel(model, data, { ...settings, poiValue: mu });
  const muHat = freeFit.x[poi]!;
  let t = Math.max(0, conditional.twiceNll - freeFit.twiceNll);
  if ((name === 'qmu' || name === 'qmu_tilde') && muHat > mu) t = 0;
  if (name === 'q0' && muHat < 0) t = 0;
  return { name, mu, value: t, free: freeFit, conditional };
}
