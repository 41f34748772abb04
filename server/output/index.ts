/** File outputs of batch streams: ROOT (re-exported from the ROOT connector), Parquet and Arrow IPC. */
export { type RootWriteOptions, type RootWriteSummary, writeRoot } from '../../connectors/root/index.js';
export { widenUnsigned } from './columns.js';
export { generateEventsParallel, type ParallelGenerateOptions } from './parallel-generate.js';
export {
  type FileWriteOptions,
  type FileWriteSummary,
  type ParquetWriteOptions,
  writeArrow,
  writeParquet,
} from './write-files.js';
