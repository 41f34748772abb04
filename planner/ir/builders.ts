/** Small constructors for IR nodes, used by the front ends and by tests. */
import type { SourceSpan } from '../../exec/batch/index.js';
import type { BinaryOp, CompareOp, Expr, LambdaExpr } from './expr.js';
import type { CollectionOp } from './ops/definitions.js';
import type { HistAxis, HistPlan, LogicalPlan, ReduceOp } from './plan.js';

const at = (span?: SourceSpan) => (span ? { span } : {});

export const ex = {
  lit: (value: number | boolean | string | null, span?: SourceSpan, integer?: boolean): Expr => ({
    kind: 'literal',
    value,
    ...(integer ? { integer } : {}),
    ...at(span),
  }),
  name: (name: string, span?: SourceSpan): Expr => ({ kind: 'name', name, ...at(span) }),
  attr: (target: Expr, name: string, span?: SourceSpan): Expr => ({
    kind: 'attr',
    target,
    name,
    ...at(span),
  }),
  call: (name: string, args: readonly Expr[], span?: SourceSpan): Expr => ({
    kind: 'call',
    name,
    args,
    ...at(span),
  }),
  method: (target: Expr, name: string, args: readonly Expr[], span?: SourceSpan): Expr => ({
    kind: 'method',
    target,
    name,
    args,
    ...at(span),
  }),
  op: (op: CollectionOp, source: Expr, args: readonly Expr[], span?: SourceSpan): Expr => ({
    kind: 'op',
    op,
    source,
    args,
    ...at(span),
  }),
  lambda: (params: readonly string[], body: Expr, span?: SourceSpan): LambdaExpr => ({
    kind: 'lambda',
    params,
    body,
    ...at(span),
  }),
  binary: (op: BinaryOp, left: Expr, right: Expr, span?: SourceSpan): Expr => ({
    kind: 'binary',
    op,
    left,
    right,
    ...at(span),
  }),
  compare: (op: CompareOp, left: Expr, right: Expr, span?: SourceSpan): Expr => ({
    kind: 'compare',
    op,
    left,
    right,
    ...at(span),
  }),
  unary: (op: '-' | '+' | 'not', operand: Expr, span?: SourceSpan): Expr => ({
    kind: 'unary',
    op,
    operand,
    ...at(span),
  }),
  bool: (op: 'and' | 'or', operands: readonly Expr[], span?: SourceSpan): Expr => ({
    kind: 'bool',
    op,
    operands,
    ...at(span),
  }),
  cond: (test: Expr, then: Expr, otherwise: Expr, span?: SourceSpan): Expr => ({
    kind: 'conditional',
    test,
    then,
    otherwise,
    ...at(span),
  }),
  index: (target: Expr, index: Expr, span?: SourceSpan): Expr => ({
    kind: 'index',
    target,
    index,
    ...at(span),
  }),
  dict: (keys: readonly string[], values: readonly Expr[], span?: SourceSpan): Expr => ({
    kind: 'dict',
    keys,
    values,
    ...at(span),
  }),
  tuple: (items: readonly Expr[], span?: SourceSpan): Expr => ({ kind: 'tuple', items, ...at(span) }),
};

export const plan = {
  source: (files: readonly string[] = [], tree?: string, span?: SourceSpan): LogicalPlan => ({
    kind: 'source',
    files,
    ...(tree !== undefined ? { tree } : {}),
    ...at(span),
  }),
  select: (input: LogicalPlan, selector: LambdaExpr, span?: SourceSpan): LogicalPlan => ({
    kind: 'select',
    input,
    selector,
    ...at(span),
  }),
  selectMany: (input: LogicalPlan, selector: LambdaExpr, span?: SourceSpan): LogicalPlan => ({
    kind: 'select-many',
    input,
    selector,
    ...at(span),
  }),
  where: (input: LogicalPlan, predicate: LambdaExpr, span?: SourceSpan): LogicalPlan => ({
    kind: 'where',
    input,
    predicate,
    ...at(span),
  }),
  metadata: (input: LogicalPlan, data: Expr, span?: SourceSpan): LogicalPlan => ({
    kind: 'metadata',
    input,
    data,
    ...at(span),
  }),
  limit: (input: LogicalPlan, skip: number, take?: number, span?: SourceSpan): LogicalPlan => ({
    kind: 'limit',
    input,
    skip,
    ...(take !== undefined ? { take } : {}),
    ...at(span),
  }),
  orderBy: (input: LogicalPlan, key: LambdaExpr, descending: boolean, span?: SourceSpan): LogicalPlan => ({
    kind: 'order-by',
    input,
    key,
    descending,
    ...at(span),
  }),
  reduce: (input: LogicalPlan, op: ReduceOp, args: readonly Expr[] = [], span?: SourceSpan): LogicalPlan => ({
    kind: 'reduce',
    input,
    op,
    args,
    ...at(span),
  }),
  hist: (
    input: LogicalPlan,
    axes: readonly HistAxis[],
    weight?: LambdaExpr,
    span?: SourceSpan,
    more: Pick<HistPlan, 'categories' | 'weights' | 'variations'> = {},
  ): LogicalPlan => ({
    kind: 'hist',
    input,
    axes,
    ...(weight ? { weight } : {}),
    ...(more.categories?.length ? { categories: more.categories } : {}),
    ...(more.weights?.length ? { weights: more.weights } : {}),
    ...(more.variations?.length ? { variations: more.variations } : {}),
    ...at(span),
  }),
};
