/**
 * Order each run of adjacent `Where`s by rank = cost / (1 − selectivity), cheapest-and-most-selective first.
 * Only filters that cannot fail move: a filter that may fail (First() of a possibly empty collection) stays
 * where it is, and no filter crosses it, so the filters before it still guard it.
 */
import { exprText } from '../ir/index.js';
import { type Rule, rewriteFirst, type Stage, stageTotal } from './rule.js';

export const filterOrder: Rule = {
  name: 'filter-order',
  description: 'order adjacent filters by cost × selectivity (total filters only; failing ones are barriers)',
  apply(plan, ctx) {
    return rewriteFirst(plan, (i, stages) => {
      if (stages[i]!.kind !== 'where' || (i > 0 && stages[i - 1]!.kind === 'where')) return undefined;
      let end = i;
      while (end < stages.length && stages[end]!.kind === 'where') end++;
      const run = stages.slice(i, end) as Extract<Stage, { kind: 'where' }>[];
      if (run.length < 2) return undefined;
      const ordered: typeof run = [];
      let segment: typeof run = [];
      const flush = () => {
        const ranked = segment.map((w, k) => ({ w, k, r: ctx.cost.rank(w.predicate) }));
        ranked.sort((a, b) => a.r - b.r || a.k - b.k);
        ordered.push(...ranked.map((x) => x.w));
        segment = [];
      };
      for (const w of run) {
        if (stageTotal(stages, i, w.predicate)) segment.push(w);
        else {
          flush();
          ordered.push(w);
        }
      }
      flush();
      if (ordered.every((w, k) => w === run[k])) return undefined;
      return {
        replace: run.length,
        with: ordered,
        detail: `ordered ${ordered.map((w) => `${exprText(w.predicate.body)} (rank ${fmt(ctx.cost.rank(w.predicate))})`).join(', then ')}`,
      };
    });
  },
};

const fmt = (x: number) => (Number.isFinite(x) ? x.toPrecision(3) : '∞');
