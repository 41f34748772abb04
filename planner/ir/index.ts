/** The logical IR: plan and expression unions, builders, explain() and traversal helpers. */

export * from './binning.js';
export * from './builders.js';
export * from './explain.js';
export * from './expr.js';
export * from './formulas.js';
export * from './functions.js';
export * from './ops/index.js';
export * from './plan.js';
export * from './types.js';
export * from './walk.js';
