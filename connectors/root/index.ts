/** The ROOT connector: TFile/TTree reading from local files and HTTP, as columns and Arrow tables. */

export { axisEdges, histogram, histogramBatch, profileBinError, readHistogram } from './histogram.js';
export { type ByteSourceOptions, MAX_REDIRECTS, redirectAllowed, urlUnder } from './io/index.js';
export {
  type InspectedBranch,
  type InspectedObject,
  type Inspection,
  openRoot,
  type ReadOptions,
  RootHandle,
} from './open-root.js';
export {
  type Anchor,
  type InspectedField,
  inspectWithRNTuples,
  openRNTupleTable,
  openRootOrRNTupleTable,
  RNTUPLE_CLASS,
  RNTuple,
  RNTupleTable,
  readAnchor,
  readableObjects,
  readObject,
  rntuplePaths,
} from './rntuple/index.js';
export { RootFile, TREE_CLASSES } from './root-file.js';
export {
  type RootHistogram,
  type RootHistogramAxis,
  type RootProfileData,
  readRootHistogram,
  toRootHistogram,
} from './root-histogram.js';
export { alignedBoundaries, openRootTable, RootTable } from './table.js';
export { type BranchInfo, type EntryRange, RootTree } from './tree-reader.js';
export {
  type HistogramToWrite,
  type HistogramWriteOptions,
  parseCompression,
  RootTreeWriter,
  type RootWriteOptions,
  type RootWriteSummary,
  writeHistograms,
  writeRoot,
} from './writer/index.js';
