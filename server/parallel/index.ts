/** The Session's side of morsel parallelism: the per-morsel query worker (a Session of its own) and where it lives. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export {
  mergeResults,
  morsels,
  reduceOpOf,
  type WorkerError,
  WorkerPool,
  type WorkerReply,
  whyNotPartitionable,
} from '../../exec/parallel/index.js';
export { type MorselTask, runMorselTask } from './morsel.js';

/** The query worker's module: the TypeScript source beside this file, or `query-worker.js` beside the bundle chunk. */
export function queryWorkerUrl(): URL | undefined {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(fromSource ? './query-worker.ts' : './query-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}
