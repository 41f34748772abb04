/** The transformer service (ServiceX-compatible): requests, per-file jobs, the job store, and dispatchers. */

export { isoToMicros, microsToIso, VisibleClock } from './clock.js';
export { confineInputs, confineUrls, expandGlob, outputName, resolveDataset } from './dataset.js';
export type { Dispatcher, DispatchHost } from './dispatcher.js';
export { runFileJob, tableToParquet } from './file-job.js';
export { LocalPool, type LocalPoolOptions } from './local-pool.js';
export {
  closeRedisFamily,
  DEAD_QUEUE_NAME,
  QUEUE_NAME,
  type QueueWorkerHandle,
  type QueueWorkerOptions,
  RedisDispatcher,
  type RedisDispatcherOptions,
  redisConnection,
  startQueueWorker,
} from './redis-queue.js';
export { checkCodegen, compileSelection } from './selection.js';
export { type ResultEntry, TransformService, type TransformServiceOptions } from './service.js';
export { JobStore, writeFileAtomic } from './store.js';
export * from './types.js';
