/** The logical plan union: a func_adl query as a chain of event-level operators over a dataset source. */
import type { SourceSpan } from '../../exec/batch/index.js';
import type { DictExpr, Expr, LambdaExpr } from './expr.js';

interface Located {
  readonly span?: SourceSpan;
}

/** The dataset the query starts from; files and tree may be empty when given separately. */
export interface SourcePlan extends Located {
  readonly kind: 'source';
  readonly files: readonly string[];
  readonly tree?: string;
}
export interface SelectPlan extends Located {
  readonly kind: 'select';
  readonly input: LogicalPlan;
  readonly selector: LambdaExpr;
}
/** Flattens the collection each event's selector returns into the outer stream. */
export interface SelectManyPlan extends Located {
  readonly kind: 'select-many';
  readonly input: LogicalPlan;
  readonly selector: LambdaExpr;
}
export interface WherePlan extends Located {
  readonly kind: 'where';
  readonly input: LogicalPlan;
  readonly predicate: LambdaExpr;
}
/** `MetaData({...})`: accepted and recorded; it does not change the rows. */
export interface MetaDataPlan extends Located {
  readonly kind: 'metadata';
  readonly input: LogicalPlan;
  readonly data: Expr;
}
/** `Take(n)` / `Skip(n)` at the event level. */
export interface LimitPlan extends Located {
  readonly kind: 'limit';
  readonly input: LogicalPlan;
  readonly skip: number;
  readonly take?: number;
}
export interface OrderByPlan extends Located {
  readonly kind: 'order-by';
  readonly input: LogicalPlan;
  readonly key: LambdaExpr;
  readonly descending: boolean;
}
export type ReduceOp = 'Count' | 'Sum' | 'Min' | 'Max' | 'Any' | 'All' | 'First' | 'Last' | 'ElementAt';
/** A terminal aggregate over the whole stream (a bare scalar result). */
export interface ReducePlan extends Located {
  readonly kind: 'reduce';
  readonly input: LogicalPlan;
  readonly op: ReduceOp;
  readonly args: readonly Expr[];
}
/** The most bins a histogram may have (all axes together): 10^7 bins are 160 MB of counts and squared weights. */
export const MAX_HIST_BINS = 10_000_000;

export interface HistAxis {
  readonly value: LambdaExpr;
  readonly bins: number;
  readonly lo: number;
  readonly hi: number;
  /** Variable binning: `bins + 1` increasing edges (then `lo`/`hi` are the first and last). */
  readonly edges?: readonly number[];
}
/** A lambda with a label: one weight of several, one systematic variation, one category of an axis. */
export interface NamedLambda {
  readonly name: string;
  readonly fn: LambdaExpr;
}
/** A category axis (hist's `StrCategory`): an event fills every label whose predicate holds. */
export interface HistCategory {
  readonly name: string;
  readonly labels: readonly NamedLambda[];
}
/**
 * A terminal histogram fill (`Hist` with one axis, `Hist2D` with two). With `categories`, `weights` or
 * `variations` it fills one histogram per combination in the same pass: category labels (an event goes
 * into each label whose predicate holds), then a `variation` axis made of the weights (each a fill of the
 * nominal row) and the object-level variations (each a fill of the row with some fields replaced, weighted
 * by the first weight).
 */
export interface HistPlan extends Located {
  readonly kind: 'hist';
  readonly input: LogicalPlan;
  readonly axes: readonly HistAxis[];
  readonly weight?: LambdaExpr;
  readonly categories?: readonly HistCategory[];
  /** Several weights per fill; the first is the nominal one. */
  readonly weights?: readonly NamedLambda[];
  /** Object-level variations: each lambda returns a dict of the row's fields it replaces. */
  readonly variations?: readonly NamedLambda[];
}

/** Whether a histogram fills several (categorised) histograms in one pass. */
export function isCategorised(p: HistPlan): boolean {
  return !!(p.categories?.length || p.weights?.length || p.variations?.length);
}

/** Every lambda of a histogram plan node (axes, weights, category predicates, variations). */
export function histLambdas(p: HistPlan): LambdaExpr[] {
  return [
    ...p.axes.map((a) => a.value),
    ...(p.weight ? [p.weight] : []),
    ...(p.categories ?? []).flatMap((c) => c.labels.map((l) => l.fn)),
    ...(p.weights ?? []).map((w) => w.fn),
    ...(p.variations ?? []).map((v) => v.fn),
  ];
}

export type LogicalPlan =
  | SourcePlan
  | SelectPlan
  | SelectManyPlan
  | WherePlan
  | MetaDataPlan
  | LimitPlan
  | OrderByPlan
  | ReducePlan
  | HistPlan;

export type { DictExpr };
