/** Expression helpers the rules share: structural keys, conjuncts, capture-safe substitution, totality. */
import {
  type Expr,
  exprChildren,
  freeNames,
  type LambdaExpr,
  MATH_FUNCTIONS,
  mapChildren,
  opDef,
} from '../ir/index.js';

/** A structural key of an expression, ignoring source spans and bound types (equal keys mean the same computation). */
export function exprKey(e: Expr): string {
  return JSON.stringify(e, (k, v) => (k === 'span' || k === 'type' ? undefined : v));
}

/** The operands of a chain of `and`s (the expression itself when it is not one). */
export function conjuncts(e: Expr): Expr[] {
  return e.kind === 'bool' && e.op === 'and' ? e.operands.flatMap(conjuncts) : [e];
}

/** Every name some lambda inside `e` binds. */
export function boundNames(e: Expr, out: Set<string> = new Set()): Set<string> {
  if (e.kind === 'lambda') for (const p of e.params) out.add(p);
  for (const c of exprChildren(e)) boundNames(c, out);
  return out;
}

/** Does `e` use the name free (outside any lambda that rebinds it)? */
export function usesName(e: Expr, name: string): boolean {
  return freeNames(e).has(name);
}

/**
 * Replace free uses of names in `e` by expressions, refusing (undefined) where a lambda inside `e` binds a
 * name free in a replacement (the replacement would be captured).
 */
export function substituteSafely(e: Expr, env: ReadonlyMap<string, Expr>): Expr | undefined {
  const free = new Set<string>();
  for (const v of env.values()) for (const n of freeNames(v)) free.add(n);
  let captured = false;
  const go = (x: Expr, live: ReadonlyMap<string, Expr>): Expr => {
    if (live.size === 0) return x;
    if (x.kind === 'name') return live.get(x.name) ?? x;
    if (x.kind === 'lambda') {
      const inner = new Map(live);
      for (const p of x.params) inner.delete(p);
      if (
        inner.size &&
        x.params.some((p) => free.has(p)) &&
        [...inner.keys()].some((k) => usesName(x.body, k))
      )
        captured = true;
      const body = go(x.body, inner);
      return body === x.body ? x : { ...x, body };
    }
    return mapChildren(x, (c) => go(c, live));
  };
  const out = go(e, env);
  return captured ? undefined : out;
}

/** The lambda `lambda param: body` with the given body (keeping the lambda's span). */
export function withBody(l: LambdaExpr, body: Expr, params: readonly string[] = l.params): LambdaExpr {
  return { ...l, params, body };
}

/** True for expressions whose value is a boolean (so `x and True` may become `x`). */
export function isBooleanValued(e: Expr): boolean {
  if (e.kind === 'compare') return true;
  if (e.kind === 'bool') return true;
  if (e.kind === 'unary' && e.op === 'not') return true;
  if (e.kind === 'literal') return typeof e.value === 'boolean';
  if (e.kind === 'op') return opDef(e.op).type === 'quantifier';
  if (e.kind === 'call') return ['isnan', 'isinf', 'isfinite', 'any', 'all'].includes(e.name);
  return false;
}

/**
 * Whether evaluating `e` can never raise an error, judged conservatively. Our expressions fail only on
 * operators not `total` in their definition (First/Last/ElementAt of an empty collection) and on an index out
 * of range; an index into a `Choose(k)`
 * combination with a constant below k is safe, as is one into a tuple row (`tuples`: parameter → size). Calls of functions other than the built-in math ones
 * (registered UDFs) are treated as possibly failing; so are `//` and `%` (division by zero).
 */
export function isTotal(e: Expr, tuples: ReadonlyMap<string, number> = new Map()): boolean {
  const go = (x: Expr, combos: ReadonlyMap<string, number>): boolean => {
    switch (x.kind) {
      case 'op': {
        if (!opDef(x.op).total) return false;
        if (!go(x.source, combos)) return false;
        const k = chooseSize(x.source);
        return x.args.every((a) => {
          if (a.kind !== 'lambda') return go(a, combos);
          const inner = new Map(combos);
          for (const p of a.params) inner.delete(p);
          if (k !== undefined && a.params.length === 1) inner.set(a.params[0]!, k);
          return go(a.body, inner);
        });
      }
      case 'index': {
        if (x.index.kind === 'literal' && typeof x.index.value === 'string') return go(x.target, combos);
        const k = x.target.kind === 'name' ? combos.get(x.target.name) : undefined;
        const i = x.index.kind === 'literal' ? x.index.value : undefined;
        if (k !== undefined && typeof i === 'number' && Number.isInteger(i) && i >= 0 && i < k) return true;
        // A literal tuple indexed by a constant in range is a field access.
        if (x.target.kind === 'tuple' && typeof i === 'number' && i >= 0 && i < x.target.items.length)
          return go(x.target, combos);
        return false;
      }
      case 'call':
        if (
          !(x.name in MATH_FUNCTIONS) &&
          !['sum', 'min', 'max', 'any', 'all', 'len', 'Zip', 'Range'].includes(x.name)
        )
          return false;
        // min()/max() of an empty collection fail; of two or more numbers they do not.
        if ((x.name === 'min' || x.name === 'max') && x.args.length < 2) return false;
        return x.args.every((a) => go(a, combos));
      case 'binary':
        if (x.op === '//' || x.op === '%') return false;
        return go(x.left, combos) && go(x.right, combos);
      case 'lambda': {
        const inner = new Map(combos);
        for (const p of x.params) inner.delete(p);
        return go(x.body, inner);
      }
      default:
        return exprChildren(x).every((c) => go(c, combos));
    }
  };
  return go(e, tuples);
}

/** `xs.Choose(k)` (possibly behind operators that keep items whole: Where, OrderBy, Take, …) → k. */
function chooseSize(e: Expr): number | undefined {
  let x = e;
  while (x.kind === 'op' && opDef(x.op).keepsItems) x = x.source;
  if (x.kind === 'op' && x.op === 'Choose') {
    const k = x.args[0];
    return k?.kind === 'literal' && typeof k.value === 'number' ? k.value : undefined;
  }
  return undefined;
}

/** A plain access (literal, name, or attribute chain on a name): cheap to evaluate more than once. */
export function isTrivial(e: Expr): boolean {
  if (e.kind === 'literal' || e.kind === 'name') return true;
  if (e.kind === 'attr') return isTrivial(e.target);
  return false;
}

/**
 * Would substituting `producer`'s result into `consumer` evaluate a non-trivial part of it more than once
 * per row — a field read twice, or read inside a per-item lambda of the consumer?
 */
export function duplicatesWork(consumer: LambdaExpr, producer: LambdaExpr): boolean {
  const p = consumer.params[0];
  const body = producer.body;
  const fields = body.kind === 'dict' ? new Map(body.keys.map((k, i) => [k, body.values[i]!])) : undefined;
  const uses = new Map<string, number>();
  let whole = 0;
  let nested = false;
  const mark = (key: string | undefined, depth: number) => {
    const value = key !== undefined && fields ? fields.get(key)! : body;
    if (depth > 0 && !isTrivial(value)) nested = true;
    if (key === undefined) whole++;
    else uses.set(key, (uses.get(key) ?? 0) + 1);
  };
  const go = (x: Expr, depth: number): void => {
    if (
      fields &&
      x.kind === 'attr' &&
      x.target.kind === 'name' &&
      x.target.name === p &&
      fields.has(x.name)
    ) {
      mark(x.name, depth);
      return;
    }
    if (
      fields &&
      x.kind === 'index' &&
      x.target.kind === 'name' &&
      x.target.name === p &&
      x.index.kind === 'literal' &&
      typeof x.index.value === 'string' &&
      fields.has(x.index.value)
    ) {
      mark(x.index.value, depth);
      return;
    }
    if (x.kind === 'name' && x.name === p) {
      mark(undefined, depth);
      return;
    }
    if (x.kind === 'lambda') {
      if (p === undefined || !x.params.includes(p)) go(x.body, depth + 1);
      return;
    }
    for (const c of exprChildren(x)) go(c, depth);
  };
  go(consumer.body, 0);
  if (nested) return true;
  if (!fields) return whole > 1 && !isTrivial(body);
  if (whole > 0 && [...fields.values()].some((v) => !isTrivial(v))) return whole > 1 || uses.size > 0;
  for (const [k, n] of uses) if (n > 1 && !isTrivial(fields.get(k)!)) return true;
  return false;
}
