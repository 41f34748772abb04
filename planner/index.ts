/** The planner's entry points: the optimizer (driver, rules, cost model) for the composition root. */

export {
  type CostInput,
  CostModel,
  type CostTerm,
  columnsRead,
  DEFAULT_RATES,
  type DecompressionRates,
  decompressionRates,
  type PlacementEstimate,
  registerCostTerm,
  type WorkEstimate,
} from './cost/index.js';
export { optimizeForTable, type TableOptimizeOptions } from './optimize-table.js';
export {
  describeRules,
  explainCost,
  explainTrace,
  type OptimizeContext,
  type OptimizeResult,
  optimize,
  RULES,
  type TraceEntry,
} from './optimizer.js';
