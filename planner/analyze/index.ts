/** Name binding and type checking of logical plans against a table schema. */

// The query types (`QType`) live in the IR, which the code generators can import.
export {
  arithmeticType,
  depth,
  fromDataType,
  isBoolish,
  isNumeric,
  type QType,
  T,
  typeText,
  unify,
} from '../ir/index.js';
export { ExprAnalyzer, MAX_DEPTH } from './analyze-expr.js';
export { type AnalyzedPlan, type AnalyzeOptions, analyzePlan } from './analyze-plan.js';
