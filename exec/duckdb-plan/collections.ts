/**
 * func_adl's collection operators in SQL: a list of numbers by its values (`list_filter`, `list_transform`,
 * `list_reduce`), a collection of records as parallel lists iterated by 1-based index, `Choose(k)` as k-lists of
 * indices, collections of four-vectors as records whose items are four-vectors; refusals name the operator.
 */
import type { Expr, LambdaExpr, OpExpr } from '../../planner/ir/index.js';
import { asScalar, type Env, type ExprContext, translateExpr } from './exprs.js';
import { itemRecord } from './items.js';
import { p4Cartesian, toP4 } from './p4.js';
import { pickFirst } from './pick.js';
import {
  boundNum,
  componentKeys,
  ident,
  indices,
  type List,
  type Num,
  type P4V,
  type Records,
  refuse,
  type Scalar,
  scalar,
  type V,
} from './values.js';

/**
 * `Zip({'pt': e.Jet_pt, 'eta': e.Jet_eta})`: a record of lists of numbers as a collection of records, as long as
 * the first list (as the loop zips; the lists of one NanoAOD group have one length).
 */
function zip(ctx: ExprContext, src: Extract<V, { k: 'record' }>, at: Expr): V {
  const fields = new Map<string, { sql: string; t: Num }>();
  const p4Fields = new Map<string, Map<string, string>>();
  for (const [f, v] of src.fields) {
    if (v.k === 'records' && v.p4 && !v.combo && !v.p4Fields) {
      // a collection of four-vectors: a four-vector field, its component lists (the items kept) under `f.comp`
      const comps = new Map<string, string>();
      // the items kept, as a per-event column where it can be (then an item's Cartesian components are hoisted)
      const kept = (l: string) =>
        ctx.hoist && ctx.lambdas.depth === 0
          ? ident(ctx.hoist(`list_select(${l}, ${v.idx})`))
          : `list_select(${l}, ${v.idx})`;
      for (const [comp, c] of v.fields) {
        fields.set(`${f}.${comp}`, { sql: v.idx ? kept(c.sql) : c.sql, t: c.t });
        comps.set(comp, `${f}.${comp}`);
      }
      p4Fields.set(f, comps);
      continue;
    }
    if (v.k !== 'list')
      return refuse(`Zip of a record whose field ${f} is a ${v.k}, not a list of numbers`, at);
    fields.set(f, { sql: v.sql, t: v.t });
  }
  const first = fields.values().next().value;
  if (!first) return refuse('Zip of an empty record', at);
  return {
    k: 'records',
    fields,
    idx: `range(1, len(${first.sql}) + 1)`,
    ...(p4Fields.size ? { p4Fields } : {}),
  };
}

/** `a.Concat(b)`: the items of both, in order — lists of numbers, or records with the fields both have. */
function concat(ctx: ExprContext, a: V, b: V, at: Expr): V {
  void ctx;
  if (a.k === 'list' && b.k === 'list' && (a.t === 'bool') === (b.t === 'bool'))
    return { k: 'list', sql: `list_concat(${a.sql}, ${b.sql})`, t: boundNum(at) };
  if (a.k !== 'records' || b.k !== 'records' || a.combo || b.combo || !!a.p4 !== !!b.p4)
    return refuse(`Concat of a ${a.k} and a ${b.k}`, at);
  const kept = (r: Records, sql: string) => (r.idx ? `list_select(${sql}, ${r.idx})` : sql);
  const fields = new Map<string, { sql: string; t: Num }>();
  for (const [f, x] of a.fields) {
    const y = b.fields.get(f);
    if (!y || (x.t === 'bool') !== (y.t === 'bool')) continue;
    // the field's kind is the bound plan's (translateExpr types the records it returns)
    fields.set(f, { sql: `list_concat(${kept(a, x.sql)}, ${kept(b, y.sql)})`, t: x.t });
  }
  // four-vector fields both have, from the same components (the others' component lists are left out)
  const p4Fields = new Map<string, ReadonlyMap<string, string>>();
  for (const [f, cs] of a.p4Fields ?? []) {
    const ds = b.p4Fields?.get(f);
    if (ds && cs.size === ds.size && [...cs].every(([c, k]) => ds.get(c) === k && fields.has(k)))
      p4Fields.set(f, cs);
  }
  const components = new Set([...p4Fields.values()].flatMap((cs) => [...cs.values()]));
  for (const k of componentKeys(a)) if (!components.has(k)) fields.delete(k);
  if (fields.size === 0) return refuse('Concat of records with no field in common', at);
  const more = p4Fields.size ? { p4Fields } : {};
  return a.p4 ? { k: 'records', fields, p4: true, ...more } : { k: 'records', fields, ...more };
}

/** A four-vector's components by the field names `ToFourMomentum` reads: polar while they are. */
function p4Components(p: P4V): Array<[string, string]> {
  return p.polar
    ? [
        ['pt', p.polar.pt],
        ['eta', p.polar.eta],
        ['phi', p.polar.phi],
        ['mass', p.polar.m],
      ]
    : [
        ['px', p.cart!.px],
        ['py', p.cart!.py],
        ['pz', p.cart!.pz],
        ['E', p.cart!.e],
      ];
}

/** The sum of a collection of four-vectors: each Cartesian component added in order from 0, as the loop does. */
function sumP4(ctx: ExprContext, src: Records, env: Env, at: Expr): V {
  const { param, body, over } = itemLambda(ctx, src, undefined, env, at);
  if (body.k !== 'p4') return refuse('Sum of records', at);
  const c = p4Cartesian(body);
  const sum = (x: string) =>
    `list_reduce(list_transform(${over}, lambda ${param}: ${x}), lambda a, b: a + b, 0::DOUBLE)`;
  return { k: 'p4', cart: { px: sum(c.px), py: sum(c.py), pz: sum(c.pz), e: sum(c.e) } };
}

/** A per-event reduction of a collection: Count, Sum (a left fold, as the loop adds), Min, Max. */
export function reduce(v: List | Records, op: OpExpr['op'], at: Expr): Scalar {
  if (op === 'Count') return scalar(`len(${v.k === 'list' ? v.sql : indices(v)})`, boundNum(at));
  if (v.k !== 'list') return refuse(`${op} of a collection of records`, at);
  if (v.t === 'bool') return refuse(`${op} of booleans`, at);
  // the loop's sum starts at 0 and adds in order; its Min/Max of nothing is NaN
  if (op === 'Sum') return scalar(`list_reduce(${v.sql}, lambda a, b: a + b, 0)`, boundNum(at));
  return scalar(
    `coalesce(list_${op === 'Min' ? 'min' : 'max'}(${v.sql}), 'nan'::DOUBLE)`,
    boundNum(at),
    true,
  );
}

/**
 * Every k-combination of the (ascending) indices `over`, as k-lists in index order: the first index outermost,
 * as the loop's nested loops visit them.
 */
function combinations(ctx: ExprContext, over: string, k: number): string {
  const a = ctx.names.next('x');
  if (k === 1) return `list_transform(${over}, lambda ${a}: [${a}])`;
  const b = ctx.names.next('x');
  const t = ctx.names.next('x');
  const rest = combinations(ctx, `list_filter(${over}, lambda ${b}: ${b} > ${a})`, k - 1);
  return `flatten(list_transform(${over}, lambda ${a}: list_transform(${rest}, lambda ${t}: list_prepend(${a}, ${t}))))`;
}

/** The value of a lambda's body for one item, bound to a fresh SQL lambda parameter. */
export function itemLambda(
  ctx: ExprContext,
  src: List | Records,
  lam: Expr | undefined,
  env: Env,
  at: Expr,
): { param: string; body: V; over: string } {
  const param = ctx.names.next('x');
  const record = (i: string): V => itemRecord(ctx, src as Records, i, at);
  const item: V =
    src.k === 'list'
      ? scalar(param, src.t)
      : src.combo
        ? { k: 'tuple', items: Array.from({ length: src.combo }, (_, n) => record(`${param}[${n + 1}]`)) }
        : record(param);
  const over = src.k === 'list' ? src.sql : indices(src);
  if (lam === undefined) return { param, body: item, over };
  if (lam.kind !== 'lambda' || lam.params.length !== 1) return refuse('expected a one-parameter lambda', at);
  const l = lam as LambdaExpr;
  // inside a lambda an expression may use the item: nothing is hoisted into a per-event column
  ctx.lambdas.depth++;
  try {
    return { param, body: translateExpr(ctx, l.body, new Map([...env, [l.params[0]!, item]])), over };
  } finally {
    ctx.lambdas.depth--;
  }
}

export function quantifier(
  ctx: ExprContext,
  src: List | Records,
  op: 'Any' | 'All',
  lam: Expr | undefined,
  env: Env,
  at: Expr,
): Scalar {
  const { param, body, over } = itemLambda(ctx, src, lam, env, at);
  const p = asScalar(body, at, 'a boolean');
  if (p.t !== 'bool') return refuse(`${op} with a predicate that is not boolean`, at);
  return op === 'Any'
    ? scalar(`(len(list_filter(${over}, lambda ${param}: ${p.sql})) > 0)`, 'bool')
    : scalar(`(len(list_filter(${over}, lambda ${param}: NOT ${p.sql})) = 0)`, 'bool');
}

/** `t.Select(f)` of a tuple (a combination's items): a list of the items' values, in order. */
function tupleSelect(ctx: ExprContext, src: Extract<V, { k: 'tuple' }>, e: OpExpr, env: Env): V {
  const lam = e.args[0];
  if (lam?.kind !== 'lambda' || lam.params.length !== 1) return refuse('expected a one-parameter lambda', e);
  ctx.lambdas.depth++;
  try {
    const xs = src.items.map((item) =>
      asScalar(translateExpr(ctx, lam.body, new Map([...env, [lam.params[0]!, item]])), e),
    );
    if (xs.some((x) => x.t === 'bool') && !xs.every((x) => x.t === 'bool'))
      return refuse('Select of a tuple to booleans and numbers', e);
    const sqls = xs.map((x) => (x.t === 'int' && boundNum(e) === 'float' ? `(${x.sql})::DOUBLE` : x.sql));
    return { k: 'list', sql: `[${sqls.join(', ')}]`, t: boundNum(e) };
  } finally {
    ctx.lambdas.depth--;
  }
}

export function collectionOp(ctx: ExprContext, e: OpExpr, env: Env): V {
  if (
    e.op === 'First' &&
    e.source.kind === 'op' &&
    (e.source.op === 'OrderBy' || e.source.op === 'OrderByDescending')
  )
    return pickFirst(ctx, e.source, env);
  const src = translateExpr(ctx, e.source, env);
  if (e.op === 'ToFourMomentum' && src.k === 'record') return toP4(src, e, ctx.hoist, ctx.names);
  if (e.op === 'Zip' && src.k === 'record') return zip(ctx, src, e);
  if (e.op === 'ToFourMomenta' && src.k === 'records' && !src.combo) return { ...src, p4: true };
  if (e.op === 'ToFourMomentum' || e.op === 'ToFourMomenta')
    return refuse(`four-vectors (${e.op}) of a ${src.k}`, e);
  if (e.op === 'Concat') return concat(ctx, src, translateExpr(ctx, e.args[0]!, env), e);
  if (e.op === 'Sum' && src.k === 'records' && src.p4 && !src.combo) return sumP4(ctx, src, env, e);
  if (e.op === 'Select' && src.k === 'tuple') return tupleSelect(ctx, src, e, env);
  if (src.k !== 'list' && src.k !== 'records') return refuse(`${e.op} of a ${src.k}`, e);
  const lam = e.args[0];
  switch (e.op) {
    case 'Count':
    case 'Sum':
    case 'Min':
    case 'Max':
      return reduce(src, e.op, e);
    case 'Any':
    case 'All':
      return quantifier(ctx, src, e.op, lam, env, e);
    case 'Where': {
      const { param, body, over } = itemLambda(ctx, src, lam, env, e);
      const p = asScalar(body, e, 'a boolean');
      if (p.t !== 'bool') return refuse('Where with a predicate that is not boolean', e);
      const kept = `list_filter(${over}, lambda ${param}: ${p.sql})`;
      return src.k === 'list' ? { k: 'list', sql: kept, t: src.t } : { ...src, idx: kept };
    }
    case 'Select': {
      const { param, body, over } = itemLambda(ctx, src, lam, env, e);
      if (body.k === 'scalar')
        return { k: 'list', sql: `list_transform(${over}, lambda ${param}: ${body.sql})`, t: body.t };
      if (body.k === 'record') {
        const fields = new Map<string, { sql: string; t: Num }>();
        const p4Fields = new Map<string, Map<string, string>>();
        const each = (x: string) => `list_transform(${over}, lambda ${param}: ${x})`;
        for (const [f, v] of body.fields) {
          if (v.k === 'p4') {
            // a four-vector field: its components as lists (polar while the item's are), under `f.comp`
            const comps = new Map<string, string>();
            for (const [comp, x] of p4Components(v)) {
              fields.set(`${f}.${comp}`, { sql: each(x), t: 'float' });
              comps.set(comp, `${f}.${comp}`);
            }
            p4Fields.set(f, comps);
            continue;
          }
          if (v.k !== 'scalar') return refuse(`Select to a record per item whose field ${f} is a ${v.k}`, e);
          fields.set(f, { sql: each(v.sql), t: v.t });
        }
        return p4Fields.size ? { k: 'records', fields, p4Fields } : { k: 'records', fields };
      }
      if (body.k === 'p4') {
        // a four-vector per item: its components as lists, polar while the item's are
        const comps = p4Components(body);
        const fields = new Map(
          comps.map(([f, c]) => [
            f,
            { sql: `list_transform(${over}, lambda ${param}: ${c})`, t: 'float' as Num },
          ]),
        );
        return { k: 'records', fields, p4: true };
      }
      return refuse(`Select to a ${body.k} per item`, e);
    }
    case 'Choose': {
      const k = lam?.kind === 'literal' && typeof lam.value === 'number' ? lam.value : undefined;
      if (src.k !== 'records' || src.combo)
        return refuse(`Choose of a ${src.k === 'list' ? 'list of numbers' : 'combination'}`, e);
      if (k === undefined || !Number.isInteger(k) || k < 1 || k > 4)
        return refuse('Choose(k) with k not a constant of 1 to 4', e);
      return { ...src, idx: combinations(ctx, indices(src), k), combo: k };
    }
    case 'Take':
    case 'Skip': {
      const n = lam?.kind === 'literal' && typeof lam.value === 'number' ? lam.value : undefined;
      if (n === undefined || !Number.isInteger(n) || n < 0)
        return refuse(`${e.op} of a count that is not a constant`, e);
      const slice = (l: string) =>
        e.op === 'Take' ? `list_slice(${l}, 1, ${n})` : `list_slice(${l}, ${n + 1}, len(${l}))`;
      return src.k === 'list' ? { ...src, sql: slice(src.sql) } : { ...src, idx: slice(indices(src)) };
    }
    default:
      return refuse(`the collection operator ${e.op}`, e);
  }
}
