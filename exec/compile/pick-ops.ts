/** Picking one element: First, Last, ElementAt, FirstOrDefault, and OrderBy(...).First() as an argmin scan. */
import type { Expr } from '../../planner/ir/index.js';
import { asColl, intArg } from './collection-ops.js';
import type { ExprCompiler, Scope } from './compile-expr.js';
import { capture } from './hold.js';
import { type CollValue, leavesOf, rebuild, type Value } from './values.js';

type OpExpr = Expr & { kind: 'op' };

/** First / Last / ElementAt / FirstOrDefault. Empty collections are an error except for FirstOrDefault. */
export function pick(c: ExprCompiler, src: CollValue, e: OpExpr, scope: Scope): Value {
  const em = c.em;
  if (src.len && src.at) {
    const len = em.bind(src.len(em), 'n');
    let idx: string;
    if (e.op === 'ElementAt') {
      idx = intArg(c, e, scope);
      em.line(`if (!(${idx} >= 0 && ${idx} < ${len})) H.outOfRange(${idx}, ${len}${where(e)});`);
    } else {
      if (e.op !== 'FirstOrDefault') em.line(`if (${len} === 0) H.empty('${e.op}'${where(e)});`);
      idx = e.op === 'Last' ? `(${len} - 1)` : '0';
    }
    const v = src.at(em, idx);
    if (e.op !== 'FirstOrDefault') return v;
    // None (NaN leaves) for an empty collection, without reading past its end.
    const leaves = leavesOf(v);
    if (!leaves) return c.fail('FirstOrDefault of a collection of collections', e);
    return rebuild(
      v,
      leaves.map((l) => `(${len} > 0 ? ${l} : NaN)`),
    );
  }
  const cap = capture(c, e);
  const found = em.fresh('f');
  const exit = em.fresh('L');
  const target = e.op === 'ElementAt' ? intArg(c, e, scope) : '0';
  const cnt = em.fresh('i');
  em.line(`let ${found} = false, ${cnt} = 0;`);
  em.block(`${exit}:`, () =>
    src.loop(em, (el) => {
      if (e.op === 'Last') {
        cap.store(el);
        em.line(`${found} = true;`);
        return;
      }
      em.block(`if (${cnt}++ === ${target})`, () => {
        cap.store(el);
        em.line(`${found} = true;`);
        em.line(`break ${exit};`);
      });
    }),
  );
  if (e.op === 'ElementAt') em.line(`if (!${found}) H.outOfRange(${target}, ${cnt}${where(e)});`);
  else if (e.op !== 'FirstOrDefault') em.line(`if (!${found}) H.empty('${e.op}'${where(e)});`);
  return cap.value();
}

/** `xs.OrderBy(f).First()`: keep the element with the smallest key (the first such, as a stable sort would). */
export function orderedPick(c: ExprCompiler, order: OpExpr, op: 'First' | 'Last', scope: Scope): Value {
  const em = c.em;
  const src = asColl(c, c.compile(order.source, scope), order.source, order.op);
  const desc = order.op === 'OrderByDescending';
  // Ascending First: strict <; ascending Last: >=; descending First: strict >; descending Last: <=.
  const better = op === 'First' ? (desc ? '>' : '<') : desc ? '<=' : '>=';
  const cap = capture(c, order);
  const best = em.fresh('bk');
  const found = em.fresh('f');
  em.line(`let ${best} = NaN, ${found} = false;`);
  src.loop(em, (el) => {
    const k = em.bind(c.num(c.apply(order.args[0]!, [el], scope), order.args[0]!), 'key');
    em.block(`if (!${found} || ${k} ${better} ${best} || (${best} !== ${best} && ${k} === ${k}))`, () => {
      cap.store(el);
      em.line(`${best} = ${k};`);
      em.line(`${found} = true;`);
    });
  });
  em.line(`if (!${found}) H.empty('${op}'${where(order)});`);
  return cap.value();
}

/** Extra arguments locating a runtime error at the operator in the query text. */
export function where(e: Expr): string {
  return e.span ? `, ${e.span.start}, ${e.span.end}` : '';
}
