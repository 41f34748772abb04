/** The optimizer rule contract and the plan-chain helpers every rule shares. */

import type { CostModel } from '../cost/index.js';
import type { LambdaExpr, LogicalPlan, SourcePlan } from '../ir/index.js';
import { isTotal } from './expr-utils.js';

/** A plan node other than the source: it has an input. */
export type Stage = Exclude<LogicalPlan, SourcePlan>;

/** What a rule sees besides the plan: the cost model (statistics, selectivities, rates). */
export interface RuleContext {
  readonly cost: CostModel;
}

/** A rewrite the rule made: the new plan and one line saying what changed (for the trace). */
export interface RuleResult {
  readonly plan: LogicalPlan;
  readonly detail: string;
}

/**
 * An optimizer rule: pure, it returns the rewritten plan and what it did, or undefined when it has nothing
 * to do. The driver owns traversal order, the fixpoint, timing, disabling by name and re-checking types.
 */
export interface Rule {
  readonly name: string;
  readonly description: string;
  apply(plan: LogicalPlan, ctx: RuleContext): RuleResult | undefined;
}

/** The plan as its source and its stages from the source upward (the order the executor runs them). */
export function toStages(plan: LogicalPlan): { source: SourcePlan; stages: Stage[] } {
  const stages: Stage[] = [];
  let n: LogicalPlan = plan;
  while (n.kind !== 'source') {
    stages.push(n);
    n = n.input;
  }
  return { source: n, stages: stages.reverse() };
}

/** Rebuild a plan from its source and stages (source upward), relinking every input. */
export function fromStages(source: SourcePlan, stages: readonly Stage[]): LogicalPlan {
  let p: LogicalPlan = source;
  for (const s of stages) p = { ...s, input: p } as LogicalPlan;
  return p;
}

/**
 * Apply `f` to each stage (source upward) until one returns a replacement run of stages; returns the rebuilt
 * plan and the detail, or undefined when no stage changed. `f` sees the stage index and all stages.
 */
export function rewriteFirst(
  plan: LogicalPlan,
  f: (i: number, stages: readonly Stage[]) => { replace: number; with: Stage[]; detail: string } | undefined,
): RuleResult | undefined {
  const { source, stages } = toStages(plan);
  for (let i = 0; i < stages.length; i++) {
    const r = f(i, stages);
    if (!r) continue;
    const next = [...stages.slice(0, i), ...r.with, ...stages.slice(i + r.replace)];
    return { plan: fromStages(source, next), detail: r.detail };
  }
  return undefined;
}

/** The size of the tuple rows entering stage i (from the nearest Select before it), if they are tuples. */
export function tupleRowSize(stages: readonly Stage[], i: number): number | undefined {
  for (let j = i - 1; j >= 0; j--) {
    const s = stages[j]!;
    if (s.kind === 'select')
      return s.selector.body.kind === 'tuple' ? s.selector.body.items.length : undefined;
    if (s.kind === 'select-many') return undefined;
  }
  return undefined;
}

/** Whether a lambda of stage i cannot fail (its parameter indexed as a tuple row where it is one). */
export function stageTotal(stages: readonly Stage[], i: number, l: LambdaExpr): boolean {
  const k = tupleRowSize(stages, i);
  return isTotal(l.body, k !== undefined && l.params[0] ? new Map([[l.params[0], k]]) : new Map());
}
