/** Staged values: what an expression is while code is generated (a scalar's code, a record, a loop, a four-vector). */
import { type QType, typeOf, typeText } from '../../planner/ir/index.js';
import { HepqError } from '../batch/index.js';
import type { Emitter } from './emitter.js';

/** Scalar kinds the generated code distinguishes (they decide output column types). */
export type ScalarType = 'bool' | 'int32' | 'uint32' | 'float32' | 'float64' | 'string';

export interface ScalarValue {
  readonly k: 'scalar';
  readonly code: string;
  readonly type: ScalarType;
}
export interface RecordValue {
  readonly k: 'record';
  readonly names: readonly string[];
  readonly values: readonly Value[];
  readonly tuple?: boolean;
}
/**
 * A four-vector: polar components (pt, eta, phi, m) when built from them, Cartesian (px, py, pz, E) when
 * built from those or summed. The other form is computed only where it is used.
 */
export interface P4Value {
  readonly k: 'p4';
  readonly polar?: { readonly pt: string; readonly eta: string; readonly phi: string; readonly m: string };
  readonly cart?: { readonly px: string; readonly py: string; readonly pz: string; readonly e: string };
  /** Called when Cartesian components are derived from polar ones (the compiler learns what to store). */
  readonly onCart?: () => void;
}
/**
 * A collection inside one row. `loop` emits a loop calling `body` once per element (with `exit` a label that
 * leaves the loop early). Indexable collections also give `len` and `at` (random access), which Zip, Choose,
 * ElementAt and OrderBy need; other collections are materialised first.
 */
export interface CollValue {
  readonly k: 'coll';
  readonly loop: (em: Emitter, body: (el: Value) => void) => void;
  readonly len?: (em: Emitter) => string;
  readonly at?: (em: Emitter, idx: string) => Value;
  /** For small fixed tuples of indices (a Choose combination): how to store and restore it. */
  readonly pack?: {
    readonly leaves: readonly string[];
    readonly rebuild: (leaves: readonly string[]) => Value;
  };
  /** True when `at` only reads arrays (no per-access arithmetic), so repeated access costs nothing. */
  readonly cheap?: boolean;
}
/** The event itself: attributes resolve to columns. */
export interface EventValue {
  readonly k: 'event';
  readonly row: string;
}

export type Value = ScalarValue | RecordValue | P4Value | CollValue | EventValue;

export const scalar = (code: string, type: ScalarType): ScalarValue => ({ k: 'scalar', code, type });

/**
 * The one mapping from the analyzer's types (`QType`) to the generated code's: bools; integers as `int32` (Python
 * ints that fit, and every narrower column) except uint32 columns; float32 columns; and doubles for the rest —
 * floats (computed in doubles), and `wide` integers (64-bit columns and what is computed from them), which a
 * double holds exactly up to 2^53. Column reads and operator results both come through here.
 */
export function scalarTypeOf(q: QType): ScalarType {
  if (q.kind === 'string') return 'string';
  if (q.kind === 'null') return 'float64';
  if (q.kind !== 'scalar')
    throw new HepqError('exec/internal', `a ${typeText(q)} where the generated code expects a number`);
  switch (q.type) {
    case 'bool':
    case 'float32':
    case 'float64':
    case 'uint32':
      return q.type;
    case 'int64':
    case 'uint64':
      return q.wide ? 'float64' : 'int32';
    default:
      return 'int32';
  }
}

/** The generated code's scalar type of a bound expression (see `scalarTypeOf`). */
export const boundScalarType = (e: { readonly kind: string; readonly type?: QType }): ScalarType =>
  scalarTypeOf(typeOf(e));

/** The scalar leaves of a value, for copying it into variables or scratch buffers; undefined if it has none. */
export function leavesOf(v: Value): string[] | undefined {
  switch (v.k) {
    case 'scalar':
      return v.type === 'string' ? undefined : [v.code];
    case 'record': {
      const out: string[] = [];
      for (const x of v.values) {
        const l = leavesOf(x);
        if (!l) return undefined;
        out.push(...l);
      }
      return out;
    }
    case 'p4':
      return [
        ...(v.polar ? [v.polar.pt, v.polar.eta, v.polar.phi, v.polar.m] : []),
        ...(v.cart ? [v.cart.px, v.cart.py, v.cart.pz, v.cart.e] : []),
      ];
    case 'coll':
      return v.pack ? [...v.pack.leaves] : undefined;
    case 'event':
      return undefined;
  }
}

/** A value of the same shape as `template` whose leaves are `leaves` (in `leavesOf` order). */
export function rebuild(template: Value, leaves: readonly string[]): Value {
  let i = 0;
  const go = (t: Value): Value => {
    switch (t.k) {
      case 'scalar':
        return scalar(leaves[i++]!, t.type);
      case 'record':
        return { ...t, values: t.values.map(go) };
      case 'p4': {
        const take4 = () => [leaves[i++]!, leaves[i++]!, leaves[i++]!, leaves[i++]!] as const;
        const polar = t.polar ? take4() : undefined;
        const cart = t.cart ? take4() : undefined;
        return {
          k: 'p4',
          ...(polar ? { polar: { pt: polar[0], eta: polar[1], phi: polar[2], m: polar[3] } } : {}),
          ...(cart ? { cart: { px: cart[0], py: cart[1], pz: cart[2], e: cart[3] } } : {}),
        };
      }
      case 'coll': {
        const n = t.pack!.leaves.length;
        const mine = leaves.slice(i, i + n);
        i += n;
        return t.pack!.rebuild(mine);
      }
      case 'event':
        return t;
    }
  };
  return go(template);
}

/** Leaf storage types for scratch buffers: integers (indices, ints) in Int32, the rest in Float64. */
export function leafTypes(v: Value): ('i' | 'f')[] {
  switch (v.k) {
    case 'scalar':
      return [v.type === 'int32' || v.type === 'bool' ? 'i' : 'f'];
    case 'record':
      return v.values.flatMap(leafTypes);
    case 'p4':
      return new Array((v.polar ? 4 : 0) + (v.cart ? 4 : 0)).fill('f');
    case 'coll':
      return new Array(v.pack?.leaves.length ?? 0).fill('i');
    case 'event':
      return [];
  }
}

/** `cond ? a : b` for two values of the same shape. */
export function choose(cond: string, a: Value, b: Value): Value | undefined {
  const la = leavesOf(a);
  const lb = leavesOf(b);
  if (!la || !lb || la.length !== lb.length) return undefined;
  return rebuild(
    a,
    la.map((x, i) => `(${cond} ? ${x} : ${lb[i]})`),
  );
}

/** A copy of `v` whose four-vectors call `hook` when their Cartesian components are derived. */
export function onCartesian(v: Value, hook: () => void): Value {
  switch (v.k) {
    case 'p4':
      return v.cart ? v : { ...v, onCart: hook };
    case 'record':
      return { ...v, values: v.values.map((x) => onCartesian(x, hook)) };
    default:
      return v;
  }
}

/** A copy of `v` whose four-vectors carry both component forms (`cart` computes the Cartesian ones). */
export function withCartesian(v: Value, cart: (p: P4Value) => NonNullable<P4Value['cart']>): Value {
  switch (v.k) {
    case 'p4':
      return v.cart ? v : { ...v, cart: cart(v) };
    case 'record':
      return { ...v, values: v.values.map((x) => withCartesian(x, cart)) };
    default:
      return v;
  }
}

/**
 * An array whose items are made on first read. Records of column groups use it so that only the fields a
 * query touches register (and read) their columns. `cache` keeps each item once made.
 */
export function lazyValues(n: number, make: (i: number) => Value, cache = true): Value[] {
  const out: Value[] = [];
  const made = new Map<number, Value>();
  for (let i = 0; i < n; i++)
    Object.defineProperty(out, i, {
      enumerable: true,
      get: () => {
        if (!cache) return make(i);
        let v = made.get(i);
        if (!v) {
          v = make(i);
          made.set(i, v);
        }
        return v;
      },
    });
  return out;
}
