/** Name binding and type checking of logical plans against a table schema. */

export { ExprAnalyzer, MAX_DEPTH } from './analyze-expr.js';
export { type AnalyzedPlan, type AnalyzeOptions, analyzePlan } from './analyze-plan.js';
export * from './types.js';
