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
  type DuckDBValue,
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
import { doubleText, floatText, nestedString, structKey, withDuckdbText } from '../duckdb-text/index.js';

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

/** Exact integers wider than 64 bits: bigint values (boxed; Arrow: their decimal text). */
const WIDE = new Set<DuckDBTypeId>([DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT, DuckDBTypeId.BIGNUM]);

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

/** DATE's ±infinity (node-api prints them as the dates they are stored as). */
const DATE_INFINITY = 2 ** 31 - 1;
/** The timestamps' ±infinity, in any unit. */
const TIMESTAMP_INFINITY = 2n ** 63n - 1n;

/** node-api prints the year 1 BC as 0000; DuckDB as 0001 (BC). */
const yearOneBC = (text: string) =>
  text.startsWith('0000-') ? `0001-${text.slice(5, 10)} (BC)${text.slice(10)}` : text;

/** DuckDB's text of a BLOB: printable ASCII but \ " ' as itself, every other byte as \xHH. */
function blobText(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes)
    out +=
      b >= 0x20 && b <= 0x7e && b !== 0x5c && b !== 0x22 && b !== 0x27
        ? String.fromCharCode(b)
        : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

/**
 * A DuckDB value as hepq gives it: numbers as JS numbers (64-bit integers and wider as bigint), lists as
 * arrays, structs as objects, MAP as {key text: value}, UNION as {tag: value} (as to_json writes them), every
 * other scalar as DuckDB's text.
 */
export function sqlValue(x: DuckDBValue, t: DuckDBType): JsValue {
  if (x === null) return null;
  switch (t.typeId) {
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return (x as { items: DuckDBValue[] }).items.map((v) => sqlValue(v, t.valueType));
    case DuckDBTypeId.STRUCT: {
      const entries = (x as { entries: { [k: string]: DuckDBValue } }).entries;
      const out: { [k: string]: JsValue } = {};
      t.entryNames.forEach((name, k) => {
        out[name] = sqlValue(entries[name] ?? null, t.entryTypes[k]!);
      });
      return out;
    }
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return x as bigint;
    case DuckDBTypeId.DATE: {
      const days = (x as { days: number }).days;
      return Math.abs(days) === DATE_INFINITY ? (days > 0 ? 'infinity' : '-infinity') : yearOneBC(String(x));
    }
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ: {
      // ±infinity are the int64 extremes in every unit (node-api prints TIMESTAMP_S/MS/NS's as far dates)
      const v = x as { seconds?: bigint; millis?: bigint; micros?: bigint; nanos?: bigint };
      const n = v.seconds ?? v.millis ?? v.micros ?? v.nanos;
      if (n === TIMESTAMP_INFINITY || n === -TIMESTAMP_INFINITY) return n > 0n ? 'infinity' : '-infinity';
      return yearOneBC(String(x));
    }
    case DuckDBTypeId.BLOB:
      return blobText((x as { bytes: Uint8Array }).bytes);
    case DuckDBTypeId.MAP: {
      // as to_json writes a map: an object keyed by the keys' text; DuckDB's own text of it attached
      const out: { [k: string]: JsValue } = {};
      for (const e of (x as { entries: { key: DuckDBValue; value: DuckDBValue }[] }).entries)
        out[duckText(e.key, t.keyType, false) ?? 'NULL'] = sqlValue(e.value, t.valueType);
      return withDuckdbText(out, duckText(x, t, false)!);
    }
    case DuckDBTypeId.UNION: {
      // as to_json writes a union: { tag: value }
      const u = x as { tag: string; value: DuckDBValue };
      const out = { [u.tag]: sqlValue(u.value, t.memberTypes[t.tagMemberIndexes[u.tag]!]!) };
      return withDuckdbText(out, duckText(x, t, false) ?? 'NULL');
    }
  }
  if (FLAT[t.typeId]) return JSDuckDBValueConverter(x, t, JSDuckDBValueConverter) as JsValue;
  return String(x);
}

/**
 * DuckDB's text of a value (`CAST(x AS VARCHAR)`; null for NULL at the top). `nested`: as an element of a
 * list, struct or map, where NULL is `NULL` and scalar text is quoted as DuckDB quotes it (JSON and UNION
 * values, whose text is their member's, are not).
 */
function duckText(x: DuckDBValue, t: DuckDBType, nested: boolean): string | null {
  if (x === null) return nested ? 'NULL' : null;
  switch (t.typeId) {
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return `[${(x as { items: DuckDBValue[] }).items.map((v) => duckText(v, t.valueType, true)).join(', ')}]`;
    case DuckDBTypeId.STRUCT: {
      const entries = (x as { entries: { [k: string]: DuckDBValue } }).entries;
      const parts = t.entryNames.map(
        (name, k) => `${structKey(name)}: ${duckText(entries[name] ?? null, t.entryTypes[k]!, true)}`,
      );
      return `{${parts.join(', ')}}`;
    }
    case DuckDBTypeId.MAP: {
      const entries = (x as { entries: { key: DuckDBValue; value: DuckDBValue }[] }).entries;
      const parts = entries.map(
        (e) => `${duckText(e.key, t.keyType, true)}=${duckText(e.value, t.valueType, true)}`,
      );
      return `{${parts.join(', ')}}`;
    }
    case DuckDBTypeId.UNION: {
      const u = x as { tag: string; value: DuckDBValue };
      return duckText(u.value, t.memberTypes[t.tagMemberIndexes[u.tag]!]!, false) ?? 'NULL';
    }
    case DuckDBTypeId.FLOAT:
      return floatText(x as number);
    case DuckDBTypeId.DOUBLE:
      return doubleText(x as number);
  }
  if (FLAT[t.typeId] || WIDE.has(t.typeId)) return String(x);
  const text = t.typeId === DuckDBTypeId.VARCHAR ? (x as string) : (sqlValue(x, t) as string);
  return nested && t.alias !== 'JSON' ? nestedString(text) : text;
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
