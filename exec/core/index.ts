/** The kernel every layer may import: the one error class (kind, `layer/name` code, span, hint), did-you-mean, formatters, the LZ4/ZSTD codecs. */

export * from './codecs.js';
export * from './errors.js';
export * from './format.js';
export * from './glob.js';
export * from './math.js';
export * from './rng.js';
