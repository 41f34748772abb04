/** The expression union of the logical IR: Python-lambda bodies of func_adl, with collection operators. */
import type { SourceSpan } from '../../exec/batch/index.js';
import type { CollectionOp } from './ops/definitions.js';
import type { QType } from './types.js';

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**';
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type UnaryOp = '-' | '+' | 'not';

/** The parameter of the lambda `xs.Contains(v)` and `v in xs` lower to: `xs.Any(lambda p: p == v)`. */
export const CONTAINS_PARAM = '__contains_item';

interface Located {
  readonly span?: SourceSpan;
  /**
   * The expression's type, bound by the analyzer (`analyzePlan`): a plain IR field, so a bound plan keeps its
   * types through JSON (worker threads, cluster processes). Absent on a plan not yet analyzed; a lambda node has
   * none (its body has). Read it through `typeOf`, which refuses an unbound node.
   */
  readonly type?: QType;
}

export interface LiteralExpr extends Located {
  readonly kind: 'literal';
  readonly value: number | boolean | string | null;
  /** True for integer literals written without a decimal point (`3` vs `3.0`). */
  readonly integer?: boolean;
  /**
   * A query parameter's value (or a fold of parameters): the generated code reads it at run time instead of
   * embedding it, so the same query bound to other values reuses the compiled loop. Planning uses the value.
   */
  readonly param?: true;
}
/** A lambda parameter or a name bound elsewhere (script binding, captured constant, global function). */
export interface NameExpr extends Located {
  readonly kind: 'name';
  readonly name: string;
}
export interface AttrExpr extends Located {
  readonly kind: 'attr';
  readonly target: Expr;
  readonly name: string;
}
/** A call of a free function (`abs`, `sqrt`, `Zip`, `DeltaR`, `np.cos` as `cos`). */
export interface CallExpr extends Located {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly Expr[];
}
/** A method call that is not a sequence operator (`e.Jets("AnalysisJets")`, `j.pt()`, `p.deltaR(q)`). */
export interface MethodExpr extends Located {
  readonly kind: 'method';
  readonly target: Expr;
  readonly name: string;
  readonly args: readonly Expr[];
}
/** A sequence operator applied to a collection-valued expression. */
export interface OpExpr extends Located {
  readonly kind: 'op';
  readonly op: CollectionOp;
  readonly source: Expr;
  readonly args: readonly Expr[];
}
export interface LambdaExpr extends Located {
  readonly kind: 'lambda';
  readonly params: readonly string[];
  readonly body: Expr;
}
export interface BinaryExpr extends Located {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
}
export interface CompareExpr extends Located {
  readonly kind: 'compare';
  readonly op: CompareOp;
  readonly left: Expr;
  readonly right: Expr;
}
export interface UnaryExpr extends Located {
  readonly kind: 'unary';
  readonly op: UnaryOp;
  readonly operand: Expr;
}
export interface BoolExpr extends Located {
  readonly kind: 'bool';
  readonly op: 'and' | 'or';
  readonly operands: readonly Expr[];
}
export interface ConditionalExpr extends Located {
  readonly kind: 'conditional';
  readonly test: Expr;
  readonly then: Expr;
  readonly otherwise: Expr;
}
export interface IndexExpr extends Located {
  readonly kind: 'index';
  readonly target: Expr;
  readonly index: Expr;
}
/** A dict result `{'pt': …, 'eta': …}`: a record with named fields. */
export interface DictExpr extends Located {
  readonly kind: 'dict';
  readonly keys: readonly string[];
  readonly values: readonly Expr[];
}
/** A tuple or list display `(a, b)` / `[a, b]`: a record with positional fields. */
export interface TupleExpr extends Located {
  readonly kind: 'tuple';
  readonly items: readonly Expr[];
}

export type Expr =
  | LiteralExpr
  | NameExpr
  | AttrExpr
  | CallExpr
  | MethodExpr
  | OpExpr
  | LambdaExpr
  | BinaryExpr
  | CompareExpr
  | UnaryExpr
  | BoolExpr
  | ConditionalExpr
  | IndexExpr
  | DictExpr
  | TupleExpr;
