/**
 * The fused WGSL backend's operator tables: for every func_adl operator of planner/ir/ops, an emitter or the
 * reason it is not fused (the query then runs on the CPU), once over collections (`GPU_OPS`) and once over the
 * items of a small tuple such as a Choose(k) combination (`TUPLE_OPS`, unrolled). `OpTable` makes a missing
 * operator a compile error.
 */
import type { Expr } from '../../../planner/ir/index.js';
import { isUnsupported, type OpTable, unsupportedOp } from '../../../planner/ir/index.js';
import { concat, lambdaArg, orderedPick, quantifier, reduce, zip } from './collection-gen.js';
import { asNum, compileExpr } from './expr-gen.js';
import { bindOne, type Gen } from './gen.js';
import { p4Val, toP4 } from './p4.js';
import { type CollVal, cast, type Env, num, unsupported, type Val } from './values.js';

type OpExpr = Expr & { kind: 'op' };
/**
 * `coll`: over a collection of the event (a column range with where/select steps, or combinations);
 * `value`: over any source (a record to zip, a record to make a four-vector of).
 */
type GpuOp =
  | { readonly coll: (g: Gen, e: OpExpr, src: CollVal, env: Env) => Val }
  | { readonly value: (g: Gen, e: OpExpr, src: Val, env: Env) => Val };
type TupleOp = (g: Gen, e: OpExpr, items: readonly Val[], env: Env) => Val;

// Operators a kernel does not compute yet: a per-event sort or slice needs scratch memory per thread, and
// SelectMany a variable-length output. The message names the operator, as `explain` shows it.
const notFused = (op: string) => unsupportedOp(`the ${op} operator`);

const steps =
  (kind: 'where' | 'select') =>
  (_g: Gen, e: OpExpr, src: CollVal, env: Env): Val => {
    if (src.choose && kind === 'select') unsupported('Select over combinations');
    return { ...src, steps: [...src.steps, { kind, lambda: lambdaArg(e.args, e.op), env }] };
  };

const reduction = (g: Gen, e: OpExpr, src: CollVal): Val => {
  if (e.args.length) unsupported(`${e.op} with arguments`);
  return reduce(g, e.op, src, e);
};

const quantify = (g: Gen, e: OpExpr, src: CollVal, env: Env): Val =>
  quantifier(g, e.op as 'Any' | 'All', src, lambdaArg(e.args, e.op), env);

export const GPU_OPS: OpTable<GpuOp> = {
  Select: { coll: steps('select') },
  Where: { coll: steps('where') },
  SelectMany: notFused('SelectMany'),
  Count: { coll: reduction },
  Sum: { coll: reduction },
  Min: { coll: reduction },
  Max: { coll: reduction },
  Any: { coll: quantify },
  All: { coll: quantify },
  First: {
    coll: (g, _e, src, env) => orderedPick(g, src, undefined, env, { descending: false, last: false }),
  },
  FirstOrDefault: notFused('FirstOrDefault'),
  Last: { coll: (g, _e, src, env) => orderedPick(g, src, undefined, env, { descending: false, last: true }) },
  ElementAt: notFused('ElementAt'),
  Take: notFused('Take'),
  Skip: notFused('Skip'),
  // OrderBy(key).First()/Last() is fused as an argmin scan (`compileOp`); a sorted collection itself is not.
  OrderBy: notFused('OrderBy'),
  OrderByDescending: notFused('OrderByDescending'),
  Choose: {
    coll: (_g, e, src) => {
      const a = e.args[0];
      const k = a?.kind === 'literal' && typeof a.value === 'number' ? a.value : 0;
      if (src.steps.length || src.choose || k < 1 || k > 3)
        unsupported('Choose(k) other than k ≤ 3 of a column collection');
      return { ...src, choose: k };
    },
  },
  Concat: {
    coll: (g, e, src, env) => {
      const other = e.args[0] ? compileExpr(g, e.args[0], env) : undefined;
      if (other?.k !== 'coll') return unsupported('Concat with a value that is not a collection');
      return concat(g, [src, other]);
    },
  },
  Range: notFused('Range'),
  Zip: {
    value: (g, e, src, env) => (src.k === 'rec' && src.keys ? zip(g, src) : overItems(g, e, src, env)),
  },
  ToFourMomentum: { value: (g, _e, src) => p4Val(g, toP4(g, src)) },
  // Not fused yet: the accumulator's type would have to be settled before the loop is generated.
  Aggregate: notFused('Aggregate'),
  ToFourMomenta: {
    coll: (g, _e, src) => ({
      ...src,
      steps: [...src.steps, { kind: 'map', f: (el) => p4Val(g, toP4(g, el)) }],
    }),
  },
};

const ofTuple = (op: string) => unsupportedOp(`${op} of a tuple`);
const tupleNum: TupleOp = (_g, e, items) => {
  const op = e.op;
  const xs = items.map((it) => asNum(it, op));
  const t = xs.some((x) => x.ty === 'f32') || op !== 'Sum' ? 'f32' : 'i32';
  const codes = xs.map((x) => cast(x, t));
  if (op === 'Sum') return num(`(${codes.join(' + ')})`, t);
  return num(
    codes.reduce((a, b) => `${op === 'Max' ? 'max' : 'min'}(${a}, ${b})`),
    'f32',
  );
};

/** Operators over a tuple's items (`t.Select(lambda j: j.btag).Max()` over a Choose(3) combination), unrolled. */
export const TUPLE_OPS: OpTable<TupleOp> = {
  Select: (g, e, items, env) => {
    const l = lambdaArg(e.args, e.op);
    const out = items.map((it) => compileExpr(g, l.body, bindOne(l, it, env)));
    return { k: 'rec', what: 'a tuple', items: out, field: () => undefined };
  },
  Count: (_g, _e, items) => num(`${items.length}i`, 'i32'),
  Sum: tupleNum,
  Max: tupleNum,
  Min: tupleNum,
  SelectMany: ofTuple('SelectMany'),
  Where: ofTuple('Where'),
  First: ofTuple('First'),
  FirstOrDefault: ofTuple('FirstOrDefault'),
  Last: ofTuple('Last'),
  Any: ofTuple('Any'),
  All: ofTuple('All'),
  Take: ofTuple('Take'),
  Skip: ofTuple('Skip'),
  OrderBy: ofTuple('OrderBy'),
  OrderByDescending: ofTuple('OrderByDescending'),
  Zip: ofTuple('Zip'),
  Choose: ofTuple('Choose'),
  Concat: ofTuple('Concat'),
  ElementAt: ofTuple('ElementAt'),
  Range: ofTuple('Range'),
  ToFourMomentum: ofTuple('ToFourMomentum'),
  ToFourMomenta: ofTuple('ToFourMomenta'),
  Aggregate: ofTuple('Aggregate'),
};

/** An operator over a tuple's items, or over a collection. */
function overItems(g: Gen, e: OpExpr, src: Val, env: Env): Val {
  if (src.k === 'rec' && src.items) {
    const t = TUPLE_OPS[e.op];
    return isUnsupported(t) ? unsupported(t.unsupported) : t(g, e, src.items, env);
  }
  if (src.k !== 'coll') return unsupported(`${e.op} of a value that is not a collection`);
  const impl = GPU_OPS[e.op];
  if (isUnsupported(impl)) return unsupported(impl.unsupported);
  // Zip and ToFourMomentum took their source as it is; here the source is a collection.
  return 'coll' in impl ? impl.coll(g, e, src, env) : unsupported(`the ${e.op} operator`);
}

/** Compiles one operator application through `GPU_OPS` (or `TUPLE_OPS` over a tuple's items). */
export function compileOp(g: Gen, e: OpExpr, env: Env): Val {
  // OrderBy(key).First() / .Last() is an argmin (argmax) scan: no sort.
  if (
    (e.op === 'First' || e.op === 'Last') &&
    e.source.kind === 'op' &&
    (e.source.op === 'OrderBy' || e.source.op === 'OrderByDescending')
  ) {
    const c = compileExpr(g, e.source.source, env);
    if (c.k !== 'coll') return unsupported(`${e.source.op} of a value that is not a collection`);
    return orderedPick(g, c, lambdaArg(e.source.args, e.source.op), env, {
      descending: e.source.op === 'OrderByDescending',
      last: e.op === 'Last',
    });
  }
  const src = compileExpr(g, e.source, env);
  const impl = GPU_OPS[e.op];
  if (!isUnsupported(impl) && 'value' in impl) return impl.value(g, e, src, env);
  return overItems(g, e, src, env);
}
