/**
 * The func_adl sequence operators, each defined once: what it takes, its type rule, whether it can fail, and
 * how its cost grows. The `CollectionOp` union is the key set of `OP_DEFS`, so an operator added here does not
 * compile until the analyzer (a `TypeRule`), the cost model (a `CostRule`) and every backend
 * (`Record<CollectionOp, Emitter | Unsupported>` in exec/compile and exec/gpu/fused) have an entry for it.
 */

/**
 * What an operator takes after its source, in order:
 * - `lambda`: a one-parameter function of an item (`lambda j: j.pt`);
 * - `count`: an integer from 0 (how many items);
 * - `int`: an integer (an index);
 * - `size`: a positive integer constant (the size of a combination);
 * - `collection`: another collection;
 * - `value`: a number (the initial value of an accumulator);
 * - `fold`: a two-parameter function of the accumulator and an item (`lambda acc, j: acc + j.pt`).
 */
export type ArgKind = 'lambda' | 'count' | 'int' | 'size' | 'collection' | 'value' | 'fold';

/**
 * How the result type follows from the source's (the analyzer implements each, `planner/analyze/analyze-ops.ts`):
 * `map` a collection of the lambda's results; `flatMap` the lambda's collection; `filter` the source (the lambda
 * is a predicate); `order` the source (the lambda is a numeric key); `slice` the source (an integer count);
 * `quantifier` a bool (the lambda is a predicate); `count` an integer; `sum` the items' sum type (numbers or
 * four-vectors); `extremum` the item (numbers); `item` the item; `element` the item at an integer index;
 * `combinations` a collection of k-item collections; `concat` both collections' common type; `zip` a collection
 * of records from a record of collections; `range` a collection of integers from one or two bounds; `p4` a
 * four-vector from a record; `p4s` a collection of four-vectors; `fold` the accumulator's number type.
 */
export type TypeRule =
  | 'map'
  | 'flatMap'
  | 'filter'
  | 'order'
  | 'slice'
  | 'quantifier'
  | 'count'
  | 'sum'
  | 'extremum'
  | 'item'
  | 'element'
  | 'combinations'
  | 'concat'
  | 'zip'
  | 'range'
  | 'p4'
  | 'p4s'
  | 'fold';

/**
 * How the per-event cost grows with the source's length n (the cost model implements each,
 * `planner/cost/estimates.ts`): `constant` one step; `scan` n × (1 + lambda); `filter` a scan keeping a
 * fraction; `map` a scan keeping n items; `flatMap` a scan yielding several items each; `sort` n log n;
 * `combinations` E[C(n, k)] × k; `concat` both lengths; `view` an O(1) view (Take, Skip, Zip, Range); `pick` one
 * item (First, ElementAt); `p4` a four-vector built; `p4s` four-vectors built for n items.
 */
export type CostRule =
  | 'constant'
  | 'scan'
  | 'filter'
  | 'map'
  | 'flatMap'
  | 'sort'
  | 'combinations'
  | 'concat'
  | 'view'
  | 'pick'
  | 'p4'
  | 'p4s';

export interface OpDef {
  /** The arguments after the source, in order. */
  readonly args: readonly ArgKind[];
  /** How many trailing `args` may be left out. */
  readonly optional?: number;
  readonly type: TypeRule;
  /** False when evaluating it can raise an error (First of an empty collection, an index out of range). */
  readonly total: boolean;
  /** The result holds whole items of the source, in a subset or another order (a Choose combination stays one). */
  readonly keepsItems?: boolean;
  /** One result item per source item, when the lambda (if any) cannot fail: `Count()` of it is the source's. */
  readonly sameLength?: boolean;
  readonly cost: CostRule;
  /** One line for docs and completion. */
  readonly doc: string;
}

export const OP_DEFS = {
  Select: {
    args: ['lambda'],
    type: 'map',
    total: true,
    sameLength: true,
    cost: 'map',
    doc: 'each item mapped by the lambda',
  },
  SelectMany: {
    args: ['lambda'],
    type: 'flatMap',
    total: true,
    cost: 'flatMap',
    doc: 'the concatenation of the lambda’s collections',
  },
  Where: {
    args: ['lambda'],
    type: 'filter',
    total: true,
    keepsItems: true,
    cost: 'filter',
    doc: 'the items the predicate accepts',
  },
  Count: { args: [], type: 'count', total: true, cost: 'constant', doc: 'the number of items' },
  // First and Last of an empty collection are None on the CPU and in the fused GPU kernel alike, so they no
  // longer fail at run time; they are still marked partial (no rule moves them out from under a guard), as the
  // planner's rule tests expect. Marking them total would free those rules; it is a decision of its own.
  First: { args: [], type: 'item', total: false, cost: 'pick', doc: 'the first item (None when empty)' },
  FirstOrDefault: {
    args: [],
    type: 'item',
    total: true,
    cost: 'pick',
    doc: 'the first item, or None when empty',
  },
  Last: { args: [], type: 'item', total: false, cost: 'pick', doc: 'the last item (None when empty)' },
  Sum: {
    args: [],
    type: 'sum',
    total: true,
    cost: 'scan',
    doc: 'the sum of numbers or four-vectors (0 when empty)',
  },
  Min: {
    args: [],
    type: 'extremum',
    total: true,
    cost: 'scan',
    doc: 'the smallest number (None when empty)',
  },
  Max: { args: [], type: 'extremum', total: true, cost: 'scan', doc: 'the largest number (None when empty)' },
  Any: { args: ['lambda'], type: 'quantifier', total: true, cost: 'scan', doc: 'whether some item passes' },
  All: { args: ['lambda'], type: 'quantifier', total: true, cost: 'scan', doc: 'whether every item passes' },
  Take: {
    args: ['count'],
    type: 'slice',
    total: true,
    keepsItems: true,
    cost: 'view',
    doc: 'the first n items',
  },
  Skip: {
    args: ['count'],
    type: 'slice',
    total: true,
    keepsItems: true,
    cost: 'view',
    doc: 'all but the first n',
  },
  OrderBy: {
    args: ['lambda'],
    type: 'order',
    total: true,
    keepsItems: true,
    sameLength: true,
    cost: 'sort',
    doc: 'the items by ascending key',
  },
  OrderByDescending: {
    args: ['lambda'],
    type: 'order',
    total: true,
    keepsItems: true,
    sameLength: true,
    cost: 'sort',
    doc: 'the items by descending key',
  },
  Zip: {
    args: [],
    type: 'zip',
    total: true,
    cost: 'view',
    doc: 'a record of collections as a collection of records',
  },
  Choose: {
    args: ['size'],
    type: 'combinations',
    total: true,
    cost: 'combinations',
    doc: 'every k-combination of the items, in index order',
  },
  Concat: { args: ['collection'], type: 'concat', total: true, cost: 'concat', doc: 'the items of both' },
  ElementAt: {
    args: ['int'],
    type: 'element',
    total: false,
    cost: 'pick',
    doc: 'the item at an index (an error when out of range)',
  },
  Range: { args: [], type: 'range', total: true, cost: 'view', doc: 'the integers from lo (0) up to hi' },
  ToFourMomentum: {
    args: [],
    type: 'p4',
    total: true,
    cost: 'p4',
    doc: 'a record (pt, eta, phi, mass) as a four-vector',
  },
  ToFourMomenta: {
    args: [],
    type: 'p4s',
    total: true,
    sameLength: true,
    cost: 'p4s',
    doc: 'each record as a four-vector',
  },
  Aggregate: {
    args: ['value', 'fold'],
    type: 'fold',
    total: true,
    cost: 'scan',
    doc: 'the accumulator after acc = f(acc, item) for each item, from the seed (the seed when empty)',
  },
} as const satisfies Record<string, OpDef>;

/** The func_adl sequence operators (inside lambdas as `op` expressions, and at the event level as plan nodes). */
export type CollectionOp = keyof typeof OP_DEFS;

/** The operators, in definition order. */
export const COLLECTION_OPS = Object.keys(OP_DEFS) as readonly CollectionOp[];

const OP_SET: ReadonlySet<string> = new Set(COLLECTION_OPS);
export function isCollectionOp(name: string): name is CollectionOp {
  return OP_SET.has(name);
}

/** The definition of an operator. */
export function opDef(op: CollectionOp): OpDef {
  return OP_DEFS[op];
}

/** Operators whose first argument is a one-parameter lambda (the front end checks it is one). */
export function takesLambda(op: CollectionOp): boolean {
  return (OP_DEFS[op] as OpDef).args[0] === 'lambda';
}

/** A backend's verdict on an operator it does not implement: the reason, shown when a query needs it. */
export interface Unsupported {
  readonly unsupported: string;
}
export const unsupportedOp = (reason: string): Unsupported => ({ unsupported: reason });
export function isUnsupported<E>(x: E | Unsupported): x is Unsupported {
  return typeof x === 'object' && x !== null && 'unsupported' in x;
}

/** One backend's table: an emitter, or a stated refusal, for every operator (a missing one does not compile). */
export type OpTable<E> = { readonly [K in CollectionOp]: E | Unsupported };
