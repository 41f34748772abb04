/**
 * The cost model: per-event CPU work and selectivity of each stage (from `estimates.ts` or the session's
 * sampled selectivities), bytes to decompress (connector statistics × measured rates), and the seconds a
 * query takes on this thread, on worker threads, or on a registered engine (GPU, DuckDB) term.
 */
import type { TableStatistics } from '../../connectors/api.js';
import { HepqError, type Schema } from '../../exec/batch/index.js';
import type { FunctionLookup } from '../../exec/index.js';
import type { LambdaExpr, LogicalPlan } from '../ir/index.js';
import { histLambdas, planChain } from '../ir/index.js';
import { type Algorithm, algorithmOf, type DecompressionRates, decompressionRates } from './decompression.js';
import { ExprEstimator } from './estimates.js';

/** What the cost model is fed: the table's schema and statistics, and optional measurements. */
export interface CostInput {
  readonly schema: Schema;
  readonly statistics?: TableStatistics;
  /** Fraction of events passing a predicate, e.g. sampled over the first cluster; undefined = estimate. */
  readonly selectivity?: (pred: LambdaExpr) => number | undefined;
  /** Decompression MB/s per algorithm (default: calibrated once per process). */
  readonly rates?: DecompressionRates;
  /** The compression algorithm of the table or of each column (default: zlib where bytes shrink). */
  readonly compression?: string | ((column: string) => string | undefined);
  /** Cost terms for this query only (e.g. the GPU context's term for this table), beside the registered ones. */
  readonly terms?: readonly CostTerm[];
  /** Registered scalar functions (so plans calling UDFs compile when their columns are listed). */
  readonly functions?: FunctionLookup;
}

/** Seconds per CPU unit of `estimates.ts` (about one simple operation in a generated loop). */
export const SECONDS_PER_UNIT = 2e-9;
/** Start-up of a pool of worker threads (they start in parallel) and each morsel's dispatch. */
export const WORKER_STARTUP_S = 0.05;
export const MORSEL_OVERHEAD_S = 0.002;

/** The work a query does, as the placement estimate needs it. */
export interface WorkEstimate {
  readonly events: number;
  /** CPU units per input event (the plan's stages weighted by the fraction of events reaching them). */
  readonly unitsPerEvent: number;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
  /** Seconds to decompress those bytes on one core. */
  readonly decompressSeconds: number;
}

/** An extra execution target's estimate (GPU kernels, DuckDB): seconds, or undefined when it cannot run it. */
export interface CostTerm {
  readonly name: string;
  estimate(work: WorkEstimate, plan: LogicalPlan): { seconds: number; note?: string } | undefined;
}

const TERMS = new Map<string, CostTerm>();

/** Register a cost term for another target (exec/gpu, DuckDB). Refuses a second term of the same name. */
export function registerCostTerm(term: CostTerm): () => void {
  if (TERMS.has(term.name))
    throw new HepqError('planner/cost', `a cost term named ${term.name} is already registered`);
  TERMS.set(term.name, term);
  return () => TERMS.delete(term.name);
}

/** One candidate place to run a query and its estimated seconds. */
export interface PlacementEstimate {
  readonly target: string;
  readonly threads: number;
  readonly seconds: number;
  readonly note?: string;
}

export interface StageCost {
  readonly stage: LogicalPlan;
  /** Fraction of input events (or rows per event after SelectMany) reaching the stage. */
  readonly fraction: number;
  /** CPU units per evaluation of the stage's lambdas. */
  readonly units: number;
  /** Selectivity of a Where (how it was obtained in `source`). */
  readonly selectivity?: number;
  readonly source?: 'sampled' | 'estimated';
}

export class CostModel {
  readonly estimator: ExprEstimator;
  private readonly sampled = new Map<string, number | undefined>();

  constructor(readonly input: CostInput) {
    this.estimator = new ExprEstimator(input.schema, input.statistics);
  }

  /** CPU units of one evaluation of a lambda over an event (or a row). */
  lambdaCost(l: LambdaExpr): number {
    return this.estimator.lambdaCost(l);
  }

  /** The fraction of events a predicate keeps: the session's sample when it has one, else the estimate. */
  selectivity(l: LambdaExpr): { value: number; source: 'sampled' | 'estimated' } {
    const key = JSON.stringify(l, (k, v) => (k === 'span' ? undefined : v));
    if (!this.sampled.has(key)) {
      const s = this.input.selectivity?.(l);
      this.sampled.set(key, s !== undefined && Number.isFinite(s) ? Math.min(1, Math.max(0, s)) : undefined);
    }
    const s = this.sampled.get(key);
    return s !== undefined
      ? { value: s, source: 'sampled' }
      : { value: this.estimator.selectivity(l), source: 'estimated' };
  }

  /**
   * The order key of a filter in a conjunction: cost / (1 − selectivity). Evaluating filters in increasing
   * rank minimises expected work (cheap ones that reject much first).
   */
  rank(l: LambdaExpr): number {
    const s = this.selectivity(l).value;
    const c = Math.max(this.lambdaCost(l), 0.5);
    return s >= 1 ? Number.POSITIVE_INFINITY : c / (1 - s);
  }

  /** Per-stage costs from the source upward; events reaching a stage shrink by each Where's selectivity. */
  stages(plan: LogicalPlan): StageCost[] {
    const entries = this.input.statistics?.entries;
    let fraction = 1;
    const out: StageCost[] = [];
    for (const p of planChain(plan).reverse()) {
      switch (p.kind) {
        case 'source':
          break;
        case 'where': {
          const s = this.selectivity(p.predicate);
          out.push({
            stage: p,
            fraction,
            units: this.lambdaCost(p.predicate),
            selectivity: s.value,
            source: s.source,
          });
          fraction *= s.value;
          break;
        }
        case 'select':
          out.push({ stage: p, fraction, units: this.lambdaCost(p.selector) });
          break;
        case 'select-many':
          out.push({ stage: p, fraction, units: this.lambdaCost(p.selector) });
          fraction *= this.estimator.lambdaLength(p.selector);
          break;
        case 'order-by':
          out.push({ stage: p, fraction, units: this.lambdaCost(p.key) + 10 });
          break;
        case 'limit': {
          out.push({ stage: p, fraction, units: 1 });
          if (entries && p.take !== undefined) fraction = Math.min(fraction, (p.skip + p.take) / entries);
          break;
        }
        case 'metadata':
          break;
        case 'reduce':
          out.push({
            stage: p,
            fraction,
            units: 1 + p.args.reduce((a, x) => a + (x.kind === 'lambda' ? this.lambdaCost(x) : 0), 0),
          });
          break;
        case 'hist':
          out.push({
            stage: p,
            fraction,
            units: 2 + histLambdas(p).reduce((a, l) => a + this.lambdaCost(l), 0),
          });
          break;
      }
    }
    return out;
  }

  /** CPU units per input event of the whole plan. */
  planUnits(plan: LogicalPlan): number {
    return this.stages(plan).reduce((a, s) => a + s.fraction * s.units, 0);
  }

  /** The compression algorithm of a column (by the context, or none where bytes do not shrink). */
  algorithm(column: string, compressed: number, uncompressed: number): Algorithm {
    const c = this.input.compression;
    const named = algorithmOf(typeof c === 'function' ? c(column) : c);
    if (named) return named;
    return compressed >= uncompressed ? 'none' : 'zlib';
  }

  /** Decompression rates in use (the context's, else this process's calibration). */
  rates(): DecompressionRates {
    return this.input.rates ?? decompressionRates();
  }

  /** The work of reading `columns` and running `plan` over `events` (default: the whole table). */
  work(plan: LogicalPlan, columns: readonly string[], events?: number): WorkEstimate {
    const stats = this.input.statistics;
    const total = stats?.entries ?? 0;
    const n = events ?? total;
    const share = total ? n / total : 0;
    const rates = this.rates();
    let zip = 0;
    let raw = 0;
    let seconds = 0;
    const read = new Set(columns);
    for (const c of stats?.columns ?? []) {
      if (!read.has(c.name)) continue;
      zip += c.compressedBytes * share;
      raw += c.uncompressedBytes * share;
      seconds +=
        (c.uncompressedBytes * share) /
        1e6 /
        rates[this.algorithm(c.name, c.compressedBytes, c.uncompressedBytes)];
    }
    return {
      events: n,
      unitsPerEvent: this.planUnits(plan),
      compressedBytes: zip,
      uncompressedBytes: raw,
      decompressSeconds: seconds,
    };
  }

  /**
   * Seconds to run the work on `threads` threads over `morsels` independent pieces (1 thread: this one, no
   * start-up). Decompression and CPU split evenly over the threads that get a morsel.
   */
  estimateSeconds(work: WorkEstimate, threads: number, morsels = threads): number {
    const busy = work.decompressSeconds + work.events * work.unitsPerEvent * SECONDS_PER_UNIT;
    if (threads <= 1) return busy;
    const used = Math.max(1, Math.min(threads, morsels));
    return WORKER_STARTUP_S + (morsels * MORSEL_OVERHEAD_S) / used + busy / used;
  }

  /** Candidate placements, cheapest first: this thread, worker threads, and any registered cost term. */
  placements(
    plan: LogicalPlan,
    work: WorkEstimate,
    threads: number,
    morsels = threads * 4,
  ): PlacementEstimate[] {
    const out: PlacementEstimate[] = [{ target: 'cpu', threads: 1, seconds: this.estimateSeconds(work, 1) }];
    if (threads > 1)
      out.push({ target: 'threads', threads, seconds: this.estimateSeconds(work, threads, morsels) });
    for (const t of [...TERMS.values(), ...(this.input.terms ?? [])]) {
      const e = t.estimate(work, plan);
      if (e)
        out.push({ target: t.name, threads: 1, seconds: e.seconds, ...(e.note ? { note: e.note } : {}) });
    }
    return out.sort((a, b) => a.seconds - b.seconds);
  }
}
