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
}
/** A terminal histogram fill (`Hist` with one axis, `Hist2D` with two). */
export interface HistPlan extends Located {
  readonly kind: 'hist';
  readonly input: LogicalPlan;
  readonly axes: readonly HistAxis[];
  readonly weight?: LambdaExpr;
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
