/** The optimizer rules, one per file, in the order the driver runs them. */
import { commonSubexpressions } from './common-subexpressions.js';
import { constantFolding } from './constant-folding.js';
import { countSimplification } from './count-simplification.js';
import { filterOrder } from './filter-order.js';
import { limitPushdown } from './limit-pushdown.js';
import { predicatePushdown } from './predicate-pushdown.js';
import { projectionPruning } from './projection-pruning.js';
import type { Rule } from './rule.js';
import { selectFusion } from './select-fusion.js';
import { splitConjunction } from './split-conjunction.js';

export { conjuncts, isTotal, substituteSafely } from './expr-utils.js';
export { composeThrough, isScanComparison } from './predicate-pushdown.js';
export type { Rule, RuleContext, RuleResult, Stage } from './rule.js';
export {
  commonSubexpressions,
  constantFolding,
  countSimplification,
  filterOrder,
  limitPushdown,
  predicatePushdown,
  projectionPruning,
  selectFusion,
  splitConjunction,
};

/** The default rule list: simplify, split filters, push them and limits down, prune and fuse, then order filters. */
export const DEFAULT_RULES: readonly Rule[] = [
  constantFolding,
  commonSubexpressions,
  splitConjunction,
  predicatePushdown,
  countSimplification,
  projectionPruning,
  selectFusion,
  limitPushdown,
  filterOrder,
];
