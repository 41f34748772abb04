/** The parsed form of a func_adl script before lowering: name bindings, a final expression, keyword arguments. */
import type { SourceSpan } from '../exec/batch/index.js';
import type { Expr } from '../planner/ir/index.js';

export interface Binding {
  readonly name: string;
  readonly value: Expr;
  readonly span: SourceSpan;
}

/** A parsed script: `name = expr` bindings, then the query (the last expression, or the name `query`). */
export interface Script {
  readonly source: string;
  readonly bindings: readonly Binding[];
  readonly result?: Expr;
}

/** Keyword arguments of call/method nodes, kept beside the IR nodes (func_adl operators take none but `Hist`). */
const KWARGS = new WeakMap<Expr, ReadonlyMap<string, Expr>>();

export function setKwargs(node: Expr, kwargs: ReadonlyMap<string, Expr>): void {
  if (kwargs.size > 0) KWARGS.set(node, kwargs);
}

export function kwargsOf(node: Expr): ReadonlyMap<string, Expr> {
  return KWARGS.get(node) ?? new Map();
}

/** The name the implicit dataset root gets when a query starts with `.Select(...)` or an unbound name. */
export const IMPLICIT_DATASET = 'EventDataset';

/** The span of the method name in `x.Name(...)`, for carets under an unknown operator. */
const NAME_SPANS = new WeakMap<Expr, SourceSpan>();

export function setNameSpan(node: Expr, span: SourceSpan): void {
  NAME_SPANS.set(node, span);
}

export function nameSpanOf(node: Expr): SourceSpan | undefined {
  return NAME_SPANS.get(node) ?? node.span;
}

/** Carry keyword arguments and the name span from `from` to a rewritten copy `to`. */
export function copySideData(from: Expr, to: Expr): Expr {
  if (from === to) return to;
  const kw = KWARGS.get(from);
  if (kw) KWARGS.set(to, kw);
  const ns = NAME_SPANS.get(from);
  if (ns) NAME_SPANS.set(to, ns);
  return to;
}
