/**
 * The optimizer fed from a connector table: its schema and statistics, and — when the plan has filters to
 * order and the table more than one cluster — selectivities sampled over the first cluster.
 */
import type { ConnectorTable } from '../connectors/api.js';
import type { FunctionLookup } from '../exec/index.js';
import { columnsRead, type DecompressionRates, sampleFirstCluster } from './cost/index.js';
import { type LogicalPlan, planChain } from './ir/index.js';
import { type OptimizeResult, optimize } from './optimizer.js';

export interface TableOptimizeOptions {
  readonly functions?: FunctionLookup;
  readonly signal?: AbortSignal;
  /** Sample selectivities over the first cluster when filters need ordering (default true). */
  readonly sample?: boolean;
  /** Largest first cluster worth reading for a sample (default 50,000 events). */
  readonly maxSampleEvents?: number;
  readonly rules?: readonly string[];
  readonly rates?: DecompressionRates;
  readonly compression?: string | ((column: string) => string | undefined);
}

/**
 * The Wheres straight after the source (the only ones a sample of events can measure), as a plan counting
 * the events they keep; undefined when there are fewer than two (no order to choose).
 */
function leadingFilters(plan: LogicalPlan): LogicalPlan | undefined {
  const chain = planChain(plan).reverse();
  let p: LogicalPlan = chain[0]!;
  let n = 0;
  for (const s of chain.slice(1)) {
    if (s.kind !== 'where' && s.kind !== 'metadata') break;
    if (s.kind === 'where') {
      p = { ...s, input: p };
      n++;
    }
  }
  return n >= 2 ? { kind: 'reduce', op: 'Count', args: [], input: p } : undefined;
}

/**
 * Optimize `plan` for `table`. Reads nothing unless a sample pays: the plan (once optimized from estimates)
 * starts with two or more event filters, the table has several clusters, and the first holds at most
 * `maxSampleEvents`; then only those filters' columns of the first cluster are read.
 */
export async function optimizeForTable(
  plan: LogicalPlan,
  table: ConnectorTable,
  options: TableOptimizeOptions = {},
): Promise<OptimizeResult & { readonly sampledEvents: number }> {
  const statistics = table.statistics();
  const ctx = {
    schema: table.schema(),
    statistics,
    ...(options.functions ? { functions: options.functions } : {}),
    ...(options.rules ? { rules: options.rules } : {}),
    ...(options.rates ? { rates: options.rates } : {}),
    ...(options.compression ? { compression: options.compression } : {}),
  };
  const first = optimize(plan, ctx);
  const filters = leadingFilters(first.plan);
  const firstCluster = (statistics.clusters[1] ?? statistics.entries) - (statistics.clusters[0] ?? 0);
  const worth =
    options.sample !== false &&
    filters !== undefined &&
    statistics.clusters.length > 2 &&
    firstCluster <= (options.maxSampleEvents ?? 50_000);
  if (!worth) return { ...first, sampledEvents: 0 };
  // Only the filters' columns are read for the sample (the rest of the first cluster is read once, later).
  const { sampler, events } = await sampleFirstCluster(table, columnsRead(filters!, ctx), {
    ...(options.functions ? { functions: options.functions } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    maxEvents: firstCluster,
  });
  return { ...optimize(plan, { ...ctx, selectivity: sampler }), sampledEvents: events };
}
