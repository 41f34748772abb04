/**
 * hepq's library API: a Session for func_adl, qastle, TypeScript-lambda and SQL queries; the ROOT reader underneath;
 * HistFactory workspaces with fits, CLs and upper limits; writers of ROOT, Parquet and Arrow files.
 */

export {
  type Fileset,
  type FilesetDataset,
  loadFileset,
  type MetadataValue,
  parseFileset,
  UnionTable,
} from '../connectors/index.js';
export {
  alignedBoundaries,
  type InspectedBranch,
  type InspectedObject,
  type Inspection,
  inspectWithRNTuples,
  openRNTupleTable,
  openRoot,
  openRootOrRNTupleTable,
  openRootTable,
  type ReadOptions,
  RNTuple,
  RNTupleTable,
  RootHandle,
  RootTable,
  RootTree,
} from '../connectors/root/index.js';
export {
  type GenerateOptions,
  generateEvents,
  PROCESSES,
  SYNTHETIC_PROCESSES,
  SYNTHETIC_SCHEMAS,
  type SyntheticProcess,
  type SyntheticSchema,
} from '../connectors/synthetic/index.js';
export type { Batch, Column, DataType, Field, Schema } from '../exec/batch/index.js';
export { batchesFromArrow, batchToArrow, HepqError, valueAt } from '../exec/batch/index.js';
export type { SqlChunk, SqlResult, SqlStream } from '../exec/duckdb/index.js';
export type { HistogramResult, HistogramSet, LabelledHistogram, QueryResult } from '../exec/index.js';
export {
  addHistograms,
  mergeHistogramSets,
  rebinHistogram,
  resultToJson,
  scaleHistogram,
  selectHistograms,
} from '../exec/index.js';
export { from, planToQastle, type QueryBuilder } from '../query/index.js';
export type { BuilderConfig, HistogramEntry, WorkspaceSpec } from '../stats/index.js';
export {
  buildWorkspace,
  type FitResult,
  fitModel,
  HistFactoryModel,
  type HypotestResult,
  hypotest,
  loadWorkspace,
  type ModelData,
  type UpperLimitResult,
  upperLimit,
  upperLimitScan,
  Workspace,
} from '../stats/index.js';
export { ClusterClient } from './cluster/index.js';
export type { DatasetResult, FilesetResult } from './fileset-query.js';
export {
  fitHistograms,
  type HistogramFitOptions,
  type HistogramFitResult,
  histogramEntries,
} from './fit-histograms.js';
export { queryText, sqlRows } from './library-helpers.js';
export {
  type FileWriteSummary,
  type ParquetWriteOptions,
  type RootWriteOptions,
  type RootWriteSummary,
  writeArrow,
  writeParquet,
  writeRoot,
} from './output/index.js';
export {
  type PreparedQuery,
  type Progress,
  type QueryDevice,
  type QueryOptions,
  Session,
  type SessionOptions,
} from './session.js';
