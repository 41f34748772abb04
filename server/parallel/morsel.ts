/**
 * One morsel of a query: an entry range of the prepared plan over the same files, run by a Session of its own —
 * on a worker thread (query-worker.ts) or on a cluster worker process (server/cluster). A morsel's result is
 * its sink's partial (a histogram's sums with their rounding errors apart), combined and finalized by the caller's sink
 * in morsel order (exec/sinks).
 */
import type { ScanFilter } from '../../connectors/api.js';
import { executePlan, type QueryResult, type SinkKind } from '../../exec/index.js';
import { analyzePlan } from '../../planner/analyze/index.js';
import type { LogicalPlan } from '../../planner/ir/index.js';
import type { Session } from '../session.js';

export interface MorselTask {
  /** The query text (for error carets) and its plan as prepared (optimized, bound) by the session that split it. */
  readonly text: string;
  readonly plan: LogicalPlan;
  /**
   * The plan travels without its types (`unbindPlan`; the cluster's JSON, where a bound plan's repeated record
   * types are 3–5× the bytes): the morsel binds it against its table's schema, which gives the same types.
   */
  readonly unbound?: true;
  readonly files: readonly string[];
  readonly tree?: string;
  readonly range: { readonly start: number; readonly stop: number };
  /** The scan filters of the physical plan the session placed. */
  readonly filters?: readonly ScanFilter[];
  readonly batchSize?: number;
  /** The sink the physical plan named: the morsel returns its partial result for that sink to combine. */
  readonly sink?: SinkKind;
  /** The splitting session's redirect policy for http(s) inputs (see `SessionOptions.redirectPrefixes`). */
  readonly redirectPrefixes?: readonly string[];
}

/** Run one morsel in `session` (its tables stay open: a worker usually gets many morsels of the same files). */
export async function runMorselTask(session: Session, task: MorselTask): Promise<QueryResult> {
  const table = await session.table(task.files, task.tree, task.redirectPrefixes);
  const plan = task.unbound
    ? analyzePlan(task.plan, table.schema(), { source: task.text, functions: session.functions }).plan
    : task.plan;
  return executePlan(plan, table, {
    source: task.text,
    functions: session.functions,
    range: task.range,
    ...(task.filters ? { filters: task.filters } : {}),
    ...(task.batchSize ? { batchSize: task.batchSize } : {}),
    ...(task.sink ? { sink: task.sink } : {}),
    partial: true,
  });
}
