/** The ROOT TTree writer: batches → a ROOT file with NanoAOD-style or std::vector branches, any compression. */
export { type PlannedBranch, planBranches } from './branch-plan.js';
export {
  type Compression,
  type CompressionAlgorithm,
  compressRoot,
  compressSetting,
  parseCompression,
} from './compress.js';
export { RootTreeWriter, type RootWriteOptions, type RootWriteSummary, writeRoot } from './tree-writer.js';
export {
  type HistogramToWrite,
  type HistogramWriteOptions,
  histogramObject,
  writeHistograms,
} from './write-histograms.js';
