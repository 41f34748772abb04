/** The query front ends: func_adl text, qastle and TypeScript lambdas, each producing an unbound LogicalPlan. */

export { parseFuncAdlScript } from './func-adl-parser.js';
export { type Constant, type LowerOptions, lowerQueryExpr, lowerScript } from './lower-func-adl.js';
export { parseFuncAdl, parseFuncAdlWithStage } from './parse-func-adl.js';
export { parseQastle, parseQastleWithStage } from './parse-qastle.js';
export {
  from,
  type Hist2DOptions,
  type HistOptions,
  QueryBuilder,
  type QueryLambda,
} from './query-builder.js';
export type { ConstantValue, StatsStage, StatsStageKind } from './stats-stage.js';
export { kwargsOf, type Script } from './syntax.js';
export { exprToQastle, planToQastle } from './to-qastle.js';
export { lambdaFromFunction } from './ts-lambda.js';

import type { LogicalPlan } from '../planner/ir/index.js';
import type { LowerOptions } from './lower-func-adl.js';
import { parseFuncAdlWithStage } from './parse-func-adl.js';
import { parseQastleWithStage } from './parse-qastle.js';
import type { StatsStage } from './stats-stage.js';

/** Parse query text: qastle when it starts with `(` and is an s-expression, func_adl text otherwise. */
export function parseQuery(text: string, options: LowerOptions = {}): LogicalPlan {
  return parseQueryWithStage(text, options).plan;
}

/** The same, with a statistics stage after the query (`.Fit(config)`, …) split off: the Session runs it. */
export function parseQueryWithStage(
  text: string,
  options: LowerOptions = {},
): { plan: LogicalPlan; stage?: StatsStage } {
  const t = text.trimStart();
  if (/^\(\s*[A-Za-z_]\w*\s/.test(t)) return parseQastleWithStage(text, options);
  return parseFuncAdlWithStage(text, options);
}
