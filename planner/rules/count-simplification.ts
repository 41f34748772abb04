/**
 * Count simplification: the length of a collection does not depend on what a `Select` or an `OrderBy` does to
 * its items, and a concatenation's length is the sum of its parts' — `xs.Select(f).Count()` → `xs.Count()`
 * (when `f` cannot fail), `a.Concat(b).Count()` → `a.Count() + b.Count()`. Filters that only count objects
 * then read the collections' offsets instead of their members' branches.
 */
import { type Expr, exprText, mapPlanExprs, opDef, rewriteExpr } from '../ir/index.js';
import { isTotal } from './expr-utils.js';
import type { Rule } from './rule.js';

/** One step on a `….Count()` whose source is already simplified. */
export function simplifyCount(e: Expr): Expr {
  if (e.kind !== 'op' || e.op !== 'Count' || e.args.length) return e;
  const src = e.source;
  if (src.kind !== 'op') return e;
  const count = (source: Expr): Expr => simplifyCount({ ...e, source });
  // Select, OrderBy, ToFourMomenta, …: one item per item (the operator definitions say which).
  if (opDef(src.op).sameLength) {
    const lam = src.args[0];
    if (lam && (lam.kind !== 'lambda' || !isTotal(lam.body))) return e;
    return count(src.source);
  }
  if (src.op === 'Concat') {
    const other = src.args[0];
    if (!other) return e;
    return {
      kind: 'binary',
      op: '+',
      left: count(src.source),
      right: count(other),
      ...(e.span ? { span: e.span } : {}),
    };
  }
  return e;
}

export const countSimplification: Rule = {
  name: 'count-simplification',
  description: 'xs.Select(f).Count() → xs.Count(); a.Concat(b).Count() → a.Count() + b.Count()',
  apply(plan) {
    const changes: string[] = [];
    const out = mapPlanExprs(plan, (x) =>
      rewriteExpr(x, (e) => {
        const y = simplifyCount(e);
        if (y !== e) changes.push(`${exprText(e)} → ${exprText(y)}`);
        return y;
      }),
    );
    return changes.length ? { plan: out, detail: changes.join('; ') } : undefined;
  },
};
