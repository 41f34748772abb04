/** The func_adl sequence operators over staged collections: fused loops, early exits, materialisation when needed. */

import { type Expr, type QType, typeText } from '../../planner/ir/index.js';
import { HepqError } from '../batch/index.js';
import type { ExprCompiler, Scope } from './compile-expr.js';
import type { Emitter } from './emitter.js';
import { zipRecord } from './hold.js';
import { cartesian } from './p4.js';
import { type CollValue, lazyValues, type P4Value, scalar, scalarTypeOf, type Value } from './values.js';

export type OpExpr = Expr & { kind: 'op' };

export function asColl(c: ExprCompiler, v: Value, e: Expr, op: string): CollValue {
  if (v.k === 'record' && op === 'ToFourMomenta') return zipRecord(c, v, e);
  if (v.k !== 'coll') return c.fail(`${op} needs a collection, got a ${v.k}`, e);
  return v;
}

/**
 * `Select` without materialising: indexable sources stay indexable, and a Choose combination stays one that
 * can be kept (its indices). `f` gets the emitter the element is read in (a dry run's, or a loop's).
 */
export function selectEach(c: ExprCompiler, src: CollValue, f: (el: Value, em: Emitter) => Value): CollValue {
  const at = src.at;
  const pack = src.pack;
  return {
    k: 'coll',
    loop: (em, body) => src.loop(em, (el) => body(f(el, em))),
    ...(src.len && at ? { len: src.len, at: (em: Emitter, q: string) => f(at(em, q), em) } : {}),
    ...(pack
      ? { pack: { leaves: pack.leaves, rebuild: (ls) => selectEach(c, pack.rebuild(ls) as CollValue, f) } }
      : {}),
  };
}

export function intArg(c: ExprCompiler, e: OpExpr, scope: Scope): string {
  const a = e.args[0];
  if (!a) return c.fail(`${e.op} needs an argument`, e);
  return c.em.bind(c.num(c.compile(a, scope), a), 'n');
}

/** The element of a collection as a shape (learned without emitting code). */
export function elementShape(c: ExprCompiler, coll: CollValue): Value | undefined {
  return c.dryRun(() => {
    let el: Value | undefined;
    coll.loop(c.em, (x) => {
      el ??= x;
    });
    return el;
  });
}

/** The sum of a collection of four-vectors, component by component (zero for an empty collection). */
export function sumP4(src: CollValue, em: Emitter): Value {
  const [px, py, pz, en] = [em.fresh('spx'), em.fresh('spy'), em.fresh('spz'), em.fresh('se')];
  em.line(`let ${px} = 0, ${py} = 0, ${pz} = 0, ${en} = 0;`);
  src.loop(em, (el) => {
    const q = cartesian(el as P4Value, em);
    em.line(`${px} += ${q.px}; ${py} += ${q.py}; ${pz} += ${q.pz}; ${en} += ${q.e};`);
  });
  return { k: 'p4', cart: { px, py, pz, e: en } };
}

/** `v` with its numbers retyped to the bound type `q` (ints concatenated with floats are floats). */
export function retype(v: Value, q: QType): Value {
  if (v.k === 'scalar' && q.kind === 'scalar') {
    const t = scalarTypeOf(q);
    return t === v.type ? v : scalar(v.code, t);
  }
  if (v.k === 'record' && q.kind === 'record')
    return {
      ...v,
      values: v.values.map((x, k) => {
        const f = q.fields.find((g) => g.name === v.names[k]);
        return f ? retype(x, f.type) : x;
      }),
    };
  return v;
}

/**
 * Whether retyping to `q` changes a number of either element shape (read field by field, both sides in turn, so
 * the columns register in the order they always have).
 */
function needsRetype(a: Value, b: Value, q: QType): boolean {
  if (a.k === 'scalar' && b.k === 'scalar' && q.kind === 'scalar')
    return scalarTypeOf(q) !== a.type || scalarTypeOf(q) !== b.type;
  if (a.k === 'record' && b.k === 'record' && q.kind === 'record' && a.names.length === b.names.length) {
    let changed = false;
    a.values.forEach((x, k) => {
      const f = q.fields.find((g) => g.name === a.names[k]);
      if (f && needsRetype(x, b.values[k]!, f.type)) changed = true;
    });
    return changed;
  }
  return false;
}

/**
 * Two collections made to agree element by element before Concat (`type`, the Concat's bound type): records with
 * different fields (electrons, muons) reduced to the fields they share, and numbers of different types (ints
 * and floats) retyped to the bound item type, as Python's concatenation of an int and a float array gives floats.
 */
export function commonFields(
  c: ExprCompiler,
  a0: CollValue,
  b0: CollValue,
  type: QType,
): [CollValue, CollValue] {
  const [a, b] = sharedFields(c, a0, b0);
  if (type.kind !== 'collection') return c.fail(`Concat bound to ${typeText(type)}, not a collection`);
  const item = type.item;
  const ea = elementShape(c, a);
  const eb = elementShape(c, b);
  if (!(ea && eb && needsRetype(ea, eb, item))) return [a, b];
  return [selectEach(c, a, (v) => retype(v, item)), selectEach(c, b, (v) => retype(v, item))];
}

function sharedFields(c: ExprCompiler, a: CollValue, b: CollValue): [CollValue, CollValue] {
  const ea = elementShape(c, a);
  const eb = elementShape(c, b);
  if (ea?.k !== 'record' || eb?.k !== 'record') return [a, b];
  const names = ea.names.filter((n) => eb.names.includes(n));
  if (names.length === ea.names.length && names.length === eb.names.length) return [a, b];
  const pick = (r: Value): Value => {
    const rec = r as Extract<Value, { k: 'record' }>;
    return {
      k: 'record',
      names,
      values: lazyValues(names.length, (k) => rec.values[rec.names.indexOf(names[k]!)]!, false),
    };
  };
  return [selectEach(c, a, pick), selectEach(c, b, pick)];
}

/** `xs.Choose(k)`: every k-combination (in index order) as a small collection of k elements. */
export function chooseK(
  c: ExprCompiler,
  src: CollValue & Required<Pick<CollValue, 'len' | 'at'>>,
  e: OpExpr,
): CollValue {
  const a = e.args[0];
  if (a?.kind !== 'literal' || typeof a.value !== 'number' || !Number.isInteger(a.value) || a.value < 1)
    return c.fail('Choose takes a positive integer constant', e);
  const k = a.value;
  const combo = (idx: readonly string[]): CollValue => {
    const at = (em: Emitter, m: string): Value => {
      const i = Number(m);
      if (!Number.isInteger(i) || i < 0 || i >= k)
        throw new HepqError('exec/choose', `an element of Choose(${k}) is indexed by a constant 0..${k - 1}`);
      return src.at(em, idx[i]!);
    };
    return {
      k: 'coll',
      len: () => `${k}`,
      at,
      loop: (em, body) => {
        for (let m = 0; m < k; m++) body(at(em, String(m)));
      },
      pack: { leaves: idx, rebuild: (ls) => combo(ls) },
    };
  };
  return {
    k: 'coll',
    loop: (em, body) => {
      const len = em.bind(src.len(em), 'n');
      const idx: string[] = [];
      const nest = (d: number): void => {
        if (d === k) {
          body(combo([...idx]));
          return;
        }
        const v = em.fresh('j');
        const start = d === 0 ? '0' : `${idx[d - 1]} + 1`;
        idx.push(v);
        em.block(`for (let ${v} = ${start}; ${v} < ${len}; ${v}++)`, () => nest(d + 1));
        idx.pop();
      };
      nest(0);
    },
  };
}
