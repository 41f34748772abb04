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
  | { readonly kind: 'utf8' };

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

/** A flat column of fixed-width values. */
export interface PrimitiveColumn {
  readonly kind: 'primitive';
  readonly type: PrimitiveType;
  readonly values: TypedArray;
}

/** Variable-length lists: `offsets` has length+1 entries indexing into `child`. */
export interface ListColumn {
  readonly kind: 'list';
  readonly offsets: Int32Array;
  readonly child: Column;
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
}

/** UTF-8 strings: `offsets` has length+1 entries indexing into `bytes`. */
export interface Utf8Column {
  readonly kind: 'utf8';
  readonly offsets: Int32Array;
  readonly bytes: Uint8Array;
}

/** One value repeated `length` times. */
export interface ConstantColumn {
  readonly kind: 'constant';
  readonly type: DataType;
  readonly value: number | bigint | boolean | string | null;
  readonly length: number;
}

export type Column =
  | PrimitiveColumn
  | ListColumn
  | FixedListColumn
  | StructColumn
  | Utf8Column
  | ConstantColumn;

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
