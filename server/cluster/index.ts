/** Scale-out of queries: morsels as BullMQ jobs on Redis, run by `hepq worker` processes, merged by the Session. */
export { ClusterClient, type ClusterRunOptions } from './client.js';
export {
  decodeResult,
  encodeResult,
  type MorselJob,
  type MorselReply,
  QUERY_QUEUE,
  wireTasks,
} from './wire.js';
export { type ClusterWorkerHandle, type ClusterWorkerOptions, startClusterWorker } from './worker.js';
