/**
 * Limit pushdown: `Skip/Take` moves below `Select` (when the selector cannot fail) and `MetaData`, toward
 * the scan, so fewer rows are computed; two adjacent limits merge into one (`Take(10).Take(5)` → `Take(5)`).
 */
import type { LimitPlan } from '../ir/index.js';
import { fromStages, type Rule, type Stage, stageTotal, toStages } from './rule.js';

const text = (l: LimitPlan) => `Limit skip=${l.skip}${l.take !== undefined ? ` take=${l.take}` : ''}`;

/** `inner` then `outer` as one limit. */
export function mergeLimits(inner: LimitPlan, outer: LimitPlan): LimitPlan {
  const innerTake = inner.take ?? Number.POSITIVE_INFINITY;
  const outerTake = outer.take ?? Number.POSITIVE_INFINITY;
  const take = Math.max(0, Math.min(innerTake - outer.skip, outerTake));
  const { take: _unused, ...rest } = inner;
  return { ...rest, skip: inner.skip + outer.skip, ...(Number.isFinite(take) ? { take } : {}) };
}

export const limitPushdown: Rule = {
  name: 'limit-pushdown',
  description: 'move Skip/Take below Select (total selector) and MetaData; merge adjacent limits',
  apply(plan) {
    const { source, stages } = toStages(plan);
    for (let i = 1; i < stages.length; i++) {
      const l = stages[i]!;
      const prev = stages[i - 1]!;
      if (l.kind !== 'limit') continue;
      const rebuild = (mid: Stage[]) =>
        fromStages(source, [...stages.slice(0, i - 1), ...mid, ...stages.slice(i + 1)]);
      if (prev.kind === 'limit') {
        const merged = mergeLimits(prev, l);
        return {
          plan: rebuild([merged]),
          detail: `merged ${text(prev)} and ${text(l)} into ${text(merged)}`,
        };
      }
      if (prev.kind === 'metadata' || (prev.kind === 'select' && stageTotal(stages, i - 1, prev.selector)))
        return {
          plan: rebuild([{ ...l }, { ...prev }]),
          detail: `moved ${text(l)} below ${prev.kind === 'select' ? 'Select' : 'MetaData'}`,
        };
    }
    return undefined;
  },
};
