/**
 * exec's `executePlan` (and the GPU's `runFusedPlan`) for tests that build or parse plans themselves: the code generators take their types from
 * a bound plan, so the plan is analyzed (`analyzePlan`) first, as the Session and the optimizer do.
 */
import type { ConnectorTable } from '../../connectors/api.js';
import type { Schema } from '../../exec/batch/index.js';
import { runFusedPlan as runFused } from '../../exec/gpu/fused/run-fused.js';
import {
  type FunctionLookup,
  type QueryResult,
  type RunOptions,
  executePlan as run,
} from '../../exec/index.js';
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

/** A plan bound to a schema (`analyzePlan`), for tests that hand plans to a code generator directly. */
export function bind(plan: LogicalPlan, schema: Schema, functions?: FunctionLookup): LogicalPlan {
  return analyzePlan(plan, schema, functions ? { functions } : {}).plan;
}

/** `runFusedPlan` of a plan bound first (the WGSL generator reads the bound types). */
export function runFusedPlan(
  plan: LogicalPlan,
  table: ConnectorTable,
  ...rest: RunFusedRest
): ReturnType<typeof runFused> {
  return runFused(bind(plan, table.schema()), table, ...rest);
}
type RunFusedRest = Parameters<typeof runFused> extends [unknown, unknown, ...infer R] ? R : never;
