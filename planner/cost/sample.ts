/**
 * Sampled selectivities: the fraction of a sample batch's events (e.g. the table's first cluster) a predicate
 * keeps, counted by the executor's own compiled loop. A predicate that does not apply to whole events (it
 * filters rows a Select made) or that fails on the sample gives undefined, and the estimate is used instead.
 */
import type { ConnectorTable } from '../../connectors/api.js';
import type { Batch } from '../../exec/batch/index.js';
import { compilePlan, type FunctionLookup } from '../../exec/index.js';
import { analyzePlan } from '../analyze/index.js';
import type { LambdaExpr, LogicalPlan } from '../ir/index.js';

export type SelectivitySampler = (pred: LambdaExpr) => number | undefined;

/** A sampler over batches of events already in memory (synchronous); each predicate is compiled once. */
export function selectivityFromBatches(
  batches: readonly Batch[],
  options: { functions?: FunctionLookup } = {},
): SelectivitySampler {
  const n = batches.reduce((a, b) => a + (b.selection ? b.selection.length : b.length), 0);
  const source: LogicalPlan = { kind: 'source', files: [] };
  return (pred) => {
    if (n === 0) return undefined;
    try {
      const plan: LogicalPlan = {
        kind: 'reduce',
        op: 'Count',
        args: [],
        input: { kind: 'where', predicate: pred, input: source },
      };
      const fns = options.functions ? { functions: options.functions } : {};
      const schema = batches[0]!.schema;
      const cp = compilePlan(analyzePlan(plan, schema, fns).plan, schema, fns);
      for (const b of batches) cp.run(b);
      return cp.state.count / n;
    } catch {
      return undefined;
    }
  };
}

/**
 * Read the first cluster of `table` (only `columns`) and return a sampler over it, with the number of
 * events sampled. The session calls this once per prepared query when the table has several clusters.
 */
export async function sampleFirstCluster(
  table: ConnectorTable,
  columns: readonly string[],
  options: { functions?: FunctionLookup; maxEvents?: number; signal?: AbortSignal } = {},
): Promise<{ sampler: SelectivitySampler; events: number }> {
  const stats = table.statistics();
  const stop = Math.min(stats.entries, stats.clusters[1] ?? stats.entries, options.maxEvents ?? 100_000);
  const batches: Batch[] = [];
  for await (const b of table.scan({
    columns,
    range: { start: 0, stop },
    ...(options.signal ? { signal: options.signal } : {}),
  }))
    batches.push(b);
  const events = batches.reduce((a, b) => a + (b.selection ? b.selection.length : b.length), 0);
  return { events, sampler: selectivityFromBatches(batches, options) };
}
