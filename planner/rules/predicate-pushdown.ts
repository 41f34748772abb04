/**
 * Predicate pushdown: move a `Where` below the stage before it, so event filters run as early as possible
 * (and simple comparisons on columns reach the scan, which then skips clusters with no passing entry).
 * - past `MetaData` always;
 * - past `OrderBy` when the key cannot fail (the sort is stable, so survivors keep their order);
 * - past `Select(f)` by substitution, `Where(p)` after `Select(f)` → `Where(p ∘ f)` before it, when `f`
 *   cannot fail (it will then run on fewer rows) and the cost model finds the result no more expensive —
 *   or the pushed filter is a plain column comparison the scan can use.
 */
import { type Expr, exprText, type LambdaExpr, rewriteExpr } from '../ir/index.js';
import { foldNode } from './constant-folding.js';
import { conjuncts, duplicatesWork, substituteSafely, withBody } from './expr-utils.js';
import { fromStages, type Rule, type Stage, stageTotal, toStages } from './rule.js';

/** `e.col op number` (either way round) on the lambda's parameter: what a connector can take as a filter. */
export function isScanComparison(l: LambdaExpr): boolean {
  const p = l.params[0];
  const col = (x: Expr) => x.kind === 'attr' && x.target.kind === 'name' && x.target.name === p;
  const n = (x: Expr) => x.kind === 'literal' && typeof x.value === 'number';
  return conjuncts(l.body).every(
    (c) => c.kind === 'compare' && ((col(c.left) && n(c.right)) || (n(c.left) && col(c.right))),
  );
}

/** `p ∘ f`: the predicate over the Select's input, with record-literal projections folded away. */
export function composeThrough(pred: LambdaExpr, selector: LambdaExpr): LambdaExpr | undefined {
  if (pred.params.length !== 1 || selector.params.length !== 1) return undefined;
  const body = substituteSafely(pred.body, new Map([[pred.params[0]!, selector.body]]));
  if (!body) return undefined;
  return withBody(pred, rewriteExpr(body, foldNode), selector.params);
}

/** Largest selectivity for which a plain column comparison is pushed for the scan even at a higher CPU cost. */
export const SCAN_SELECTIVITY = 0.1;

export const predicatePushdown: Rule = {
  name: 'predicate-pushdown',
  description: 'move Where below MetaData, OrderBy (total key) and Select (total selector, by substitution)',
  apply(plan, ctx) {
    const { source, stages } = toStages(plan);
    for (let i = 1; i < stages.length; i++) {
      const w = stages[i]!;
      const prev = stages[i - 1]!;
      if (w.kind !== 'where') continue;
      const swap = (moved: Stage, detail: string) => {
        const next = [...stages.slice(0, i - 1), moved, { ...prev } as Stage, ...stages.slice(i + 1)];
        return { plan: fromStages(source, next), detail };
      };
      if (prev.kind === 'metadata') return swap(w, `moved ${exprText(w.predicate)} below MetaData`);
      if (prev.kind === 'order-by' && stageTotal(stages, i - 1, prev.key))
        return swap(
          w,
          `moved ${exprText(w.predicate)} below ${prev.descending ? 'OrderByDescending' : 'OrderBy'}`,
        );
      if (prev.kind !== 'select' || !stageTotal(stages, i - 1, prev.selector)) continue;
      if (duplicatesWork(w.predicate, prev.selector)) continue;
      const pushed = composeThrough(w.predicate, prev.selector);
      if (!pushed) continue;
      const candidate = swap({ ...w, predicate: pushed }, '');
      // Per event reaching the pair: Select then filter, against the composed filter then the Select on the
      // survivors. Both use the pushed form's selectivity (the event-level one is the better informed).
      const keep = ctx.cost.selectivity(pushed).value;
      const f = ctx.cost.lambdaCost(prev.selector);
      const before = f + ctx.cost.lambdaCost(w.predicate);
      const after = ctx.cost.lambdaCost(pushed) + keep * f;
      // A scan filter pays only when it can skip clusters: a selective one (a filter keeping most events
      // skips none, and the connector's filter pass then costs more than it saves).
      const scan =
        isScanComparison(pushed) &&
        keep <= SCAN_SELECTIVITY &&
        stages.slice(0, i - 1).every((s) => s.kind === 'where' || s.kind === 'metadata');
      if (after > before * (1 + 1e-9) && !scan) continue;
      return {
        plan: candidate.plan,
        detail: `moved ${exprText(w.predicate)} below Select as ${exprText(pushed)} (cost ${fmt(before)} → ${fmt(after)} units per event reaching it${scan ? ', a scan filter' : ''})`,
      };
    }
    return undefined;
  },
};

const fmt = (x: number) => x.toPrecision(3);
