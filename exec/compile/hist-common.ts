/**
 * Common subexpressions of a categorised `Hist`'s lambdas: a reduction over a collection (`Count`, `Sum`, …)
 * that several of them compute — the jet and b-tag counts every region predicate and the observable use — is
 * evaluated once per row version and read as a field. Only expressions that cannot fail are hoisted (no
 * First/Last/ElementAt, no indexing, no division), so computing them before the category guard is safe.
 */
import {
  type Expr,
  ex,
  exprChildren,
  exprText,
  freeNames,
  type LambdaExpr,
  mapChildren,
  opDef,
  type TypeRule,
} from '../../planner/ir/index.js';

/** Operators reducing a collection to one value (Count, Sum, Min, Max, Any, All), by their type rule. */
const REDUCTIONS: ReadonlySet<TypeRule> = new Set(['count', 'sum', 'extremum', 'quantifier']);
const SAFE_CALLS = new Set([
  'Zip',
  'abs',
  'sqrt',
  'exp',
  'sin',
  'cos',
  'tan',
  'sinh',
  'cosh',
  'tanh',
  'atan2',
  'hypot',
]);

function safe(x: Expr): boolean {
  switch (x.kind) {
    case 'op':
      return opDef(x.op).total && safe(x.source) && x.args.every(safe);
    case 'index':
      return false;
    case 'call':
      return SAFE_CALLS.has(x.name) && x.args.every(safe);
    case 'binary':
      return x.op !== '//' && x.op !== '%' && safe(x.left) && safe(x.right);
    default:
      return exprChildren(x).every(safe);
  }
}

/** Visit the subexpressions of `body` where `param` still means the row (not under a lambda rebinding it). */
function visit(body: Expr, param: string, f: (x: Expr) => boolean): void {
  const go = (x: Expr) => {
    if (x.kind === 'lambda' && x.params.includes(param)) return;
    if (f(x)) return;
    for (const c of exprChildren(x)) go(c);
  };
  go(body);
}

/** The reductions used at least twice over `lambdas` (all of one parameter `param`), innermost first. */
export function commonReductions(lambdas: readonly LambdaExpr[], param: string): Expr[] {
  const seen = new Map<string, { e: Expr; n: number }>();
  for (const l of lambdas)
    visit(l.body, param, (x) => {
      if (x.kind !== 'op' || !REDUCTIONS.has(opDef(x.op).type)) return false;
      const free = freeNames(x);
      if ([...free].some((n) => n !== param) || !safe(x)) return false;
      const k = exprText(x);
      const s = seen.get(k);
      if (s) s.n++;
      else seen.set(k, { e: x, n: 1 });
      return false; // inner reductions may be shared too
    });
  return [...seen.entries()]
    .filter(([, s]) => s.n >= 2)
    .sort((a, b) => a[0].length - b[0].length)
    .map(([, s]) => s.e);
}

/** `body` with each occurrence of a hoisted expression (by text) replaced by `param.field`. */
export function substituteCommon(body: Expr, param: string, fields: ReadonlyMap<string, string>): Expr {
  const go = (x: Expr): Expr => {
    if (x.kind === 'lambda' && x.params.includes(param)) return x;
    // Only reductions are hoisted: the text (linear in the subtree) is made for those alone, not for every node.
    const f = x.kind === 'op' && REDUCTIONS.has(opDef(x.op).type) ? fields.get(exprText(x)) : undefined;
    if (f !== undefined) return ex.attr(ex.name(param), f);
    return mapChildren(x, go);
  };
  return go(body);
}
