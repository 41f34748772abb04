/** Picking one element: First, Last, ElementAt, FirstOrDefault, and OrderBy(...).First() as an argmin scan. */
import type { Expr } from '../../planner/ir/index.js';
import { asColl, intArg } from './collection-ops.js';
import type { ExprCompiler, Scope } from './compile-expr.js';
import { capture, materialise } from './hold.js';
import { type CollValue, leavesOf, rebuild, scalar, type Value } from './values.js';

type OpExpr = Expr & { kind: 'op' };

/** A literal negative index (`xs[-1]`, `ElementAt(-2)`): counted from the end, as in Python. */
function fromEnd(e: OpExpr): boolean {
  const a = e.args[0];
  return e.op === 'ElementAt' && a?.kind === 'literal' && typeof a.value === 'number' && a.value < 0;
}

/**
 * First / Last / ElementAt / FirstOrDefault. First and Last of an empty collection are None (NaN leaves, so
 * integers come back as floats, as Min and Max do), FirstOrDefault-style, so one event does not abort the query
 * (func_adl_uproot's `xs[:, 0]` raises there); the fused GPU kernels give the same. ElementAt out of range is an
 * error.
 */
export function pick(c: ExprCompiler, src0: CollValue, e: OpExpr, scope: Scope): Value {
  const em = c.em;
  const src = fromEnd(e) && !(src0.len && src0.at) ? materialise(c, src0, e, true) : src0;
  if (src.len && src.at) {
    const len = em.bind(src.len(em), 'n');
    let idx: string;
    if (e.op === 'ElementAt') {
      const i = intArg(c, e, scope);
      // A constant stays a constant (a Choose combination is indexed by constants only).
      const k = /^-?\d+$/.test(i) ? Number(i) : undefined;
      idx =
        k === undefined ? em.bind(`(${i} < 0 ? ${len} + ${i} : ${i})`, 'k') : k < 0 ? `(${len} - ${-k})` : i;
      em.line(`if (!(${idx} >= 0 && ${idx} < ${len})) H.outOfRange(${i}, ${len}${where(e)});`);
    } else idx = e.op === 'Last' ? `(${len} - 1)` : '0';
    const v = src.at(em, idx);
    if (e.op === 'ElementAt') return v;
    // None (NaN leaves) for an empty collection, without reading past its end.
    const leaves = leavesOf(v);
    if (!leaves) return c.fail(`${e.op} of a collection of collections`, e);
    return noneable(
      rebuild(
        v,
        leaves.map((l) => `(${len} > 0 ? ${l} : NaN)`),
      ),
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
  if (e.op === 'ElementAt') {
    em.line(`if (!${found}) H.outOfRange(${target}, ${cnt}${where(e)});`);
    return cap.value();
  }
  cap.orNone(found);
  return noneable(cap.value());
}

/** A picked value that may be None: integer leaves widen to float64 so NaN survives into the output. */
function noneable(v: Value): Value {
  switch (v.k) {
    case 'scalar':
      return v.type === 'int32' || v.type === 'uint32' ? scalar(v.code, 'float64') : v;
    case 'record':
      return { ...v, values: v.values.map(noneable) };
    default:
      return v;
  }
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
  cap.orNone(found);
  return noneable(cap.value());
}

/** Extra arguments locating a runtime error at the operator in the query text. */
export function where(e: Expr): string {
  return e.span ? `, ${e.span.start}, ${e.span.end}` : '';
}
