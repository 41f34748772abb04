/** Test statistics of a range of toys (one hypothesis), the unit of work shared by the in-process and worker-thread paths. */

import { type FitSettings, type TestStatName, testStatistic } from '../infer/test-statistics.js';
import type { HistFactoryModel } from '../model/histfactory-model.js';
import { Rng } from './random.js';
import { ToySampler } from './sample-data.js';

export interface ToyBatch {
  /** POI value the toys are generated at */
  readonly genPoi: number;
  /** POI value tested */
  readonly testPoi: number;
  readonly stat: TestStatName;
  readonly seed: number;
  /** stream offset: toys of the two hypotheses use disjoint streams */
  readonly stream: number;
  readonly first: number;
  readonly count: number;
}

/**
 * Test statistic values of toys first…first+count−1. Toy i is drawn from `new Rng(seed, stream + i)`, so results do not
 * depend on how the toys are split between threads. Toys are generated at the suggested initial parameters with the
 * POI set to `genPoi` (pyhf's choice).
 */
export function toyTestStats(
  model: HistFactoryModel,
  batch: ToyBatch,
  settings: FitSettings = {},
): Float64Array {
  const theta = (settings.init ?? model.suggestedInit()).slice();
  theta[model.poiIndex] = batch.genPoi;
  const sampler = new ToySampler(model, theta);
  const out = new Float64Array(batch.count);
  for (let i = 0; i < batch.count; i++) {
    const rng = new Rng(batch.seed, batch.stream + batch.first + i);
    const data = sampler.sample(rng);
    out[i] = testStatistic(batch.stat, batch.testPoi, model, data, settings).value;
  }
  return out;
}
