/** The func_adl text front end: text → script → unbound LogicalPlan. */
import type { LogicalPlan } from '../planner/ir/index.js';
import { parseFuncAdlScript } from './func-adl-parser.js';
import { type LowerOptions, lowerScript } from './lower-func-adl.js';
import { checkPlanDepth } from './nesting.js';

/**
 * Parse func_adl text — a query such as `ds.Where(lambda e: e.nMuon >= 2).Select(lambda e: e.MET_pt)` or a
 * short script of bindings ending in the query — into an unbound plan whose nodes carry source spans.
 */
export function parseFuncAdl(text: string, options: LowerOptions = {}): LogicalPlan {
  const plan = lowerScript(parseFuncAdlScript(text), options);
  checkPlanDepth(plan, text);
  return plan;
}
