/** The kernel every layer may import: the one error class (kind, `layer/name` code, span, hint) and did-you-mean. */
export * from './errors.js';
export * from './format.js';
export * from './math.js';
export * from './rng.js';
