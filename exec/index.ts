/** The executor: func_adl plans compiled to generated loops over batches, with stream and whole-result entry points. */

export { concatColumns, takeRows } from './batch/index.js';
export type { FunctionLookup } from './compile/compile-expr.js';
export {
  type CompiledPlan,
  type CompileOptions,
  compilePlan,
  type RowShape,
} from './compile/compile-plan.js';
export { type ColumnGroup, EventModel } from './event-model.js';
export { pushableFilters } from './pushdown.js';
export { batchRows, resultToJson } from './result-json.js';
export {
  executePlan,
  type QueryProfile,
  type QueryResult,
  type RunOptions,
  sinkKindOf,
  streamPlan,
} from './run-query.js';
export { combineHistogramSets, combineHistograms } from './sinks/combine.js';
export {
  finalizeHistogram,
  Histogram1D,
  Histogram2D,
  type HistogramResidual,
  type HistogramResult,
} from './sinks/histogram.js';
export {
  addHistograms,
  type HistogramSet,
  type LabelledHistogram,
  labelKey,
  mergeHistogramSets,
  rebinHistogram,
  scaleHistogram,
  selectHistograms,
} from './sinks/histogram-set.js';
export { type ReduceOp, type Sink, type SinkKind, sinkFor } from './sinks/sink.js';
