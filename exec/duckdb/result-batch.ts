/**
 * DuckDB result chunks as hepq columns, converted once: fixed-width numbers copied straight from DuckDB's
 * vectors, NULLs as validity bitmaps, lists (their entries) and structs read from the vectors and nested.
 * Other types keep the values node-api's JS converter gives (dates and timestamps as ISO text, blobs as hex, decimals as doubles; INTERVAL, MAP,
 * HUGEINT, TIME, UNION… boxed) — the values and Arrow types SQL results have always had.
 */
import {
  type DuckDBDataChunk,
  type DuckDBListType,
  type DuckDBType,
  DuckDBTypeId,
  DuckDBVector,
  JSDuckDBValueConverter,
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

const FLAT: Partial<Record<DuckDBTypeId, PrimitiveType>> = {
  [DuckDBTypeId.BOOLEAN]: 'bool',
  [DuckDBTypeId.TINYINT]: 'int8',
  [DuckDBTypeId.SMALLINT]: 'int16',
  [DuckDBTypeId.INTEGER]: 'int32',
  [DuckDBTypeId.BIGINT]: 'int64',
  [DuckDBTypeId.UTINYINT]: 'uint8',
  [DuckDBTypeId.USMALLINT]: 'uint16',
  [DuckDBTypeId.UINTEGER]: 'uint32',
  [DuckDBTypeId.UBIGINT]: 'uint64',
  [DuckDBTypeId.FLOAT]: 'float32',
  [DuckDBTypeId.DOUBLE]: 'float64',
};

/** Types whose JS value is a string (after `plain`): a utf8 column. */
const TEXT = new Set<DuckDBTypeId>([
  DuckDBTypeId.VARCHAR,
  DuckDBTypeId.ENUM,
  DuckDBTypeId.UUID,
  DuckDBTypeId.DATE,
  DuckDBTypeId.TIMESTAMP,
  DuckDBTypeId.TIMESTAMP_S,
  DuckDBTypeId.TIMESTAMP_MS,
  DuckDBTypeId.TIMESTAMP_NS,
  DuckDBTypeId.TIMESTAMP_TZ,
  DuckDBTypeId.BLOB,
  DuckDBTypeId.BIT,
  DuckDBTypeId.GEOMETRY,
]);

const FLOAT64: DataType = { kind: 'primitive', type: 'float64' };
const UTF8: DataType = { kind: 'utf8' };

/** The hepq type of a DuckDB type (boxed types: what they become in Arrow). */
export function sqlDataType(t: DuckDBType): DataType {
  const flat = FLAT[t.typeId];
  if (flat) return { kind: 'primitive', type: flat };
  switch (t.typeId) {
    case DuckDBTypeId.DECIMAL:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return FLOAT64;
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

/** The schema of a result's columns. */
export function sqlSchema(names: readonly string[], types: readonly DuckDBType[]): Schema {
  return { fields: names.map((name, k) => ({ name, type: sqlDataType(types[k]!) })) };
}

/** A converted value as a plain JS value: dates as ISO text, bytes as hex. */
function plain(v: unknown): JsValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || typeof v === 'string')
    return v;
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object') {
    const out: { [k: string]: JsValue } = {};
    for (const [k, x] of Object.entries(v)) out[k] = plain(x);
    return out;
  }
  return String(v);
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
  const flat = FLAT[t.typeId] ?? (t.typeId === DuckDBTypeId.DECIMAL ? 'float64' : undefined);
  if (flat) {
    const out = new (typedArrayFor(flat))(values.length);
    const big = out instanceof BigInt64Array || out instanceof BigUint64Array;
    values.forEach((v, i) => {
      if (v !== null) out[i] = big ? BigInt(v as bigint) : Number(v);
    });
    return { kind: 'primitive', type: flat, values: out, ...validityOf(values) };
  }
  if (TEXT.has(t.typeId)) {
    const enc = new TextEncoder();
    const parts = values.map((v) => (v === null ? new Uint8Array(0) : enc.encode(v as string)));
    const offsets = new Int32Array(values.length + 1);
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
  for (let i = 0; i < n; i++) {
    const x = v.getItem(i);
    values[i] = x === null ? null : plain(JSDuckDBValueConverter(x, t, JSDuckDBValueConverter));
  }
  return columnFromValues(values, t);
}

/** The columns of one DuckDB chunk. */
export function chunkColumns(chunk: DuckDBDataChunk, types: readonly DuckDBType[]): Column[] {
  return types.map((t, k) => vectorColumn(duckdb.data_chunk_get_vector(chunk.chunk, k), t, chunk.rowCount));
}
