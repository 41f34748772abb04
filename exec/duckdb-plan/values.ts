/**
 * What a func_adl expression is on DuckDB's side: a scalar, a list of scalars, a collection of records (one SQL
 * list per field, with the 1-based indices of the items kept), a record or a tuple. Everything the translator
 * cannot give the compiled loop's exact semantics is a `Refusal`, thrown and caught at the top.
 */
import { type QType, typeOf, typeText } from '../../planner/ir/index.js';
import type { SourceSpan } from '../batch/index.js';

/**
 * The scalar kinds the translation tracks (integer and float arithmetic differ: `/` is float, sums of floats are
 * ordered): the class of the DuckDB type a bound expression's `QType` maps to (`sqlType`), never inferred here.
 */
export type Num = 'int' | 'float' | 'bool';

/**
 * The one mapping from the analyzer's types to DuckDB's: bools BOOLEAN; floats DOUBLE (float32 columns are cast
 * to DOUBLE by the source and computed as float64, as the loop computes them); integers BIGINT (small integer
 * columns are cast to BIGINT, so no int32 overflow), UBIGINT for uint64; collections lists; records and tuples
 * STRUCTs; four-vectors a STRUCT of their Cartesian components. Anything else has no SQL type here.
 */
export function sqlType(q: QType): string {
  switch (q.kind) {
    case 'scalar':
      if (q.type === 'bool') return 'BOOLEAN';
      if (q.type === 'float32' || q.type === 'float64') return 'DOUBLE';
      return q.type === 'uint64' ? 'UBIGINT' : 'BIGINT';
    case 'collection':
      return `${sqlType(q.item)}[]`;
    case 'record':
      return `STRUCT(${q.fields.map((f, i) => `${ident(q.tuple ? `_${i}` : f.name)} ${sqlType(f.type)}`).join(', ')})`;
    case 'p4':
      return 'STRUCT(px DOUBLE, py DOUBLE, pz DOUBLE, e DOUBLE)';
    default:
      return refuse(`a value of type ${typeText(q)} (no DuckDB type)`);
  }
}

/** The scalar kind of a bound scalar type (of a collection's items for a collection), through `sqlType`. */
export function numOf(q: QType): Num {
  const t = sqlType(q.kind === 'collection' ? q.item : q);
  return t === 'BOOLEAN'
    ? 'bool'
    : t === 'DOUBLE'
      ? 'float'
      : t.endsWith('BIGINT')
        ? 'int'
        : refuse(`a ${typeText(q)} where a number is needed`);
}

/** The scalar kind of a bound expression (see `sqlType`). */
export const boundNum = (e: { readonly kind: string; readonly type?: QType }): Num => numOf(typeOf(e));

export interface Scalar {
  readonly k: 'scalar';
  readonly sql: string;
  readonly t: Num;
  /**
   * May be NaN (the Min/Max of an empty collection, 0/0): DuckDB orders NaN above every number and equal to
   * itself, where JS compares it false, so comparisons of it are guarded.
   */
  readonly nan?: boolean;
}
/** A SQL LIST of scalars (1-based in SQL). */
export interface List {
  readonly k: 'list';
  readonly sql: string;
  readonly t: Num;
}
/** A collection of records: each field a SQL list of equal length; `idx` the 1-based items kept (all when absent). */
export interface Records {
  readonly k: 'records';
  readonly fields: ReadonlyMap<string, { readonly sql: string; readonly t: Num }>;
  readonly idx?: string;
  /**
   * `Choose(k)` of the collection: `idx` is then a list of k-lists of indices (in index order, as the loop's
   * nested loops give them), and an item is a tuple of k records.
   */
  readonly combo?: number;
  /** Items are four-vectors of their fields (`ToFourMomenta`, a `Select` to a four-vector per item). */
  readonly p4?: boolean;
  /**
   * Fields of an item that are four-vectors (`{'p4': l.ToFourMomentum(), …}`, a `Zip` of a collection of
   * four-vectors): the field's name → its components' names (`pt`, `eta`, … or `px`, …) → their lists' keys in
   * `fields` (`p4.pt`, …, not fields of the item themselves).
   */
  readonly p4Fields?: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** The keys of `fields` that are a four-vector field's component lists (not fields of the item). */
export function componentKeys(r: Records): Set<string> {
  const keys = new Set<string>();
  for (const comps of r.p4Fields?.values() ?? []) for (const k of comps.values()) keys.add(k);
  return keys;
}
export interface RecordV {
  readonly k: 'record';
  readonly fields: ReadonlyMap<string, V>;
  /** An item of a collection of records: its lists and the SQL of its 1-based index (for per-event hoisting). */
  readonly item?: { readonly lists: ReadonlyMap<string, { readonly sql: string }>; readonly index: string };
}
export interface TupleV {
  readonly k: 'tuple';
  readonly items: readonly V[];
}
/** The event: its columns resolved by name on first use (the event model's groups included). */
export interface EventV {
  readonly k: 'event';
}
/** A four-vector: polar components until Cartesian ones are needed (as the loop keeps them), each DOUBLE SQL. */
export interface P4V {
  readonly k: 'p4';
  readonly polar?: { readonly pt: string; readonly eta: string; readonly phi: string; readonly m: string };
  readonly cart?: { readonly px: string; readonly py: string; readonly pz: string; readonly e: string };
  /** May be None (NaN components: `OrderBy(…).First()` of an empty collection): its properties compare guarded. */
  readonly nan?: boolean;
  /** The Cartesian components computed once per event for every item (hoisted lists), where they could be. */
  readonly cartOnce?: () => {
    readonly px: string;
    readonly py: string;
    readonly pz: string;
    readonly e: string;
  };
}
export type V = Scalar | List | Records | RecordV | TupleV | EventV | P4V;

/** A plan or expression outside what DuckDB runs with the loop's semantics: the operator and why. */
export class Refusal extends Error {
  constructor(
    readonly reason: string,
    readonly span?: SourceSpan,
  ) {
    super(reason);
  }
}

export function refuse(reason: string, at?: { readonly span?: SourceSpan }): never {
  throw new Refusal(reason, at?.span);
}

export const scalar = (sql: string, t: Num, nan?: boolean): Scalar =>
  nan ? { k: 'scalar', sql, t, nan } : { k: 'scalar', sql, t };

/** A double literal DuckDB reads as DOUBLE (a bare `0.1` would be a DECIMAL, computed in decimal). */
export function numberSql(v: number, integer: boolean): string {
  if (!Number.isFinite(v)) return `'${v === Infinity ? 'inf' : v === -Infinity ? '-inf' : 'nan'}'::DOUBLE`;
  return integer && Number.isInteger(v) ? String(v) : `${String(v)}::DOUBLE`;
}

/** A quoted SQL identifier. */
export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** A quoted SQL string literal. */
export const str = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The 1-based indices of a collection's items, as a SQL list. */
export function indices(r: Records): string {
  if (r.idx) return r.idx;
  const first = r.fields.values().next().value;
  if (!first) return refuse('a collection of records with no field read');
  return `range(1, len(${first.sql}) + 1)`;
}

/** Fresh names for lambda parameters and columns (DuckDB lambdas may see outer columns, so they must not clash). */
export class Names {
  private n = 0;
  next(prefix: string): string {
    this.n++;
    return `${prefix}${this.n}`;
  }
}
