/** The query front ends: func_adl text, qastle and TypeScript lambdas, each producing an unbound LogicalPlan. */

export { parseFuncAdlScript } from './func-adl-parser.js';
export { type Constant, type LowerOptions, lowerQueryExpr, lowerScript } from './lower-func-adl.js';
export { parseFuncAdl } from './parse-func-adl.js';
export { parseQastle } from './parse-qastle.js';
export {
  from,
  type Hist2DOptions,
  type HistOptions,
  QueryBuilder,
  type QueryLambda,
} from './query-builder.js';
export { kwargsOf, type Script } from './syntax.js';
export { exprToQastle, planToQastle } from './to-qastle.js';
export { lambdaFromFunction } from './ts-lambda.js';

import type { LogicalPlan } from '../planner/ir/index.js';
import type { LowerOptions } from './lower-func-adl.js';
import { parseFuncAdl } from './parse-func-adl.js';
import { parseQastle } from './parse-qastle.js';

/** Parse query text: qastle when it starts with `(` and is an s-expression, func_adl text otherwise. */
export function parseQuery(text: string, options: LowerOptions = {}): LogicalPlan {
  const t = text.trimStart();
  if (/^\(\s*[A-Za-z_]\w*\s/.test(t)) return parseQastle(text, options);
  return parseFuncAdl(text, options);
}
