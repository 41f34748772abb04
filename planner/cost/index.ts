/** The planner's cost model: statistics, decompression rates, per-event estimates and placement seconds. */

export * from './decompression.js';
export { DEFAULT_LENGTH, ExprEstimator, poissonCdf } from './estimates.js';
export * from './explain-cost.js';
export * from './model.js';
export * from './sample.js';
