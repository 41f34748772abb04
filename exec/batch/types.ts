/** The columnar data model shared by every layer: types, columns, batches and streams (Arrow layout). */

/** Fixed-width element types. `bool` is stored one byte per value (0/1). */
export type PrimitiveType =
  | 'bool'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float32'
  | 'float64';

/** A logical column type. Jagged HEP collections are `list`; a collection of records is list<struct>. */
export type DataType =
  | { readonly kind: 'primitive'; readonly type: PrimitiveType }
  | { readonly kind: 'list'; readonly item: DataType }
  | { readonly kind: 'fixed-list'; readonly item: DataType; readonly size: number }
  | { readonly kind: 'struct'; readonly fields: readonly Field[] }
  | { readonly kind: 'utf8'; readonly sql?: SqlText };

/**
 * What a SQL result's text holds when it is DuckDB's text of a typed value (exec/duckdb), for the outputs
 * that carry more than text: JSON writes an exact decimal as a number, Arrow and Parquet the logical type.
 */
export type SqlText =
  | { readonly type: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly type: 'timestamp'; readonly unit: 's' | 'ms' | 'us' | 'ns'; readonly tz: boolean }
  | { readonly type: 'date' }
  | { readonly type: 'time' }
  | { readonly type: 'blob' }
  /** JSON text: text in every format (DuckDB writes it unquoted inside nested values). */
  | { readonly type: 'json' };

export interface Field {
  readonly name: string;
  readonly type: DataType;
  /** Free-form annotations, e.g. the ROOT type name a column came from. */
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface Schema {
  readonly fields: readonly Field[];
}

export type TypedArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/**
 * Which rows hold a value: an Arrow validity bitmap (bit i of byte i>>3, LSB first; 1 = valid, 0 = NULL).
 * Absent means every row is valid — what the readers and the func_adl loop produce and assume. The value
 * stored under a NULL row is unspecified (zero where hepq builds the column).
 */
export type Validity = Uint8Array;

/** A flat column of fixed-width values. */
export interface PrimitiveColumn {
  readonly kind: 'primitive';
  readonly type: PrimitiveType;
  readonly values: TypedArray;
  readonly validity?: Validity;
}

/** Variable-length lists: `offsets` has length+1 entries indexing into `child`. */
export interface ListColumn {
  readonly kind: 'list';
  readonly offsets: Int32Array;
  readonly child: Column;
  /** NULL lists have no elements (equal offsets). */
  readonly validity?: Validity;
}

/** Fixed-size lists (`float x[3]`): element i spans child[i*size, (i+1)*size). */
export interface FixedListColumn {
  readonly kind: 'fixed-list';
  readonly size: number;
  readonly child: Column;
}

/** A record of equal-length named child columns (struct of arrays). */
export interface StructColumn {
  readonly kind: 'struct';
  readonly names: readonly string[];
  readonly children: readonly Column[];
  readonly length: number;
  readonly validity?: Validity;
}

/** UTF-8 strings: `offsets` has length+1 entries indexing into `bytes`. */
export interface Utf8Column {
  readonly kind: 'utf8';
  readonly offsets: Int32Array;
  readonly bytes: Uint8Array;
  /** NULL strings are empty (equal offsets). */
  readonly validity?: Validity;
}

/** One value repeated `length` times. */
export interface ConstantColumn {
  readonly kind: 'constant';
  readonly type: DataType;
  readonly value: number | bigint | boolean | string | null;
  readonly length: number;
}

/** A plain JS value of one row: lists as arrays, structs as objects, 64-bit integers as bigint, NULL as null. */
export type JsValue = number | bigint | boolean | string | null | JsValue[] | { [k: string]: JsValue };

/**
 * Values no Arrow layout here carries (SQL's MAP, UNION, HUGEINT…), kept as JS values, one per
 * row (NULL as null). `type` is what they become outside: `utf8` (strings as they are, bigints as their digits,
 * other values as JSON text) or `float64` (numbers). Not for the func_adl loop; output and SQL results only.
 */
export interface BoxedColumn {
  readonly kind: 'boxed';
  readonly type: DataType;
  readonly values: readonly JsValue[];
}

export type Column =
  | PrimitiveColumn
  | ListColumn
  | FixedListColumn
  | StructColumn
  | Utf8Column
  | ConstantColumn
  | BoxedColumn;

/**
 * An immutable set of equal-length columns. Filters set `selection` (indices of the rows kept,
 * ascending) instead of copying.
 */
export interface Batch {
  readonly schema: Schema;
  readonly columns: readonly Column[];
  readonly length: number;
  readonly selection?: Uint32Array;
}

/** A stream of batches whose schema is known before the first pull. */
export interface BatchStream extends AsyncIterable<Batch> {
  readonly schema: Schema;
}

export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(x)}`);
}
