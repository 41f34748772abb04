/** Staged values of the WGSL generator: scalars (code + type), records, collections that emit their own loop. */
import { type LambdaExpr, type QType, typeOf, typeText } from '../../../planner/ir/index.js';
import { HepqError } from '../../batch/index.js';

export type NumType = 'f32' | 'i32' | 'bool';

/**
 * The one mapping from the analyzer's types (`QType`) to the kernel's: bools, integers as i32 (the kernel has no
 * 64-bit integers: 64-bit columns are refused, a wide literal is a float as the literal itself is), and every
 * float as f32.
 */
export function numTypeOf(q: QType): NumType {
  if (q.kind !== 'scalar')
    throw new HepqError('gpu/internal', `a ${typeText(q)} where the kernel expects a number`);
  switch (q.type) {
    case 'bool':
      return 'bool';
    case 'float32':
    case 'float64':
      return 'f32';
    default:
      return q.wide ? 'f32' : 'i32';
  }
}

/** The kernel's number type of a bound expression (see `numTypeOf`). */
export const boundNumType = (e: { readonly kind: string; readonly type?: QType }): NumType =>
  numTypeOf(typeOf(e));

export interface NumVal {
  readonly k: 'num';
  readonly code: string;
  readonly ty: NumType;
  /** The literal's float64 value, for exact comparisons against float32 data. */
  readonly lit?: number;
}

/** Four-vector components as kernel variables: polar (pt, eta, phi, m) and/or Cartesian (px, py, pz, e). */
export interface P4Parts {
  readonly polar?: { readonly pt: string; readonly eta: string; readonly phi: string; readonly m: string };
  readonly cart?: { readonly px: string; readonly py: string; readonly pz: string; readonly e: string };
}

/** A record: dict / tuple results, a collection element with named fields, the event itself. */
export interface RecVal {
  readonly k: 'rec';
  /** Set on four-vectors. */
  readonly p4?: P4Parts;
  /** Field names of a dict (for `Zip`). */
  readonly keys?: readonly string[];
  /** Resolves a field (lazily, so unused fields bind no column). */
  field(name: string): Val | undefined;
  /** Positional items of a tuple (`p[0]`). */
  readonly items?: readonly Val[];
  readonly what: string;
}

/** A step applied to each element of a collection, in order. */
export type CollStep =
  | { readonly kind: 'where'; readonly lambda: LambdaExpr; readonly env: Env }
  | { readonly kind: 'select'; readonly lambda: LambdaExpr; readonly env: Env }
  | { readonly kind: 'map'; readonly f: (el: Val) => Val };

/** A jagged collection of the current event: its index range + element accessor at an index variable. */
export interface CollVal {
  readonly k: 'coll';
  /** First and one-past-last element index of the current event (WGSL i32 expressions valid at event scope). */
  readonly bounds: { readonly start: string; readonly end: string };
  readonly element: (index: string) => Val;
  readonly steps: readonly CollStep[];
  /** `Choose(n)`: elements are n-tuples of distinct ascending indices. */
  readonly choose?: number;
}

export type Val = NumVal | RecVal | CollVal;
export type Env = ReadonlyMap<string, Val>;

export function num(code: string, ty: NumType, lit?: number): NumVal {
  return lit === undefined ? { k: 'num', code, ty } : { k: 'num', code, ty, lit };
}

/** A WGSL float literal of `v` (rounded to float32). */
export function f32Lit(v: number): string {
  const f = Math.fround(v);
  if (!Number.isFinite(f)) return f > 0 ? 'bitcast<f32>(0x7f800000u)' : 'bitcast<f32>(0xff800000u)';
  const s = String(f);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** `code` of `v` as type `to` (i32 → f32 conversion, bool → 0/1). */
export function cast(v: NumVal, to: NumType): string {
  if (v.ty === to) return v.code;
  if (to === 'bool') return v.ty === 'f32' ? `(${v.code} != 0.0)` : `(${v.code} != 0)`;
  if (v.ty === 'bool') return to === 'f32' ? `select(0.0, 1.0, ${v.code})` : `select(0, 1, ${v.code})`;
  return `${to}(${v.code})`;
}

/** What the fused compiler cannot take: the caller runs the CPU, and `explain` shows `what` as the reason. */
export function unsupported(what: string): never {
  throw new HepqError('gpu/unsupported', what);
}
