/**
 * DuckDB result chunks as hepq columns, converted once: fixed-width numbers copied straight from DuckDB's
 * vectors, NULLs as validity bitmaps, lists (their entries) and structs read from the vectors and nested.
 * Other scalar types are DuckDB's own text of each value (node-api's value objects print what DuckDB's
 * `CAST(x AS VARCHAR)` prints: exact decimals, timestamps to the micro/nanosecond, BIT as bits, BLOB escaped);
 * HUGEINT, UHUGEINT and VARINT are exact bigints; MAP and UNION objects as `to_json` writes them (boxed), each
 * carrying DuckDB's own text of it (`../duckdb-text/`: the text formats print that).
 */
import {
  type DuckDBDataChunk,
  type DuckDBListType,
  type DuckDBType,
  DuckDBTypeId,
  DuckDBVector,
} from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import {
  bitmapBytes,
  type Column,
  type DataType,
  filledBits,
  type JsValue,
  type PrimitiveType,
  type Schema,
  type TypedArray,
  takeRows,
  typedArrayFor,
  type Validity,
} from '../batch/index.js';
import { FLAT, sqlValue, WIDE } from './sql-value.js';

/** Types kept as JS objects (boxed; Arrow: JSON text): MAP and UNION as to_json writes them. */
const JS_VALUED = new Set<DuckDBTypeId>([DuckDBTypeId.MAP, DuckDBTypeId.UNION]);

/** A scalar type printed as DuckDB's text: a utf8 column. */
const isText = (id: DuckDBTypeId) =>
  FLAT[id] === undefined &&
  !WIDE.has(id) &&
  !JS_VALUED.has(id) &&
  id !== DuckDBTypeId.LIST &&
  id !== DuckDBTypeId.ARRAY &&
  id !== DuckDBTypeId.STRUCT;

const UTF8: DataType = { kind: 'utf8' };

const UNIT: Partial<Record<DuckDBTypeId, 's' | 'ms' | 'us' | 'ns'>> = {
  [DuckDBTypeId.TIMESTAMP_S]: 's',
  [DuckDBTypeId.TIMESTAMP_MS]: 'ms',
  [DuckDBTypeId.TIMESTAMP]: 'us',
  [DuckDBTypeId.TIMESTAMP_NS]: 'ns',
  [DuckDBTypeId.TIMESTAMP_TZ]: 'us',
};

/** The hepq type of a DuckDB type (boxed types: what they become in Arrow). */
export function sqlDataType(t: DuckDBType): DataType {
  const flat = FLAT[t.typeId];
  if (flat) return { kind: 'primitive', type: flat };
  switch (t.typeId) {
    case DuckDBTypeId.DECIMAL:
      return { kind: 'utf8', sql: { type: 'decimal', precision: t.width, scale: t.scale } };
    case DuckDBTypeId.HUGEINT:
      return { kind: 'utf8', sql: { type: 'decimal', precision: 38, scale: 0 } };
    case DuckDBTypeId.DATE:
      return { kind: 'utf8', sql: { type: 'date' } };
    case DuckDBTypeId.TIME:
      return { kind: 'utf8', sql: { type: 'time' } };
    case DuckDBTypeId.BLOB:
      return { kind: 'utf8', sql: { type: 'blob' } };
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return {
        kind: 'utf8',
        sql: { type: 'timestamp', unit: UNIT[t.typeId]!, tz: t.typeId === DuckDBTypeId.TIMESTAMP_TZ },
      };
    case DuckDBTypeId.VARCHAR:
      return t.alias === 'JSON' ? { kind: 'utf8', sql: { type: 'json' } } : UTF8;
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return { kind: 'list', item: sqlDataType(t.valueType) };
    case DuckDBTypeId.STRUCT:
      return {
        kind: 'struct',
        fields: t.entryNames.map((name, k) => ({ name, type: sqlDataType(t.entryTypes[k]!) })),
      };
    default:
      return UTF8;
  }
}

/** DuckDB types that Arrow and Parquet get as DuckDB's text (their own Arrow type is not made here). */
const AS_TEXT = new Set<DuckDBTypeId>([
  DuckDBTypeId.TIME_TZ,
  DuckDBTypeId.INTERVAL,
  DuckDBTypeId.UUID,
  DuckDBTypeId.ENUM,
  DuckDBTypeId.BIT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.BIGNUM,
  DuckDBTypeId.MAP,
  DuckDBTypeId.UNION,
]);

/** Whether a type holds, at any depth, a value Arrow and Parquet get as text (or JSON). */
function holdsText(t: DuckDBType): boolean {
  if (AS_TEXT.has(t.typeId) || t.alias === 'JSON') return true;
  switch (t.typeId) {
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return holdsText(t.valueType);
    case DuckDBTypeId.STRUCT:
      return t.entryTypes.some(holdsText);
    default:
      return false;
  }
}

/** The field metadata key naming a column's DuckDB type where Arrow and Parquet carry its values as text. */
export const DUCKDB_TYPE_KEY = 'duckdb.type';

/**
 * The schema of a result's columns. A column holding TIME_TZ, INTERVAL, UUID, ENUM, BIT, UHUGEINT, VARINT, MAP,
 * UNION or JSON values (which Arrow and Parquet get as DuckDB's exact text) names its DuckDB type in its
 * metadata (`duckdb.type`: `ENUM('a', 'b')`, `INTERVAL[]`), so a reader can cast the text back.
 */
export function sqlSchema(names: readonly string[], types: readonly DuckDBType[]): Schema {
  return {
    fields: names.map((name, k) => {
      const t = types[k]!;
      const type = sqlDataType(t);
      if (!holdsText(t)) return { name, type };
      return { name, type, metadata: { [DUCKDB_TYPE_KEY]: t.alias ?? String(t) } };
    }),
  };
}

/** A bitmap of the non-null values, or none when all are. */
function validityOf(values: readonly JsValue[]): { validity?: Validity } {
  if (!values.includes(null)) return {};
  const bits = filledBits(values.length, false);
  values.forEach((v, i) => {
    if (v !== null) bits[i >> 3]! |= 1 << (i & 7);
  });
  return { validity: bits };
}

/** A column of DuckDB type `t` from its values (NULL rows: zero, empty, no elements). */
export function columnFromValues(values: readonly JsValue[], t: DuckDBType): Column {
  const flat = FLAT[t.typeId];
  if (flat) {
    const out = new (typedArrayFor(flat))(values.length);
    const big = out instanceof BigInt64Array || out instanceof BigUint64Array;
    values.forEach((v, i) => {
      if (v !== null) out[i] = big ? BigInt(v as bigint) : Number(v);
    });
    return { kind: 'primitive', type: flat, values: out, ...validityOf(values) };
  }
  if (isText(t.typeId)) {
    const enc = new TextEncoder();
    const strings = values.map((v) => (v === null ? '' : (v as string)));
    const offsets = new Int32Array(values.length + 1);
    // one encode for the whole chunk; where every character is one byte (ASCII), offsets are character counts
    const whole = enc.encode(strings.join(''));
    let chars = 0;
    strings.forEach((x, i) => {
      chars += x.length;
      offsets[i + 1] = chars;
    });
    if (whole.length === chars) return { kind: 'utf8', offsets, bytes: whole, ...validityOf(values) };
    const parts = strings.map((x) => enc.encode(x));
    parts.forEach((p, i) => {
      offsets[i + 1] = offsets[i]! + p.length;
    });
    const bytes = new Uint8Array(offsets[values.length]!);
    for (let i = 0; i < parts.length; i++) bytes.set(parts[i]!, offsets[i]!);
    return { kind: 'utf8', offsets, bytes, ...validityOf(values) };
  }
  switch (t.typeId) {
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const offsets = new Int32Array(values.length + 1);
      const items: JsValue[] = [];
      values.forEach((v, i) => {
        if (v !== null) for (const x of v as JsValue[]) items.push(x);
        offsets[i + 1] = items.length;
      });
      return { kind: 'list', offsets, child: columnFromValues(items, t.valueType), ...validityOf(values) };
    }
    case DuckDBTypeId.STRUCT:
      return {
        kind: 'struct',
        names: t.entryNames,
        children: t.entryNames.map((name, k) =>
          columnFromValues(
            values.map((v) => (v === null ? null : ((v as { [k: string]: JsValue })[name] ?? null))),
            t.entryTypes[k]!,
          ),
        ),
        length: values.length,
        ...validityOf(values),
      };
    default:
      return { kind: 'boxed', type: sqlDataType(t), values };
  }
}

/** A vector's validity mask as a bitmap of `n` rows (bits past `n` clear), or none when every row is valid. */
function vectorValidity(vector: duckdb.Vector, n: number): Validity | undefined {
  const mask = n > 0 ? duckdb.vector_get_validity(vector, Math.ceil(n / 64) * 8) : null;
  if (!mask) return undefined;
  const validity = new Uint8Array(bitmapBytes(n));
  validity.set(mask.subarray(0, (n + 7) >> 3));
  if (n & 7) validity[n >> 3]! &= (1 << (n & 7)) - 1;
  for (let i = 0; i < n >> 3; i++) if (validity[i] !== 0xff) return validity;
  for (let i = n & ~7; i < n; i++) if ((validity[i >> 3]! & (1 << (i & 7))) === 0) return validity;
  return undefined;
}

const bits = (validity: Validity | undefined) => (validity === undefined ? {} : { validity });

/** A fixed-width column copied from a flat DuckDB vector: its data and validity (NULL rows zeroed). */
function flatColumn(vector: duckdb.Vector, type: PrimitiveType, n: number): Column {
  const Ctor = typedArrayFor(type);
  const values: TypedArray = new Ctor(n);
  if (n > 0) new Uint8Array(values.buffer).set(duckdb.vector_get_data(vector, n * Ctor.BYTES_PER_ELEMENT));
  const validity = vectorValidity(vector, n);
  if (validity) {
    const zero = values instanceof BigInt64Array || values instanceof BigUint64Array ? 0n : 0;
    for (let i = 0; i < n; i++)
      if ((validity[i >> 3]! & (1 << (i & 7))) === 0) (values as Float64Array)[i] = zero as number;
  }
  return { kind: 'primitive', type, values, ...bits(validity) };
}

/** A LIST vector: its entries as offsets over the child vector's column (gathered when not in row order). */
function listColumn(vector: duckdb.Vector, t: DuckDBListType, n: number): Column {
  const validity = vectorValidity(vector, n);
  const entries = new BigUint64Array(2 * n);
  if (n > 0) new Uint8Array(entries.buffer).set(duckdb.vector_get_data(vector, 16 * n));
  const size = duckdb.list_vector_get_size(vector);
  const child = vectorColumn(duckdb.list_vector_get_child(vector), t.valueType, size);
  const offsets = new Int32Array(n + 1);
  let inOrder = true;
  for (let i = 0; i < n; i++) {
    const valid = validity === undefined || (validity[i >> 3]! & (1 << (i & 7))) !== 0;
    const length = valid ? Number(entries[2 * i + 1]) : 0;
    if (length > 0 && Number(entries[2 * i]) !== offsets[i]) inOrder = false;
    offsets[i + 1] = offsets[i]! + length;
  }
  if (inOrder && offsets[n] === size) return { kind: 'list', offsets, child, ...bits(validity) };
  const rows: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = Number(entries[2 * i]);
    for (let j = 0; j < offsets[i + 1]! - offsets[i]!; j++) rows.push(start + j);
  }
  return { kind: 'list', offsets, child: takeRows(child, rows), ...bits(validity) };
}

/** The column of a flat DuckDB vector of `n` rows: numbers, lists and structs read from the vector itself. */
function vectorColumn(vector: duckdb.Vector, t: DuckDBType, n: number): Column {
  const flat = FLAT[t.typeId];
  if (flat) return flatColumn(vector, flat, n);
  if (t.typeId === DuckDBTypeId.LIST) return listColumn(vector, t, n);
  if (t.typeId === DuckDBTypeId.STRUCT)
    return {
      kind: 'struct',
      names: t.entryNames,
      children: t.entryTypes.map((et, k) => vectorColumn(duckdb.struct_vector_get_child(vector, k), et, n)),
      length: n,
      ...bits(vectorValidity(vector, n)),
    };
  const v = DuckDBVector.create(vector, n, t);
  const values: JsValue[] = new Array(n);
  for (let i = 0; i < n; i++) values[i] = sqlValue(v.getItem(i), t);
  return columnFromValues(values, t);
}

/** The columns of one DuckDB chunk. */
export function chunkColumns(chunk: DuckDBDataChunk, types: readonly DuckDBType[]): Column[] {
  return types.map((t, k) => vectorColumn(duckdb.data_chunk_get_vector(chunk.chunk, k), t, chunk.rowCount));
}
