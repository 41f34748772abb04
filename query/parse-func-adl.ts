/** The func_adl text front end: text → script → unbound LogicalPlan. */
import type { LogicalPlan } from '../planner/ir/index.js';
import { parseFuncAdlScript } from './func-adl-parser.js';
import { type LowerOptions, lowerScript } from './lower-func-adl.js';
import { checkPlanDepth } from './nesting.js';
import { type StatsStage, splitStatsStage } from './stats-stage.js';

/**
 * Parse func_adl text — a query such as `ds.Where(lambda e: e.nMuon >= 2).Select(lambda e: e.MET_pt)` or a
 * short script of bindings ending in the query — into an unbound plan whose nodes carry source spans.
 */
export function parseFuncAdl(text: string, options: LowerOptions = {}): LogicalPlan {
  return parseFuncAdlWithStage(text, options).plan;
}

/** The same, with a statistics stage (`.Fit(config)`, …) after the query split off (see stats-stage.ts). */
export function parseFuncAdlWithStage(
  text: string,
  options: LowerOptions = {},
): { plan: LogicalPlan; stage?: StatsStage } {
  const script = parseFuncAdlScript(text);
  const bound = (name: string) => script.bindings.findLast((b) => b.name === name)?.value;
  const result = script.result ?? bound('query') ?? script.bindings.at(-1)?.value;
  const stage = result ? splitStatsStage(result, text, bound) : undefined;
  const plan = lowerScript(stage?.stage ? { ...script, result: stage.query } : script, options);
  checkPlanDepth(plan, text);
  return stage?.stage ? { plan, stage: stage.stage } : { plan };
}
