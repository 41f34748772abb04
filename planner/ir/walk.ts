/** Generic traversal of IR trees: children, bottom-up rewrite, visiting, free names and span stripping. */
import { assertNever } from '../../exec/batch/index.js';
import type { Expr, LambdaExpr } from './expr.js';
import type { LogicalPlan } from './plan.js';

/** The direct sub-expressions of an expression, in source order. */
export function exprChildren(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'literal':
    case 'name':
      return [];
    case 'attr':
      return [e.target];
    case 'call':
      return e.args;
    case 'method':
      return [e.target, ...e.args];
    case 'op':
      return [e.source, ...e.args];
    case 'lambda':
      return [e.body];
    case 'binary':
    case 'compare':
      return [e.left, e.right];
    case 'unary':
      return [e.operand];
    case 'bool':
      return e.operands;
    case 'conditional':
      return [e.test, e.then, e.otherwise];
    case 'index':
      return [e.target, e.index];
    case 'dict':
      return e.values;
    case 'tuple':
      return e.items;
    default:
      return assertNever(e, 'expr');
  }
}

/** Rebuild `e` with its children replaced by `f(child)` (one level). Returns `e` itself when nothing changed. */
export function mapChildren(e: Expr, f: (child: Expr) => Expr): Expr {
  const same = (a: readonly Expr[], b: readonly Expr[]) => a.every((x, i) => x === b[i]);
  switch (e.kind) {
    case 'literal':
    case 'name':
      return e;
    case 'attr': {
      const target = f(e.target);
      return target === e.target ? e : { ...e, target };
    }
    case 'call': {
      const args = e.args.map(f);
      return same(args, e.args) ? e : { ...e, args };
    }
    case 'method': {
      const target = f(e.target);
      const args = e.args.map(f);
      return target === e.target && same(args, e.args) ? e : { ...e, target, args };
    }
    case 'op': {
      const source = f(e.source);
      const args = e.args.map(f);
      return source === e.source && same(args, e.args) ? e : { ...e, source, args };
    }
    case 'lambda': {
      const body = f(e.body);
      return body === e.body ? e : { ...e, body };
    }
    case 'binary':
    case 'compare': {
      const left = f(e.left);
      const right = f(e.right);
      return left === e.left && right === e.right ? e : { ...e, left, right };
    }
    case 'unary': {
      const operand = f(e.operand);
      return operand === e.operand ? e : { ...e, operand };
    }
    case 'bool': {
      const operands = e.operands.map(f);
      return same(operands, e.operands) ? e : { ...e, operands };
    }
    case 'conditional': {
      const test = f(e.test);
      const then = f(e.then);
      const otherwise = f(e.otherwise);
      return test === e.test && then === e.then && otherwise === e.otherwise
        ? e
        : { ...e, test, then, otherwise };
    }
    case 'index': {
      const target = f(e.target);
      const index = f(e.index);
      return target === e.target && index === e.index ? e : { ...e, target, index };
    }
    case 'dict': {
      const values = e.values.map(f);
      return same(values, e.values) ? e : { ...e, values };
    }
    case 'tuple': {
      const items = e.items.map(f);
      return same(items, e.items) ? e : { ...e, items };
    }
    default:
      return assertNever(e, 'expr');
  }
}

/** Bottom-up rewrite: children first, then `f` on the rebuilt node. */
export function rewriteExpr(e: Expr, f: (e: Expr) => Expr): Expr {
  return f(mapChildren(e, (c) => rewriteExpr(c, f)));
}

/** Pre-order visit of every expression node. */
export function visitExpr(e: Expr, f: (e: Expr) => void): void {
  f(e);
  for (const c of exprChildren(e)) visitExpr(c, f);
}

/** Names used in `e` that no enclosing lambda inside `e` binds. */
export function freeNames(e: Expr, bound: ReadonlySet<string> = new Set()): Set<string> {
  const out = new Set<string>();
  const go = (x: Expr, b: ReadonlySet<string>) => {
    if (x.kind === 'name') {
      if (!b.has(x.name)) out.add(x.name);
      return;
    }
    if (x.kind === 'lambda') {
      go(x.body, new Set([...b, ...x.params]));
      return;
    }
    for (const c of exprChildren(x)) go(c, b);
  };
  go(e, bound);
  return out;
}

/** Replace free occurrences of names by expressions (captured constants, script bindings). */
export function substituteNames(e: Expr, env: ReadonlyMap<string, Expr>): Expr {
  if (env.size === 0) return e;
  if (e.kind === 'name') return env.get(e.name) ?? e;
  if (e.kind === 'lambda') {
    const inner = new Map(env);
    for (const p of e.params) inner.delete(p);
    const body = substituteNames(e.body, inner);
    return body === e.body ? e : { ...e, body };
  }
  return mapChildren(e, (c) => substituteNames(c, env));
}

/** Rewrite every expression held by plan nodes (lambdas, arguments) with `f`. */
export function mapPlanExprs(p: LogicalPlan, f: (e: Expr) => Expr): LogicalPlan {
  const lam = (l: LambdaExpr) => f(l) as LambdaExpr;
  switch (p.kind) {
    case 'source':
      return p;
    case 'select':
      return { ...p, input: mapPlanExprs(p.input, f), selector: lam(p.selector) };
    case 'select-many':
      return { ...p, input: mapPlanExprs(p.input, f), selector: lam(p.selector) };
    case 'where':
      return { ...p, input: mapPlanExprs(p.input, f), predicate: lam(p.predicate) };
    case 'metadata':
      return { ...p, input: mapPlanExprs(p.input, f), data: f(p.data) };
    case 'limit':
      return { ...p, input: mapPlanExprs(p.input, f) };
    case 'order-by':
      return { ...p, input: mapPlanExprs(p.input, f), key: lam(p.key) };
    case 'reduce':
      return { ...p, input: mapPlanExprs(p.input, f), args: p.args.map(f) };
    case 'hist':
      return {
        ...p,
        input: mapPlanExprs(p.input, f),
        axes: p.axes.map((a) => ({ ...a, value: lam(a.value) })),
        ...(p.weight ? { weight: lam(p.weight) } : {}),
        ...(p.categories
          ? {
              categories: p.categories.map((c) => ({
                ...c,
                labels: c.labels.map((l) => ({ ...l, fn: lam(l.fn) })),
              })),
            }
          : {}),
        ...(p.weights ? { weights: p.weights.map((w) => ({ ...w, fn: lam(w.fn) })) } : {}),
        ...(p.variations ? { variations: p.variations.map((v) => ({ ...v, fn: lam(v.fn) })) } : {}),
      };
    default:
      return assertNever(p, 'plan');
  }
}

/**
 * A copy without the analyzer's types (the plan as parsed or optimized, before `analyzePlan`): what travels to
 * worker threads and cluster processes, which bind it again against their own table (a bound plan repeats its
 * record types on every node, 3–5× the bytes for the ADL queries).
 */
export function unbindPlan(p: LogicalPlan): LogicalPlan {
  return mapPlanExprs(p, (e) =>
    rewriteExpr(e, (n) => {
      if (n.type === undefined) return n;
      const { type: _, ...rest } = n;
      return rest as Expr;
    }),
  );
}

/** The plan's nodes from the root down to the source. */
export function planChain(p: LogicalPlan): LogicalPlan[] {
  const out: LogicalPlan[] = [];
  let n: LogicalPlan | undefined = p;
  while (n) {
    out.push(n);
    n = n.kind === 'source' ? undefined : n.input;
  }
  return out;
}

/** A copy without source spans (for comparing plans built from different front ends). */
export function stripSpans<T extends Expr | LogicalPlan>(x: T): T {
  return JSON.parse(JSON.stringify(x, (k, v) => (k === 'span' ? undefined : v))) as T;
}

/** A value a query parameter can be bound to. */
export type ParameterValue = number | boolean | string;

/**
 * Bind named query parameters: every free name of the plan's expressions that `params` holds becomes that
 * value as a literal (a lambda's own parameters shadow them). The query text is never edited. Number and boolean
 * values are marked `param`: the planner folds and pushes them as any literal, the generated loop reads them at
 * run time (its code, and so its compiled function, does not depend on them).
 */
export function bindParameters(
  p: LogicalPlan,
  params: Readonly<Record<string, ParameterValue>>,
): LogicalPlan {
  const env = new Map<string, Expr>();
  for (const [k, v] of Object.entries(params))
    env.set(k, {
      kind: 'literal',
      value: v,
      ...(typeof v === 'number' && Number.isInteger(v) ? { integer: true } : {}),
      ...(typeof v === 'string' ? {} : { param: true as const }),
    });
  return env.size ? mapPlanExprs(p, (e) => substituteNames(e, env)) : p;
}
