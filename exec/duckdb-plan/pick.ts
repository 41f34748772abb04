/**
 * `xs.OrderBy(f).First()` (and `OrderByDescending`) inside events, as the loop's argmin scan
 * (`exec/compile/pick-ops.ts`): the first item whose key is the smallest (largest) that is not NaN — what a
 * stable sort puts first — or the first item when every key is NaN; None (NaN fields) for an empty collection.
 * In SQL: the keys as a list, the position of the first one equal to the extreme of those that are not NaN
 * (`list_position`: the first equal; NaN equals NaN in DuckDB, so all-NaN keys give 1, and an empty list NULL).
 * At the event level the keys and the chosen item are computed once per event (hoisted columns).
 */
import type { OpExpr } from '../../planner/ir/index.js';
import { itemLambda } from './collections.js';
import { asScalar, type Env, type ExprContext, translateExpr } from './exprs.js';
import { itemRecord } from './items.js';
import { ident, refuse, scalar, type V } from './values.js';

export function pickFirst(ctx: ExprContext, order: OpExpr, env: Env): V {
  const src = translateExpr(ctx, order.source, env);
  if (src.k !== 'list' && src.k !== 'records') return refuse(`${order.op} of a ${src.k}`, order);
  // per-event columns only where no lambda's item is in scope (the SQL reads the relation's columns alone)
  const once = (sql: string) => (ctx.hoist && ctx.lambdas.depth === 0 ? ident(ctx.hoist(sql)) : `(${sql})`);
  const { param, body, over } = itemLambda(ctx, src, order.args[0], env, order);
  const key = asScalar(body, order, 'a number');
  if (key.t === 'bool') return refuse(`${order.op} with a boolean key`, order);
  const keys = once(`list_transform(${over}, lambda ${param}: ${key.sql})`);
  const k = ctx.names.next('x');
  const extreme = order.op === 'OrderByDescending' ? 'list_max' : 'list_min';
  // DuckDB orders NaN above every number: the extreme is taken of the keys that are not NaN
  const best =
    key.t === 'int'
      ? `${extreme}(${keys})`
      : `coalesce(${extreme}(list_filter(${keys}, lambda ${k}: NOT isnan(${k}))), 'nan'::DOUBLE)`;
  const chosen = once(`(${over})[list_position(${keys}, ${best})]`);
  if (src.k === 'list') {
    if (src.t === 'bool') return refuse(`${order.op}(…).First() of booleans`, order);
    return scalar(`coalesce((${chosen})::DOUBLE, 'nan'::DOUBLE)`, src.t, true);
  }
  if (src.combo)
    return {
      k: 'tuple',
      items: Array.from({ length: src.combo }, (_, n) =>
        itemRecord(ctx, src, `${chosen}[${n + 1}]`, order, true),
      ),
    };
  return itemRecord(ctx, src, chosen, order, true);
}
