/** Morsel-driven parallelism: the worker-thread pool, transferable results, and the merge of morsel results. */
export { mergeResults, morsels, reduceOpOf, whyNotPartitionable } from './merge.js';
export { type WorkerError, WorkerPool, type WorkerReply } from './pool.js';
export { transferable } from './transfer.js';
