/**
 * Common-subexpression elimination for filters: a repeated operand of `and`/`or` is evaluated once, and a
 * `Where` identical (up to its parameter's name) to an earlier one in the same run of Wheres is dropped.
 * Both are exact: a repeat only runs where its first occurrence already gave the same answer.
 */
import {
  type Expr,
  exprText,
  type LambdaExpr,
  mapPlanExprs,
  rewriteExpr,
  substituteNames,
} from '../ir/index.js';
import { exprKey } from './expr-utils.js';
import { fromStages, type Rule, type Stage, toStages } from './rule.js';

/** A key of a lambda that ignores its parameters' names. */
export function lambdaKey(l: LambdaExpr): string {
  const env = new Map<string, Expr>(l.params.map((p, i) => [p, { kind: 'name', name: `$${i}` }]));
  return exprKey(substituteNames(l.body, env));
}

function dedupeOperands(e: Expr): Expr {
  if (e.kind !== 'bool') return e;
  const seen = new Set<string>();
  const operands = e.operands.filter((o) => {
    const k = exprKey(o);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (operands.length === e.operands.length) return e;
  return operands.length === 1 ? operands[0]! : { ...e, operands };
}

export const commonSubexpressions: Rule = {
  name: 'common-subexpressions',
  description: 'evaluate a repeated and/or operand once; drop a Where that repeats an earlier adjacent one',
  apply(plan) {
    const details: string[] = [];
    const rewritten = mapPlanExprs(plan, (e) =>
      rewriteExpr(e, (x) => {
        const y = dedupeOperands(x);
        if (y !== x) details.push(`${exprText(x)} → ${exprText(y)}`);
        return y;
      }),
    );
    const { source, stages } = toStages(rewritten);
    const kept: Stage[] = [];
    let run = new Set<string>();
    for (const s of stages) {
      if (s.kind !== 'where') {
        run = new Set();
        kept.push(s);
        continue;
      }
      const k = lambdaKey(s.predicate);
      if (run.has(k)) {
        details.push(`dropped repeated Where ${exprText(s.predicate)}`);
        continue;
      }
      run.add(k);
      kept.push(s);
    }
    if (!details.length) return undefined;
    return { plan: fromStages(source, kept), detail: details.join('; ') };
  },
};
