/**
 * Sinks: where a query's results end, one definition per kind — DuckDB's Sink/Combine/Finalize. The compiled
 * loop emits into the sink's local state (column writers, histogram bins, a reduction's accumulator) batch by
 * batch; a run over an entry range leaves a partial result; partials of consecutive ranges (worker threads,
 * cluster jobs) combine in entry order; finalize turns the last partial into what callers see. Every transport
 * (one thread, worker threads, a cluster, the GPU) goes through the same `combine` and `finalize`.
 */
import type { ReduceOp } from '../../planner/ir/index.js';
import { HepqError, type JsValue } from '../batch/index.js';
import type { QueryResult } from '../run-query.js';
import { combineHistogramSets, combineHistograms } from './combine.js';
import { finalizeHistogram } from './histogram.js';

/** The kinds of sink the physical plan names (planner/physical's `SinkKind`). */
export type SinkKind = 'rows' | 'selection' | 'histogram' | 'histograms' | 'value';

export type { ReduceOp };

export interface Sink {
  readonly kind: SinkKind;
  /** Partial results of consecutive entry ranges (in entry order) as one partial result. */
  combine(parts: readonly QueryResult[]): QueryResult;
  /** The result as callers see it (histogram sums rounded once, with their carried errors folded in). */
  finalize(part: QueryResult): QueryResult;
}

function partsOf<K extends QueryResult['kind']>(
  parts: readonly QueryResult[],
  kind: K,
): Array<Extract<QueryResult, { kind: K }>> {
  if (parts.length === 0) throw new HepqError('exec/internal', 'internal: no partial results to combine');
  return parts.map((p) => {
    if (p.kind !== kind)
      throw new HepqError('exec/internal', `internal: a ${p.kind} partial result in a ${kind} sink`);
    return p as Extract<QueryResult, { kind: K }>;
  });
}

/** Rows (and selections, which leave rows): batches concatenate in entry order. */
function rowsSink(kind: 'rows' | 'selection'): Sink {
  return {
    kind,
    combine(parts) {
      const ps = partsOf(parts, 'rows');
      return ps.length === 1 ? ps[0]! : { ...ps[0]!, batches: ps.flatMap((p) => p.batches) };
    },
    finalize: (part) => part,
  };
}

const histogramSink: Sink = {
  kind: 'histogram',
  combine(parts) {
    const ps = partsOf(parts, 'histogram');
    return {
      kind: 'histogram',
      histogram: ps.map((p) => p.histogram).reduce((a, b) => combineHistograms(a, b)),
    };
  },
  finalize(part) {
    const [p] = partsOf([part], 'histogram');
    return { kind: 'histogram', histogram: finalizeHistogram(p!.histogram) };
  },
};

const histogramSetSink: Sink = {
  kind: 'histograms',
  combine(parts) {
    return {
      kind: 'histograms',
      histograms: combineHistogramSets(partsOf(parts, 'histograms').map((p) => p.histograms)),
    };
  },
  finalize(part) {
    const [p] = partsOf([part], 'histograms');
    const s = p!.histograms;
    return { kind: 'histograms', histograms: { ...s, histograms: s.histograms.map(finalizeHistogram) } };
  },
};

function add(a: JsValue, b: JsValue): JsValue {
  if (typeof a === 'bigint' || typeof b === 'bigint')
    return BigInt(a as number | bigint) + BigInt(b as number | bigint);
  return (a as number) + (b as number);
}

/** The extreme of the morsels' values; a morsel with no rows left null (NaN from older workers): skipped. */
function extreme(values: readonly JsValue[], pick: (a: number, b: number) => boolean): JsValue {
  let best: JsValue = null;
  for (const v of values) {
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) continue;
    if (best === null || pick(Number(v), Number(best))) best = v;
  }
  return best;
}

/** A reduction to one value: counts and sums add, min/max take the extreme, Any/All or-/and-combine. */
function valueSink(op: ReduceOp): Sink {
  return {
    kind: 'value',
    combine(parts) {
      const ps = partsOf(parts, 'value');
      if (ps.length === 1) return ps[0]!;
      const values = ps.map((p) => p.value);
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
          throw new HepqError(
            'exec/internal',
            `internal: ${op} depends on the whole stream and is not combined across morsels`,
          );
      }
    },
    finalize: (part) => part,
  };
}

/** The sink of a kind (a value sink needs its reduction). */
export function sinkFor(kind: SinkKind, op: ReduceOp = 'Count'): Sink {
  switch (kind) {
    case 'rows':
    case 'selection':
      return rowsSink(kind);
    case 'histogram':
      return histogramSink;
    case 'histograms':
      return histogramSetSink;
    case 'value':
      return valueSink(op);
  }
}
