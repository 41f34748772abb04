/**
 * Split a `Where` whose predicate is a conjunction into one `Where` per operand, in the same order:
 * `Where(a and b)` ≡ `Where(a).Where(b)` (b is still only evaluated where a holds), so each operand can
 * then be ordered, pushed below a Select, or offered to the scan on its own.
 */

import { exprText } from '../ir/index.js';
import { conjuncts, withBody } from './expr-utils.js';
import { type Rule, rewriteFirst, type Stage } from './rule.js';

export const splitConjunction: Rule = {
  name: 'split-conjunction',
  description: 'Where(a and b) becomes Where(a).Where(b), keeping the evaluation order',
  apply(plan) {
    return rewriteFirst(plan, (i, stages) => {
      const s = stages[i]!;
      if (s.kind !== 'where') return undefined;
      const parts = conjuncts(s.predicate.body);
      if (parts.length < 2) return undefined;
      const replacement: Stage[] = parts.map((body) => ({ ...s, predicate: withBody(s.predicate, body) }));
      return {
        replace: 1,
        with: replacement,
        detail: `split ${exprText(s.predicate)} into ${parts.length} filters`,
      };
    });
  },
};
