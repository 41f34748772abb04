/** Public API of hepq's HistFactory statistics: workspaces, patchsets, the compiled model, fits, CLs and upper limits. */
import { Workspace } from './workspace.js';

export {
  type AsimovOptions,
  asimovData,
  asimovParameters,
} from './infer/asimov.js';
export {
  AsymptoticCalculator,
  type CalcTestStat,
  discovery,
  type HypotestResult,
  hypotest,
} from './infer/asymptotic-calculator.js';
export {
  type FitOptions,
  type FitResult,
  fitModel,
  nllHessian,
  type Uncertainties,
  uncertainties,
} from './infer/fit.js';
export {
  modelYields,
  type ParameterPull,
  type PostfitResult,
  parameterPulls,
  postfitYields,
  prefitYields,
  priorWidths,
  type RegionYields,
  type YieldRow,
  type YieldSummary,
} from './infer/postfit.js';
export { brentRoot } from './infer/root-find.js';
export {
  type FitSettings,
  TEST_STATS,
  type TestStatName,
  type TestStatResult,
  testStatistic,
} from './infer/test-statistics.js';
export {
  interpolateCrossing,
  linspace,
  type ScanResult,
  type UpperLimitOptions,
  type UpperLimitResult,
  upperLimit,
  upperLimitScan,
  upperLimitScanJobs,
} from './infer/upper-limit.js';
export {
  erfc,
  lgamma,
  logErfc,
  normalCdf,
  normalLogCdf,
  normalLogpdf,
  normalQuantile,
  poissonLogpdf,
} from './math/special.js';
export { compileModel, type ModelOptions } from './model/compile-model.js';
export {
  type ChannelLayout,
  HistFactoryModel,
  type ModelData,
  type ParamSet,
} from './model/histfactory-model.js';
export {
  code4Coefficients,
  type InterpCode,
  interpDelta,
  interpFactor,
  parseInterpCode,
} from './model/interpolation.js';
export {
  type MinimizeOptions,
  type MinimizeProblem,
  type MinimizeResult,
  minimizeBounded,
} from './optimize/minimize-bounded.js';
export { Patchset } from './patchset.js';
export type * from './spec/types.js';
export { jsonPathOf, validateJsonPatch, validatePatchset, validateWorkspace } from './spec/validate.js';
export { readJsonFile, Workspace, type WorkspaceModelOptions } from './workspace.js';
export {
  combineWorkspaces,
  type PruneOptions,
  pruneWorkspace,
  type RenameOptions,
  renameWorkspace,
} from './workspace-ops.js';

/** Reads, validates and wraps a workspace JSON file. */
export function loadWorkspace(path: string): Workspace {
  return Workspace.fromFile(path);
}
export {
  type BuildResult,
  buildWorkspace,
  buildWorkspaceWithReport,
} from './builder/build-workspace.js';
export type {
  BinnedHistogram,
  BuilderConfig,
  HistogramEntry,
  HistogramRow,
  HistosysConfig,
  NormsysConfig,
  PrunedModifier,
  PruningConfig,
  SampleConfig,
  ShapesysConfig,
  Symmetrize,
  SystematicConfig,
} from './builder/config.js';
export { type BuilderInput, histogramRowsFromBatch } from './builder/histogram-store.js';
export {
  hypotestPatchset,
  type JobsRunner,
  type PatchHypotest,
  type PatchsetHypotestOptions,
} from './infer/hypotest-patchset.js';
export { type ImpactRow, type RankingResult, ranking } from './infer/ranking.js';
export {
  histfactoryFit,
  hypotestFunction,
  registerStatsFunctions,
  type StatsFunctionArgs,
  upperLimitFunction,
} from './table-functions.js';
export { Rng } from './toys/random.js';
export { hypotestToys, type ToyHypotestResult, type ToyOptions } from './toys/toy-calculator.js';
export { jobRunner, type StatsJob, type WorkerInit } from './workers/run-job.js';
export {
  type HistogramReader,
  type HistogramValues,
  type ImportXmlOptions,
  importHistFactoryXml,
} from './xml/import-xml.js';
