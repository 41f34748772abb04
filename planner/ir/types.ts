/** The types the analyzer gives func_adl expressions: scalars, strings, collections, records, four-vectors. */
import { assertNever, type DataType, HepqError, type PrimitiveType } from '../../exec/batch/index.js';

export type QType =
  | ScalarQType
  | { readonly kind: 'string' }
  | { readonly kind: 'null' }
  | { readonly kind: 'collection'; readonly item: QType }
  | {
      readonly kind: 'record';
      readonly fields: readonly { readonly name: string; readonly type: QType }[];
      readonly tuple?: boolean;
    }
  | { readonly kind: 'p4' }
  /** The event itself: its fields are the table's columns and column groups. */
  | { readonly kind: 'event' }
  /** The dataset root (only as an operand of the plan). */
  | { readonly kind: 'unknown' };

/**
 * A number or a bool. Integers computed by a query (counts, integer literals, sums and arithmetic of integers)
 * are Python ints, typed `int64`; `wide` marks the integers that may not fit 32 bits: 64-bit columns, literals
 * of 2^31 or more, and what is computed from them (the CPU code holds those as doubles, the others as int32).
 */
export interface ScalarQType {
  readonly kind: 'scalar';
  readonly type: PrimitiveType;
  readonly wide?: true;
}

const WIDE_I64: QType = { kind: 'scalar', type: 'int64', wide: true };

export const T = {
  f64: { kind: 'scalar', type: 'float64' } as QType,
  i64: { kind: 'scalar', type: 'int64' } as QType,
  bool: { kind: 'scalar', type: 'bool' } as QType,
  string: { kind: 'string' } as QType,
  null: { kind: 'null' } as QType,
  p4: { kind: 'p4' } as QType,
  event: { kind: 'event' } as QType,
  collection: (item: QType): QType => ({ kind: 'collection', item }),
};

/** The analyzer's type of a column's logical type. */
export function fromDataType(t: DataType): QType {
  switch (t.kind) {
    case 'primitive':
      return t.type === 'int64' || t.type === 'uint64'
        ? { kind: 'scalar', type: t.type, wide: true }
        : { kind: 'scalar', type: t.type };
    case 'list':
    case 'fixed-list':
      return T.collection(fromDataType(t.item));
    case 'struct':
      return { kind: 'record', fields: t.fields.map((f) => ({ name: f.name, type: fromDataType(f.type) })) };
    case 'utf8':
      return T.string;
    default:
      return assertNever(t, 'type');
  }
}

export function isNumeric(t: QType): boolean {
  return t.kind === 'scalar';
}

export function isBoolish(t: QType): boolean {
  return t.kind === 'scalar';
}

/** Collection nesting depth: 0 for scalars, 1 for `list<float>`, 2 for Choose results, … */
export function depth(t: QType): number {
  if (t.kind === 'collection') return 1 + depth(t.item);
  if (t.kind === 'record') return Math.max(0, ...t.fields.map((f) => depth(f.type)));
  return 0;
}

const INT_RANK: Partial<Record<PrimitiveType, number>> = {
  bool: 0,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 3,
  uint32: 3,
  int64: 4,
  uint64: 4,
};

const isInteger = (t: ScalarQType) => INT_RANK[t.type] !== undefined;

/**
 * The result type of `+ - * / // % **` on two scalars: integers stay integers (Python's int, `wide` when an
 * operand is), `/` and `**` give floats, anything with a float is a float64 — what the CPU computes (in doubles)
 * and what Python's float is.
 */
export function arithmeticType(a: ScalarQType, b: ScalarQType, op: string): QType {
  if (op === '/' || op === '**' || !isInteger(a) || !isInteger(b)) return T.f64;
  return a.wide || b.wide ? WIDE_I64 : T.i64;
}

/** The type of a number (or bool) negated: a bool or an unsigned int becomes an int, a float32 is computed as a float64. */
export function negatedType(t: ScalarQType): QType {
  if (t.type === 'float32' || t.type === 'float64') return T.f64;
  if (t.type === 'int8' || t.type === 'int16' || t.type === 'int32' || t.type === 'int64') return t;
  return t.wide ? WIDE_I64 : T.i64;
}

/**
 * The common type of two scalars a value may be either of (a conditional's branches, Concat's items): no
 * arithmetic is done, so float32 and narrow integers stay float32.
 */
function commonScalar(a: ScalarQType, b: ScalarQType): QType {
  if (a.type === b.type) return a.wide ? a : b;
  // A bool fits any number (numpy's promotion).
  if (a.type === 'bool') return b;
  if (b.type === 'bool') return a;
  // Integers of two kinds: an int64, wide when one side may not fit a signed 32-bit int (uint32, 64-bit).
  if (isInteger(a) && isInteger(b))
    return a.wide || b.wide || a.type === 'uint32' || b.type === 'uint32' ? WIDE_I64 : T.i64;
  if ((a.type === 'float32' || isInteger(a)) && (b.type === 'float32' || isInteger(b)))
    return { kind: 'scalar', type: 'float32' };
  return T.f64;
}

/** The common type of two branches (conditional, Concat), or undefined when they do not agree. */
export function unify(a: QType, b: QType): QType | undefined {
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  if (a.kind === 'scalar' && b.kind === 'scalar') return commonScalar(a, b);
  if (a.kind === 'collection' && b.kind === 'collection') {
    const item = unify(a.item, b.item);
    return item ? T.collection(item) : undefined;
  }
  if (a.kind === 'record' && b.kind === 'record') {
    // Records with different fields (electrons and muons) meet in the fields they share.
    const fields = [];
    for (const fa of a.fields) {
      const fb = b.fields.find((f) => f.name === fa.name);
      if (!fb) continue;
      const t = unify(fa.type, fb.type);
      if (!t) return undefined;
      fields.push({ name: fa.name, type: t });
    }
    return fields.length ? { ...a, fields } : undefined;
  }
  return a.kind === b.kind ? a : undefined;
}

/** A readable type name for messages: `float32`, `collection<float32>`, `{pt: float32, eta: float32}`. */
export function typeText(t: QType): string {
  switch (t.kind) {
    case 'scalar':
      return t.type === 'bool' ? 'bool' : t.type;
    case 'string':
      return 'string';
    case 'null':
      return 'None';
    case 'collection':
      return `collection<${typeText(t.item)}>`;
    case 'record':
      return t.tuple
        ? `(${t.fields.map((f) => typeText(f.type)).join(', ')})`
        : `{${t.fields.map((f) => `${f.name}: ${typeText(f.type)}`).join(', ')}}`;
    case 'p4':
      return 'four-vector';
    case 'event':
      return 'event';
    case 'unknown':
      return 'unknown';
    default:
      return assertNever(t, 'type');
  }
}

/**
 * The bound type of an expression of an analyzed plan (`analyzePlan`, `optimize` and the Session's prepared plan
 * are bound). An unbound node is a bug in the caller (a plan that skipped the analyzer, or a rewrite not re-bound).
 */
export function typeOf(e: { readonly kind: string; readonly type?: QType }): QType {
  if (e.type) return e.type;
  throw new HepqError(
    'planner/internal',
    `a ${e.kind} expression has no bound type: the plan was not analyzed`,
  );
}

/** The type a literal has wherever it stands (used for literals the analyzer reads without typing). */
export function literalType(value: number | boolean | string | null, integer?: boolean): QType {
  if (value === null) return T.null;
  if (typeof value === 'boolean') return T.bool;
  if (typeof value === 'string') return T.string;
  if (!integer) return T.f64;
  return Math.abs(value) < 2 ** 31 ? T.i64 : WIDE_I64;
}
