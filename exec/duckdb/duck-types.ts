/**
 * hepq's columnar model on DuckDB's side: column types as DuckDB logical types, and columns written into
 * DuckDB vectors by bulk copies (flat values, list entries and struct children; strings one by one).
 */

import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  type DuckDBType,
  FLOAT,
  INTEGER,
  LIST,
  SMALLINT,
  STRUCT,
  TINYINT,
  UBIGINT,
  UINTEGER,
  USMALLINT,
  UTINYINT,
  VARCHAR,
} from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import {
  assertNever,
  type Column,
  type DataType,
  HepqError,
  type PrimitiveType,
  sliceBits,
  type TypedArray,
  typedArrayFor,
  type Validity,
  validityOf,
} from '../batch/index.js';

const PRIMITIVES: Record<PrimitiveType, DuckDBType> = {
  bool: BOOLEAN,
  int8: TINYINT,
  uint8: UTINYINT,
  int16: SMALLINT,
  uint16: USMALLINT,
  int32: INTEGER,
  uint32: UINTEGER,
  int64: BIGINT,
  uint64: UBIGINT,
  float32: FLOAT,
  float64: DOUBLE,
};

/** The DuckDB type of a hepq column type (fixed-size arrays become LIST, records STRUCT). */
export function duckType(t: DataType): DuckDBType {
  switch (t.kind) {
    case 'primitive':
      return PRIMITIVES[t.type];
    case 'list':
    case 'fixed-list':
      return LIST(duckType(t.item));
    case 'struct':
      return STRUCT(Object.fromEntries(t.fields.map((f) => [f.name, duckType(f.type)])));
    case 'utf8':
      return VARCHAR;
    default:
      return assertNever(t, 'data type');
  }
}

function copyValues(vector: duckdb.Vector, values: TypedArray, start: number, count: number): void {
  if (count === 0) return;
  const width = values.BYTES_PER_ELEMENT;
  duckdb.copy_data_to_vector(
    vector,
    0,
    values.buffer as ArrayBuffer,
    values.byteOffset + start * width,
    count * width,
  );
}

/** Fill the list entries (offset, length pairs) of rows [start, start+count) and size the child vector. */
function writeEntries(
  vector: duckdb.Vector,
  offsetAt: (i: number) => number,
  start: number,
  count: number,
): number {
  const entries = new BigUint64Array(2 * count);
  const base = offsetAt(start);
  for (let i = 0; i < count; i++) {
    const a = offsetAt(start + i);
    entries[2 * i] = BigInt(a - base);
    entries[2 * i + 1] = BigInt(offsetAt(start + i + 1) - a);
  }
  if (count > 0) duckdb.copy_data_to_vector(vector, 0, entries.buffer, 0, entries.byteLength);
  const total = offsetAt(start + count) - base;
  duckdb.list_vector_reserve(vector, total);
  duckdb.list_vector_set_size(vector, total);
  return base;
}

/**
 * Write rows [start, start+count) of `column` (of type `type`) into `vector`, from the vector's row 0.
 * The vector's DuckDB type must be `duckType(type)`.
 */
export function writeColumn(
  vector: duckdb.Vector,
  column: Column,
  type: DataType,
  start: number,
  count: number,
): void {
  const validity = validityOf(column);
  if (validity) writeValidity(vector, validity, start, count);
  switch (column.kind) {
    case 'primitive':
      copyValues(vector, column.values, start, count);
      return;
    case 'list': {
      const offsets = column.offsets;
      const base = writeEntries(vector, (i) => offsets[i]!, start, count);
      const item = type.kind === 'list' ? type.item : type;
      const total = offsets[start + count]! - base;
      writeColumn(duckdb.list_vector_get_child(vector), column.child, item, base, total);
      return;
    }
    case 'fixed-list': {
      const size = column.size;
      const base = writeEntries(vector, (i) => i * size, start, count);
      const item = type.kind === 'fixed-list' ? type.item : type;
      writeColumn(duckdb.list_vector_get_child(vector), column.child, item, base, count * size);
      return;
    }
    case 'struct': {
      const fields = type.kind === 'struct' ? type.fields : [];
      column.children.forEach((child, k) => {
        writeColumn(duckdb.struct_vector_get_child(vector, k), child, fields[k]!.type, start, count);
      });
      return;
    }
    case 'utf8':
      for (let i = 0; i < count; i++) {
        const a = column.offsets[start + i]!;
        duckdb.vector_assign_string_element_len(
          vector,
          i,
          column.bytes.subarray(a, column.offsets[start + i + 1]!),
        );
      }
      return;
    case 'constant':
      writeConstant(vector, column.value, type, count);
      return;
    case 'boxed':
      throw new HepqError(
        'sql/unsupported-column',
        'a column of boxed values (a SQL result) cannot go back to SQL',
        {
          hint: 'cast it to a plain type (a number, a string) in the query that made it',
        },
      );
    default:
      assertNever(column, 'column');
  }
}

/** Rows [start, start+count) of a validity bitmap as the vector's validity (DuckDB's mask is Arrow's bit order). */
function writeValidity(vector: duckdb.Vector, validity: Validity, start: number, count: number): void {
  if (count === 0) return;
  const bits = sliceBits(validity, start, count);
  const words = new Uint8Array(Math.ceil(count / 64) * 8); // whole 64-bit words
  words.set(bits.subarray(0, Math.min(bits.length, words.length)));
  duckdb.vector_ensure_validity_writable(vector);
  duckdb.copy_data_to_vector_validity(vector, 0, words.buffer, 0, words.byteLength);
}

function writeConstant(
  vector: duckdb.Vector,
  value: number | bigint | boolean | string | null,
  type: DataType,
  count: number,
): void {
  if (value === null) {
    duckdb.vector_ensure_validity_writable(vector);
    const invalid = new BigUint64Array(Math.ceil(count / 64)); // all bits 0: every row NULL
    duckdb.copy_data_to_vector_validity(vector, 0, invalid.buffer, 0, invalid.byteLength);
    return;
  }
  if (type.kind === 'utf8') {
    for (let i = 0; i < count; i++) duckdb.vector_assign_string_element(vector, i, String(value));
    return;
  }
  if (type.kind !== 'primitive')
    throw new HepqError(
      'sql/unsupported-constant',
      `a constant column of type ${type.kind} cannot go to SQL`,
    );
  const values = new (typedArrayFor(type.type))(count);
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) values.fill(BigInt(value));
  else (values as Float64Array).fill(Number(value));
  copyValues(vector, values, 0, count);
}
