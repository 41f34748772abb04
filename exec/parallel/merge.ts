/**
 * Which queries split into independent entry ranges (morsels), and how their partial results combine: through
 * the query's sink (exec/sinks) — counts and sums add, min/max take the extreme, histograms add bin by bin
 * (compensated), rows concatenate in entry order.
 */

import { type LogicalPlan, planChain } from '../../planner/ir/index.js';
import { type QueryResult, type ReduceOp, type SinkKind, sinkFor } from '../index.js';

/** Undefined when the query can run as independent morsels, else the reason it cannot. */
export function whyNotPartitionable(plan: LogicalPlan): string | undefined {
  const chain = planChain(plan);
  for (const p of chain) {
    if (p.kind === 'order-by') return 'an event-level OrderBy needs the whole stream in one place';
    if (p.kind === 'limit') return 'an event-level Skip/Take depends on the events before it';
  }
  const t = chain[0]!;
  if (t.kind === 'reduce' && (t.op === 'First' || t.op === 'Last' || t.op === 'ElementAt'))
    return `${t.op} depends on the order of the whole stream`;
  return undefined;
}

/** The reduction a value query ends in (what its value sink combines by). */
export function reduceOpOf(plan: LogicalPlan): ReduceOp {
  const t = planChain(plan)[0]!;
  return t.kind === 'reduce' ? t.op : 'Count';
}

/**
 * Combine the partial results of consecutive morsels of one query (in entry order) and finalize them, through
 * the query's sink (exec/sinks): the one merge definition for worker threads, cluster jobs and the GPU.
 */
export function mergeResults(plan: LogicalPlan, parts: readonly QueryResult[]): QueryResult {
  const first = parts[0]!;
  const kind: SinkKind = first.kind === 'value' ? 'value' : first.kind;
  const sink = sinkFor(kind, reduceOpOf(plan));
  return sink.finalize(sink.combine(parts));
}

/**
 * Split [start, stop) into at most `count` morsels of whole clusters, as even as the cluster boundaries allow:
 * each cut is the cluster boundary nearest to its ideal position (start + k·(stop − start)/count).
 */
export function morsels(
  clusters: readonly number[],
  start: number,
  stop: number,
  count: number,
): Array<{ start: number; stop: number }> {
  const cuts = clusters.filter((c) => c > start && c < stop);
  const n = Math.max(1, Math.floor(count));
  const chosen: number[] = [];
  let j = 0;
  for (let k = 1; k < n && j < cuts.length; k++) {
    const ideal = start + (k * (stop - start)) / n;
    while (j + 1 < cuts.length && Math.abs(cuts[j + 1]! - ideal) <= Math.abs(cuts[j]! - ideal)) j++;
    if (chosen.length === 0 || cuts[j]! > chosen[chosen.length - 1]!) chosen.push(cuts[j]!);
  }
  const out: Array<{ start: number; stop: number }> = [];
  let lo = start;
  for (const c of [...chosen, stop]) {
    if (c > lo) out.push({ start: lo, stop: c });
    lo = c;
  }
  return out;
}
