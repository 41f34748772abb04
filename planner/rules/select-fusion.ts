/**
 * Select fusion: `Select(f).Select(g)` → `Select(g ∘ f)` by substitution, when `f` cannot fail (fields `g`
 * ignores are no longer computed) and the cost model finds the fused selector no more expensive (a field
 * read many times, or inside a per-item lambda, would be recomputed, so those stay apart).
 */
import { exprText } from '../ir/index.js';
import { duplicatesWork } from './expr-utils.js';
import { composeThrough } from './predicate-pushdown.js';
import { fromStages, type Rule, stageTotal, toStages } from './rule.js';

export const selectFusion: Rule = {
  name: 'select-fusion',
  description: 'fuse adjacent Selects by substitution when that costs no more',
  apply(plan, ctx) {
    const { source, stages } = toStages(plan);
    for (let i = 1; i < stages.length; i++) {
      const g = stages[i]!;
      const f = stages[i - 1]!;
      if (g.kind !== 'select' || f.kind !== 'select' || !stageTotal(stages, i - 1, f.selector)) continue;
      if (duplicatesWork(g.selector, f.selector)) continue;
      const fused = composeThrough(g.selector, f.selector);
      if (!fused) continue;
      const candidate = fromStages(source, [
        ...stages.slice(0, i - 1),
        { ...g, selector: fused },
        ...stages.slice(i + 1),
      ]);
      const before = ctx.cost.planUnits(plan);
      const after = ctx.cost.planUnits(candidate);
      if (after > before * (1 + 1e-9)) continue;
      return { plan: candidate, detail: `fused two Selects into ${exprText(fused)}` };
    }
    return undefined;
  },
};
