/**
 * func_adl lambda bodies as DuckDB SQL expressions with the compiled loop's semantics: float32 columns are
 * DOUBLE before any arithmetic (the source casts them), collections become list functions and lambdas
 * (`list_filter`, `list_transform`, `list_reduce`), a collection of records a set of parallel lists indexed by
 * the items kept. Where DuckDB computes differently it is made to agree (V8's Math functions called back instead of
 * libm's, ±inf/NaN for a zero divisor, NaN for the square root of a negative, comparisons of a possible NaN
 * guarded) or refused with the reason (Python's `//` and `%`, an index that may be out of range, …).
 */

import { type Expr, fromDataType, type OpExpr, type QType, typeOf } from '../../planner/ir/index.js';
import type { FunctionLookup } from '../compile/compile-expr.js';
import type { EventModel } from '../event-model.js';
import { collectionOp, quantifier, reduce } from './collections.js';
import { p4Add, p4Method, p4Property } from './p4.js';
import {
  boundNum,
  ident,
  type List,
  type Names,
  type Num,
  numberSql,
  numOf,
  type Records,
  refuse,
  type Scalar,
  scalar,
  type V,
} from './values.js';

export interface ExprContext {
  readonly model: EventModel;
  readonly functions?: FunctionLookup;
  readonly names: Names;
  /** The table's columns the SQL reads (filled while translating). */
  readonly used: Set<string>;
  /** The columns the compiled pipeline reads: a group's members outside it are left out (as the loop does). */
  readonly keep?: ReadonlySet<string>;
  /**
   * Per-event expressions (of the current relation's columns only) computed once into a column before the step
   * that uses them: `hoist(sql)` gives the column's name.
   */
  readonly hoist?: (sql: string) => string;
  /** How many lambdas the expression being translated is inside (0: a per-event expression, hoistable). */
  readonly lambdas: { depth: number };
}

export type Env = ReadonlyMap<string, V>;

/** func_adl's names of V8's Math functions → the `hepq_js_<name>` DuckDB functions (exec/duckdb/scalar-functions.ts). */
const JS_NAMES: Record<string, string> = {
  exp: 'exp',
  log: 'log',
  log10: 'log10',
  log2: 'log2',
  sin: 'sin',
  cos: 'cos',
  tan: 'tan',
  arcsin: 'asin',
  asin: 'asin',
  arccos: 'acos',
  acos: 'acos',
  arctan: 'atan',
  atan: 'atan',
  arctan2: 'atan2',
  atan2: 'atan2',
  sinh: 'sinh',
  cosh: 'cosh',
  tanh: 'tanh',
  arcsinh: 'asinh',
  asinh: 'asinh',
  arccosh: 'acosh',
  acosh: 'acosh',
  arctanh: 'atanh',
  atanh: 'atanh',
  hypot: 'hypot',
  power: 'pow',
  pow: 'pow',
  round: 'round',
};
const JS_ARITY: Record<string, number> = { atan2: 2, hypot: 2, pow: 2 };
for (const n of Object.values(JS_NAMES)) JS_ARITY[n] ??= 1;

/** Functions whose DuckDB result is the correctly rounded one, as V8's is: the same bits. */
const EXACT_MATH: Record<string, string> = {
  abs: 'abs',
  fabs: 'abs',
  sqrt: 'sqrt',
  floor: 'floor',
  ceil: 'ceil',
};

/** A column of the event as a translated value (a scalar or a list of scalars). */
export function columnValue(ctx: ExprContext, name: string, at?: Expr): Scalar | List {
  const f = ctx.model.column(name);
  if (!f) return refuse(`no column ${name}`, at);
  ctx.used.add(name);
  // the column's type as the analyzer types its read (fromDataType), mapped as every bound type
  const q = fromDataType(f.type);
  if (q.kind === 'scalar') return scalar(ident(name), numOf(q));
  if (q.kind === 'collection' && q.item.kind === 'scalar')
    return { k: 'list', sql: ident(name), t: numOf(q.item) };
  return refuse(`column ${name} is neither a number nor a list of numbers`, at);
}

function eventAttr(ctx: ExprContext, name: string, at: Expr): V {
  if (ctx.model.column(name)) return columnValue(ctx, name, at);
  const g = ctx.model.group(name);
  if (!g) return refuse(`e.${name} is not a column or a NanoAOD group of this table`, at);
  const members = [...g.fields].filter(([, col]) => !ctx.keep || ctx.keep.has(col));
  if (g.kind === 'record')
    return {
      k: 'record',
      fields: new Map(members.map(([f, col]) => [f, columnValue(ctx, col, at)])),
    };
  const fields = new Map<string, { sql: string; t: Num }>();
  for (const [f, col] of members) {
    const v = columnValue(ctx, col, at);
    if (v.k === 'list') fields.set(f, { sql: v.sql, t: v.t });
  }
  if (fields.size === 0) return refuse(`the group ${name} has no member the query reads`, at);
  return { k: 'records', fields };
}

export function asScalar(v: V, at: Expr, what = 'a number'): Scalar {
  if (v.k === 'scalar') return v;
  return refuse(`expected ${what}, got a ${v.k === 'records' ? 'collection of records' : v.k}`, at);
}

/** A float operand as DOUBLE (integer operands stay integers: DuckDB widens them as JS does). */
const dbl = (s: Scalar) => (s.t === 'float' ? s.sql : `(${s.sql})::DOUBLE`);
/** An operand as the (bound) kind of the expression it stands in: an integer where a float is DOUBLE. */
const as = (s: Scalar, t: Num) => (t === 'float' ? dbl(s) : s.sql);

/**
 * A translated value with the bound plan's type of its expression: a scalar's or a list's kind, a collection of
 * records' fields (the SQL is what the translation wrote; the type is the analyzer's, through `sqlType`).
 */
function typed(v: V, q: QType): V {
  if (v.k === 'scalar' && q.kind === 'scalar') return { ...v, t: numOf(q) };
  if (v.k === 'list' && q.kind === 'collection' && q.item.kind === 'scalar')
    return { ...v, t: numOf(q.item) };
  if (v.k === 'records' && !v.combo && !v.p4 && q.kind === 'collection' && q.item.kind === 'record') {
    const types = new Map(q.item.fields.map((f) => [f.name, f.type]));
    const fields = new Map(
      [...v.fields].map(([f, c]) => {
        const ft = types.get(f);
        return [f, ft?.kind === 'scalar' ? { ...c, t: numOf(ft) } : c] as const;
      }),
    );
    return { ...v, fields };
  }
  return v;
}

/** Translate one expression in an environment of bound names; its type is the bound plan's (`typeOf`). */
export function translateExpr(ctx: ExprContext, e: Expr, env: Env): V {
  return typed(translateUntyped(ctx, e, env), typeOf(e));
}

function translateUntyped(ctx: ExprContext, e: Expr, env: Env): V {
  const go = (x: Expr) => translateExpr(ctx, x, env);
  switch (e.kind) {
    case 'literal': {
      if (typeof e.value === 'number') return scalar(numberSql(e.value, boundNum(e) === 'int'), boundNum(e));
      if (typeof e.value === 'boolean') return scalar(e.value ? 'TRUE' : 'FALSE', 'bool');
      return refuse(`the literal ${JSON.stringify(e.value)} (only numbers and booleans are translated)`, e);
    }
    case 'name': {
      const v = env.get(e.name);
      return v ?? refuse(`the name ${e.name}`, e);
    }
    case 'attr': {
      const t = go(e.target);
      if (t.k === 'event') return eventAttr(ctx, e.name, e);
      if (t.k === 'record')
        return (
          t.fields.get(e.name) ??
          refuse(`the record has no field ${e.name} (or it is a boolean of an item that may be None)`, e)
        );
      if (t.k === 'p4') return p4Property(t, e.name, e);
      return refuse(
        `.${e.name} of a ${t.k} (four-vector properties and list projections are not translated)`,
        e,
      );
    }
    case 'index': {
      const t = go(e.target);
      const i = e.index.kind === 'literal' && typeof e.index.value === 'number' ? e.index.value : undefined;
      if (t.k === 'tuple' && i !== undefined && t.items[i]) return t.items[i]!;
      if (t.k === 'record' && e.index.kind === 'literal' && typeof e.index.value === 'string')
        return t.fields.get(e.index.value) ?? refuse(`the record has no field ${e.index.value}`, e);
      return refuse(
        'an index into a collection (out of range it is an error in the loop, NULL in DuckDB)',
        e,
      );
    }
    case 'binary': {
      const l = go(e.left);
      const r = go(e.right);
      if (l.k === 'p4' && r.k === 'p4' && (e.op === '+' || e.op === '-')) return p4Add(l, r, e.op);
      const a = asScalar(l, e.left);
      const b = asScalar(r, e.right);
      if (a.t === 'bool' || b.t === 'bool') return refuse(`arithmetic on booleans (${e.op})`, e);
      switch (e.op) {
        case '+':
        case '-':
        case '*':
          return scalar(`(${a.sql} ${e.op} ${b.sql})`, boundNum(e), a.nan || b.nan);
        case '/':
          return divide(a, b, boundNum(e));
        case '**':
          return scalar(`hepq_js_pow(${dbl(a)}, ${dbl(b)})`, boundNum(e), true);
        default:
          return refuse(`the operator ${e.op} (Python's floor semantics differ from SQL's)`, e);
      }
    }
    case 'compare': {
      const a = asScalar(go(e.left), e.left);
      const b = asScalar(go(e.right), e.right);
      const op = e.op === '==' ? '=' : e.op === '!=' ? '<>' : e.op;
      if (!a.nan && !b.nan) return scalar(`(${a.sql} ${op} ${b.sql})`, 'bool');
      // JS: every comparison with NaN is false but !=
      const nans = [a, b].filter((x) => x.nan).map((x) => `isnan(${x.sql})`);
      return scalar(
        `(CASE WHEN ${nans.join(' OR ')} THEN ${op === '<>' ? 'TRUE' : 'FALSE'} ELSE ${a.sql} ${op} ${b.sql} END)`,
        'bool',
      );
    }
    case 'unary': {
      const a = asScalar(go(e.operand), e.operand);
      if (e.op === 'not') return scalar(`(NOT ${a.sql})`, 'bool');
      if (a.t === 'bool') return refuse(`${e.op} of a boolean`, e);
      return scalar(e.op === '-' ? `(-${a.sql})` : a.sql, boundNum(e), a.nan);
    }
    case 'bool': {
      const xs = e.operands.map((x) => asScalar(go(x), x, 'a boolean'));
      if (xs.some((x) => x.t !== 'bool')) return refuse(`${e.op} of non-boolean values`, e);
      return scalar(`(${xs.map((x) => x.sql).join(e.op === 'and' ? ' AND ' : ' OR ')})`, 'bool');
    }
    case 'conditional': {
      const c = asScalar(go(e.test), e.test, 'a boolean');
      const a = asScalar(go(e.then), e.then);
      const b = asScalar(go(e.otherwise), e.otherwise);
      if (a.t !== b.t && (a.t === 'bool' || b.t === 'bool'))
        return refuse('a conditional of a boolean and a number', e);
      const t = boundNum(e);
      return scalar(`(CASE WHEN ${c.sql} THEN ${as(a, t)} ELSE ${as(b, t)} END)`, t, a.nan || b.nan);
    }
    case 'dict':
      return { k: 'record', fields: new Map(e.keys.map((k, i) => [k, go(e.values[i]!)])) };
    case 'tuple':
      return { k: 'tuple', items: e.items.map(go) };
    case 'call':
      return call(ctx, e.name, e.args, env, e);
    case 'op':
      return collectionOp(ctx, e, env);
    case 'method': {
      const t = go(e.target);
      if (t.k === 'p4' && e.args.length === 0) return p4Property(t, e.name, e);
      if (t.k === 'p4' && e.args.length === 1) {
        const b = go(e.args[0]!);
        if (b.k === 'p4') return p4Method(t, e.name, b, e)!;
      }
      return refuse(`the method .${e.name}() (xAOD accessors are not translated)`, e);
    }
    case 'lambda':
      return refuse('a lambda outside an operator', e);
  }
}

function call(ctx: ExprContext, name: string, args: readonly Expr[], env: Env, at: Expr): V {
  const go = (x: Expr) => translateExpr(ctx, x, env);
  const q = typeOf(at);
  // the call's result kind, from the bound plan (a function of a collection has no scalar kind: Num of its items)
  const t: Num = q.kind === 'scalar' ? numOf(q) : 'float';
  const exact = EXACT_MATH[name];
  if (exact && args.length === 1) {
    const a = asScalar(go(args[0]!), args[0]!);
    // DuckDB raises an error for the square root of a negative number; JS gives NaN
    if (name === 'sqrt')
      return scalar(`(CASE WHEN ${dbl(a)} < 0 THEN 'nan'::DOUBLE ELSE sqrt(${dbl(a)}) END)`, t, true);
    // floor/ceil of a float are integers (bound int64) whose SQL is the exact DOUBLE floor/ceil gives
    return scalar(`${exact}(${a.sql})`, t, a.nan);
  }
  if (name === 'float' && args.length === 1) return scalar(dbl(asScalar(go(args[0]!), args[0]!)), t);
  if (name === 'int' && args.length === 1) {
    const a = asScalar(go(args[0]!), args[0]!);
    return a.t === 'int' ? a : scalar(`trunc(${a.sql})`, t, a.nan);
  }
  if ((name === 'isnan' || name === 'isfinite') && args.length === 1)
    return scalar(`${name}(${dbl(asScalar(go(args[0]!), args[0]!))})`, 'bool');
  // V8's Math functions, registered in DuckDB (exec/duckdb/scalar-functions.ts): libm's would differ in the last bit
  const js = JS_NAMES[name];
  if (js && JS_ARITY[js] === args.length) {
    const xs = args.map((x) => dbl(asScalar(go(x), x)));
    return scalar(`hepq_js_${js}(${xs.join(', ')})`, t, true);
  }
  const reductions: Record<string, OpExpr['op']> = {
    sum: 'Sum',
    min: 'Min',
    max: 'Max',
    any: 'Any',
    all: 'All',
    len: 'Count',
  };
  if (reductions[name] && args.length === 1) {
    const v = go(args[0]!);
    if (v.k === 'list' || v.k === 'records') {
      // any(xs) / all(xs) of booleans: the predicate is the item itself
      if (name === 'any' || name === 'all')
        return quantifier(ctx, v, name === 'any' ? 'Any' : 'All', undefined, env, at);
      return reduce(v, reductions[name]!, at);
    }
  }
  if ((name === 'min' || name === 'max') && args.length === 2) {
    const [a, b] = args.map((x) => asScalar(go(x), x)) as [Scalar, Scalar];
    const m = `${name === 'min' ? 'least' : 'greatest'}(${a.sql}, ${b.sql})`;
    // Math.min/max give NaN for a NaN argument; least/greatest order NaN above every number
    const nans = [a, b].filter((x) => x.nan).map((x) => `isnan(${x.sql})`);
    return scalar(
      nans.length ? `(CASE WHEN ${nans.join(' OR ')} THEN 'nan'::DOUBLE ELSE ${m} END)` : m,
      t,
      nans.length > 0,
    );
  }
  const f = ctx.functions?.scalar(name);
  if (f && f.returns.kind === 'primitive' && f.arity.length === 1 && f.arity[0] === args.length) {
    // the registry's function, registered in DuckDB too (exec/duckdb/scalar-functions.ts): the same JS code
    const xs = args.map((x) => dbl(asScalar(go(x), x)));
    return scalar(`${name}(${xs.join(', ')})`, t);
  }
  return refuse(`the function ${name}() with ${args.length} argument(s)`, at);
}

/**
 * a / b as JS divides: DuckDB's NULL for a zero divisor becomes ±inf (by the signs, −0 included) or NaN.
 */
function divide(a: Scalar, b: Scalar, t: Num): Scalar {
  const [x, y] = [dbl(a), dbl(b)];
  const constant = Number(/^\(?(-?[0-9.e+-]+)\)?(::DOUBLE)?$/.exec(b.sql)?.[1] ?? Number.NaN);
  if (Number.isFinite(constant) && constant !== 0) return scalar(`(${x} / ${y})`, t, a.nan);
  return scalar(
    `(CASE WHEN ${y} <> 0 OR isnan(${y}) THEN ${x} / ${y} WHEN ${x} = 0 OR isnan(${x}) THEN 'nan'::DOUBLE WHEN (${x} < 0) <> signbit(${y}) THEN '-inf'::DOUBLE ELSE 'inf'::DOUBLE END)`,
    t,
    true,
  );
}

export type { List, Records, Scalar };
