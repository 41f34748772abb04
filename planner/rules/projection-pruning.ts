/**
 * Projection pruning: a `Select` building a dict keeps only the fields later stages read (when the dropped
 * ones cannot fail), so their expressions — and the branches only they read — disappear from the query.
 * Fields of the final result are all kept; so are fields of a row passed on whole.
 */
import { assertNever } from '../../exec/batch/index.js';
import { type Expr, exprChildren, histLambdas, type LambdaExpr } from '../ir/index.js';
import { isTotal } from './expr-utils.js';
import { fromStages, type Rule, type Stage, toStages, tupleRowSize } from './rule.js';

/** The fields of its parameter a lambda reads, or 'all' when it uses the parameter otherwise. */
function fieldsRead(l: LambdaExpr): Set<string> | 'all' {
  const p = l.params[0];
  const out = new Set<string>();
  let all = false;
  const go = (x: Expr, shadowed: boolean): void => {
    if (all) return;
    if (!shadowed) {
      if (x.kind === 'attr' && x.target.kind === 'name' && x.target.name === p) {
        out.add(x.name);
        return;
      }
      if (x.kind === 'method' && x.args.length === 0 && x.target.kind === 'name' && x.target.name === p) {
        out.add(x.name);
        return;
      }
      if (
        x.kind === 'index' &&
        x.target.kind === 'name' &&
        x.target.name === p &&
        x.index.kind === 'literal' &&
        typeof x.index.value === 'string'
      ) {
        out.add(x.index.value);
        return;
      }
      if (x.kind === 'name' && x.name === p) {
        all = true;
        return;
      }
    }
    const sh = shadowed || (x.kind === 'lambda' && p !== undefined && x.params.includes(p));
    for (const c of exprChildren(x)) go(c, sh);
  };
  go(l.body, false);
  return all ? 'all' : out;
}

/** Fields of the row made at stage i that the stages after it read (through filters, up to the consumer). */
function fieldsNeeded(stages: readonly Stage[], i: number): Set<string> | 'all' {
  const need = new Set<string>();
  const add = (l: LambdaExpr) => {
    const f = fieldsRead(l);
    if (f === 'all') return false;
    for (const x of f) need.add(x);
    return true;
  };
  for (let j = i + 1; j < stages.length; j++) {
    const s = stages[j]!;
    switch (s.kind) {
      case 'where':
        if (!add(s.predicate)) return 'all';
        break;
      case 'order-by':
        if (!add(s.key)) return 'all';
        break;
      case 'limit':
      case 'metadata':
        break;
      case 'select':
      case 'select-many':
        return add(s.selector) ? need : 'all';
      case 'hist':
        if (!histLambdas(s).every((l) => add(l))) return 'all';
        return need;
      case 'reduce':
        if (s.op === 'Count') return need;
        if ((s.op === 'Any' || s.op === 'All') && s.args[0]?.kind === 'lambda')
          return add(s.args[0]) ? need : 'all';
        return 'all';
      default:
        return assertNever(s, 'plan node');
    }
  }
  return 'all';
}

export const projectionPruning: Rule = {
  name: 'projection-pruning',
  description: 'drop dict fields of a Select that no later stage reads (fields that cannot fail)',
  apply(plan) {
    const { source, stages } = toStages(plan);
    for (let i = 0; i < stages.length; i++) {
      const s = stages[i]!;
      if (s.kind !== 'select' || s.selector.body.kind !== 'dict') continue;
      const need = fieldsNeeded(stages, i);
      if (need === 'all') continue;
      const d = s.selector.body;
      const k = tupleRowSize(stages, i);
      const rows =
        k !== undefined && s.selector.params[0]
          ? new Map([[s.selector.params[0], k]])
          : new Map<string, number>();
      let keep = d.keys.map((key, j) => need.has(key) || !isTotal(d.values[j]!, rows));
      if (!keep.some(Boolean)) keep = d.keys.map((_k, j) => j === 0);
      if (keep.every(Boolean)) continue;
      const dropped = d.keys.filter((_k, j) => !keep[j]);
      const body = {
        ...d,
        keys: d.keys.filter((_k, j) => keep[j]),
        values: d.values.filter((_v, j) => keep[j]),
      };
      const next = [...stages];
      next[i] = { ...s, selector: { ...s.selector, body } };
      return {
        plan: fromStages(source, next),
        detail: `dropped unread field(s) ${dropped.map((k) => `'${k}'`).join(', ')} of a Select`,
      };
    }
    return undefined;
  },
};
