/** Morsel-driven parallel execution: a worker pool, the per-morsel worker, and the merge of morsel results. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export { mergeResults, morsels, whyNotPartitionable } from './merge.js';
export { type WorkerError, WorkerPool, type WorkerReply } from './pool.js';
export type { MorselTask } from './query-worker.js';

/** The query worker's module: the TypeScript source beside this file, or `query-worker.js` beside the bundle chunk. */
export function queryWorkerUrl(): URL | undefined {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(fromSource ? './query-worker.ts' : './query-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}
