/**
 * One item of a collection of records as a translated value: its fields indexed at the item (a four-vector
 * field built from its component lists), or a four-vector when the items are. The item of `OrderBy(…).First()`
 * may be None (an empty collection): its fields are then NaN where SQL would give NULL, as the loop's are.
 */
import type { Expr } from '../../planner/ir/index.js';
import type { ExprContext } from './exprs.js';
import { toP4 } from './p4.js';
import { componentKeys, type Records, type RecordV, type Scalar, scalar, type V } from './values.js';

/**
 * The item at the 1-based index `i` (SQL) of `src`; `i` undefined: the lists are already the item's values (an
 * unnested row). `none`: the index may be NULL (no item), so every field is NaN then.
 */
export function itemRecord(
  ctx: ExprContext,
  src: Records,
  i: string | undefined,
  at: Expr | { readonly span?: { start: number; end: number } },
  none = false,
): V {
  const leaf = (c: { sql: string; t: Scalar['t'] }): Scalar => {
    const x = i === undefined ? c.sql : `${c.sql}[${i}]`;
    if (!none) return scalar(x, c.t);
    return scalar(`coalesce((${x})::DOUBLE, 'nan'::DOUBLE)`, c.t, true);
  };
  // hoisting an item's Cartesian components needs its lists indexed by a (non-NULL) item index
  const hoisting = i !== undefined && !none;
  const comps = componentKeys(src);
  const fields = new Map<string, V>();
  // a boolean field of an item that may be None is left out (None is no SQL boolean): using it is refused
  for (const [f, c] of src.fields) if (!comps.has(f) && !(none && c.t === 'bool')) fields.set(f, leaf(c));
  for (const [f, cs] of src.p4Fields ?? []) {
    const lists = new Map([...cs].map(([comp, key]) => [comp, src.fields.get(key)!]));
    const sub: RecordV = {
      k: 'record',
      fields: new Map([...lists].map(([comp, c]) => [comp, leaf(c)])),
      ...(hoisting ? { item: { lists, index: i } } : {}),
    };
    fields.set(f, toP4(sub, at, hoisting ? ctx.hoist : undefined, ctx.names));
  }
  const r: RecordV = {
    k: 'record',
    fields,
    ...(hoisting ? { item: { lists: src.fields, index: i } } : {}),
  };
  return src.p4 ? toP4(r, at, hoisting ? ctx.hoist : undefined, ctx.names) : r;
}
