/**
 * Which queries split into independent entry ranges (morsels), and how the morsels' results combine:
 * counts and sums add, min/max take the extreme, histograms add bin by bin, rows concatenate in entry order.
 */

import { type LogicalPlan, planChain } from '../../planner/ir/index.js';
import type { JsValue } from '../batch/index.js';
import type { QueryResult } from '../index.js';
import { mergeHistogramSets } from '../index.js';

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

function add(a: JsValue, b: JsValue): JsValue {
  if (typeof a === 'bigint' || typeof b === 'bigint')
    return BigInt(a as number | bigint) + BigInt(b as number | bigint);
  return (a as number) + (b as number);
}

function extreme(values: readonly JsValue[], pick: (a: number, b: number) => boolean): JsValue {
  let best: JsValue = Number.NaN;
  for (const v of values) {
    if (typeof v === 'number' && Number.isNaN(v)) continue; // an empty morsel
    if (typeof best === 'number' && Number.isNaN(best)) best = v;
    else if (pick(Number(v), Number(best))) best = v;
  }
  return best;
}

/** Combine the results of consecutive morsels of one query (in entry order). */
export function mergeResults(plan: LogicalPlan, parts: readonly QueryResult[]): QueryResult {
  const first = parts[0]!;
  if (parts.length === 1) return first;
  if (first.kind === 'rows') {
    const batches = parts.flatMap((p) => (p.kind === 'rows' ? p.batches : []));
    return { ...first, batches };
  }
  if (first.kind === 'histogram') {
    const h = first.histogram;
    const counts = [...h.counts];
    const sumw2 = [...h.sumw2];
    let underflow = h.underflow;
    let overflow = h.overflow;
    for (const p of parts.slice(1)) {
      if (p.kind !== 'histogram') throw new Error('internal: mixed morsel results');
      p.histogram.counts.forEach((c, i) => {
        counts[i]! += c;
      });
      p.histogram.sumw2.forEach((c, i) => {
        sumw2[i]! += c;
      });
      underflow += p.histogram.underflow;
      overflow += p.histogram.overflow;
    }
    return { kind: 'histogram', histogram: { ...h, counts, sumw2, underflow, overflow } };
  }
  if (first.kind === 'histograms')
    return {
      kind: 'histograms',
      histograms: mergeHistogramSets(
        parts.map((p) => {
          if (p.kind !== 'histograms') throw new Error('internal: mixed morsel results');
          return p.histograms;
        }),
      ),
    };
  const values = parts.map((p) => (p.kind === 'value' ? p.value : null));
  const t = planChain(plan)[0]!;
  const op = t.kind === 'reduce' ? t.op : 'Count';
  switch (op) {
    case 'Count':
    case 'Sum':
      return { kind: 'value', value: values.reduce(add) };
    case 'Min':
      return { kind: 'value', value: extreme(values, (a, b) => a < b) };
    case 'Max':
      return { kind: 'value', value: extreme(values, (a, b) => a > b) };
    case 'Any':
      return { kind: 'value', value: values.some((v) => v === true) };
    case 'All':
      return { kind: 'value', value: values.every((v) => v === true) };
    default:
      throw new Error(`internal: ${op} is not merged across morsels`);
  }
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
