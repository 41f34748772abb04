/**
 * exec's `executePlan` for tests that build or parse plans themselves: the code generators take their types from
 * a bound plan, so the plan is analyzed (`analyzePlan`) first, as the Session and the optimizer do.
 */
import type { ConnectorTable } from '../../connectors/api.js';
import { type QueryResult, type RunOptions, executePlan as run } from '../../exec/index.js';
import { analyzePlan } from '../../planner/analyze/index.js';
import type { LogicalPlan } from '../../planner/ir/index.js';

export async function executePlan(
  plan: LogicalPlan,
  table: ConnectorTable,
  options: RunOptions = {},
): Promise<QueryResult> {
  const bound = analyzePlan(plan, table.schema(), {
    ...(options.source ? { source: options.source } : {}),
    ...(options.functions ? { functions: options.functions } : {}),
  }).plan;
  return run(bound, table, options);
}
