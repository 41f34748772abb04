/** Public surface of the ROOT reader's byte sources: local files, HTTP(S) range reads and memory. */
export {
  type ByteRange,
  type ByteSource,
  type ByteSourceOptions,
  type ByteSourceStats,
  DEFAULT_COALESCE_GAP,
} from './byte-source.js';
export { type CoalescedRead, planCoalescedReads } from './coalesce.js';
export { FileSource } from './file-source.js';
export { HttpSource, type HttpSourceOptions } from './http-source.js';
export { MemorySource } from './memory-source.js';
export { openByteSource } from './open-byte-source.js';
export { MAX_REDIRECTS, redirectAllowed, urlUnder } from './url-policy.js';
