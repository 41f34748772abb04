/** The columnar kernel: the data model every other layer speaks. Imports nothing of the project. */

export * from '../core/errors.js';
export * from './arrow.js';
export * from './buffer-pool.js';
export * from './column.js';
export * from './concat.js';
export * from './types.js';
export * from './validity.js';
export * from './values.js';
