/** Zero-copy (where the layouts agree) conversion of hepq columns and batches to apache-arrow and back. */
import * as arrow from 'apache-arrow';
import { HepqError } from '../core/index.js';
import { columnLength, columnType } from './column.js';
import { sliceColumn } from './concat.js';
import { sqlArrowData, sqlLeafType } from './sql-arrow.js';
import type { Batch, BoxedColumn, Column, DataType, JsValue, PrimitiveType, TypedArray } from './types.js';
import { assertNever } from './types.js';
import { bitmapBytes, sliceBits } from './validity.js';
import { toJsonSafe } from './values.js';

function arrowPrimitive(t: PrimitiveType): arrow.DataType {
  switch (t) {
    case 'bool':
      return new arrow.Bool();
    case 'int8':
      return new arrow.Int8();
    case 'uint8':
      return new arrow.Uint8();
    case 'int16':
      return new arrow.Int16();
    case 'uint16':
      return new arrow.Uint16();
    case 'int32':
      return new arrow.Int32();
    case 'uint32':
      return new arrow.Uint32();
    case 'int64':
      return new arrow.Int64();
    case 'uint64':
      return new arrow.Uint64();
    case 'float32':
      return new arrow.Float32();
    case 'float64':
      return new arrow.Float64();
    default:
      return assertNever(t, 'primitive type');
  }
}

/** The apache-arrow type of a hepq type. */
export function toArrowType(t: DataType): arrow.DataType {
  switch (t.kind) {
    case 'primitive':
      return arrowPrimitive(t.type);
    case 'list':
      return new arrow.List(new arrow.Field('item', toArrowType(t.item), true));
    case 'fixed-list':
      return new arrow.FixedSizeList(t.size, new arrow.Field('item', toArrowType(t.item), true));
    case 'struct':
      return new arrow.Struct(t.fields.map((f) => new arrow.Field(f.name, toArrowType(f.type), true)));
    case 'utf8':
      return t.sql ? sqlLeafType(t.sql) : new arrow.Utf8();
    default:
      return assertNever(t, 'type');
  }
}

/** Booleans as bits (in whole 64-byte blocks, as apache-arrow's builders allocate them). */
function packBits(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bitmapBytes(bytes.length));
  for (let i = 0; i < bytes.length; i++) if (bytes[i]) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

/** A boxed column's values as its Arrow type takes them: numbers, or strings (bigints as their digits, other values as JSON text). */
function boxedData(c: BoxedColumn): arrow.Data {
  // text first (typed SQL text becomes its SQL type afterwards, in batchToArrow)
  const type = c.type.kind === 'utf8' ? new arrow.Utf8() : toArrowType(c.type);
  const text = (v: JsValue) =>
    typeof v === 'string' || typeof v === 'bigint' ? String(v) : JSON.stringify(toJsonSafe(v));
  const values = c.values.map((v) =>
    v === null ? null : c.type.kind === 'utf8' ? text(v) : c.type.kind === 'primitive' ? Number(v) : v,
  );
  return arrow.vectorFromArray(values, type).data[0]!;
}

/**
 * Arrow `Data` for a column; typed arrays and validity bitmaps are shared, not copied (booleans are
 * bit-packed).
 */
export function toArrowData(c: Column): arrow.Data {
  const length = columnLength(c);
  switch (c.kind) {
    case 'primitive': {
      const type = arrowPrimitive(c.type);
      const data = c.type === 'bool' ? packBits(c.values as Uint8Array) : c.values;
      return arrow.makeData({ type, length, data, nullBitmap: c.validity } as never);
    }
    case 'list': {
      const child = toArrowData(c.child);
      const type = new arrow.List(new arrow.Field('item', child.type, true));
      return arrow.makeData({ type, length, valueOffsets: c.offsets, child, nullBitmap: c.validity });
    }
    case 'fixed-list': {
      const child = toArrowData(c.child);
      const type = new arrow.FixedSizeList(c.size, new arrow.Field('item', child.type, true));
      return arrow.makeData({ type, length, child });
    }
    case 'struct': {
      const children = c.children.map(toArrowData);
      const type = new arrow.Struct(c.names.map((n, i) => new arrow.Field(n, children[i]!.type, true)));
      return arrow.makeData({ type, length, children, nullBitmap: c.validity });
    }
    case 'utf8':
      return arrow.makeData({
        type: new arrow.Utf8(),
        length,
        valueOffsets: c.offsets,
        data: c.bytes,
        nullBitmap: c.validity,
      });
    case 'boxed':
      return boxedData(c);
    case 'constant': {
      const type = toArrowType(columnType(c));
      const vec = arrow.vectorFromArray(new Array(c.length).fill(c.value), type);
      return vec.data[0]!;
    }
    default:
      return assertNever(c, 'column');
  }
}

/**
 * An apache-arrow Table with the batch's columns (the selection, if any, is applied); SQL results' typed text
 * as its DuckDB type (`sql-arrow.ts`; `parquet`: TIMESTAMP_S in milliseconds).
 */
export function batchToArrow(batch: Batch, options: { readonly parquet?: boolean } = {}): arrow.Table {
  const vectors: Record<string, arrow.Vector> = {};
  batch.schema.fields.forEach((f, i) => {
    vectors[f.name] = arrow.makeVector(sqlArrowData(toArrowData(batch.columns[i]!), f.type, options.parquet));
  });
  const table = withDuckdbTypes(new arrow.Table(vectors), batch);
  if (!batch.selection) return table;
  const sel = batch.selection;
  // Selections are rare at the library boundary; materialise row by row via arrow's own accessors.
  const cols: Record<string, arrow.Vector> = {};
  for (const f of table.schema.fields) {
    const v = table.getChild(f.name)!;
    const vals = Array.from(sel, (i) => v.get(i));
    cols[f.name] = arrow.vectorFromArray(vals, f.type);
  }
  return new arrow.Table(cols);
}

/** The metadata key with which a SQL result's field names its DuckDB type (exec/duckdb `sqlSchema`). */
const DUCKDB_TYPE = 'duckdb.type';

/** The table with the `duckdb.type` of the batch's fields (if any) in its Arrow fields' metadata. */
function withDuckdbTypes(table: arrow.Table, batch: Batch): arrow.Table {
  // by name: a repeated name keeps its last column in the table (a name-keyed record), so its last type
  const named = new Map(batch.schema.fields.map((f) => [f.name, f.metadata?.[DUCKDB_TYPE]]));
  if ([...named.values()].every((t) => t === undefined)) return table;
  const fields = table.schema.fields.map((f) => {
    const type = named.get(f.name);
    return type === undefined ? f : f.clone({ metadata: new Map([[DUCKDB_TYPE, type]]) });
  });
  const schema = new arrow.Schema(fields, table.schema.metadata);
  return new arrow.Table(
    schema,
    table.batches.map((b) => new arrow.RecordBatch(schema, b.data)),
  );
}

function primitiveOfArrow(t: arrow.DataType): PrimitiveType | undefined {
  if (arrow.DataType.isBool(t)) return 'bool';
  if (arrow.DataType.isInt(t)) {
    const w = (t as arrow.Int).bitWidth;
    return `${(t as arrow.Int).isSigned ? 'int' : 'uint'}${w}` as PrimitiveType;
  }
  if (arrow.DataType.isFloat(t)) {
    const p = (t as arrow.Float).precision;
    return p === arrow.Precision.SINGLE ? 'float32' : p === arrow.Precision.DOUBLE ? 'float64' : undefined;
  }
  return undefined;
}

/**
 * A column from apache-arrow `Data` (the inverse of `toArrowData`): values, offsets and the validity bitmap
 * shared where the data starts at a byte boundary (booleans are unpacked to a byte each). A sliced `Data`
 * has its values, offsets and fixed-size-list/struct children sliced already; its bitmap and booleans start
 * at `offset`. Types hepq has no
 * column for are refused (`batch/unsupported-arrow-type`).
 */
export function fromArrowData(d: arrow.Data, name = 'column'): Column {
  const n = d.length;
  const off = d.offset;
  const validity =
    d.nullCount > 0 && d.nullBitmap && d.nullBitmap.length > 0 ? sliceBits(d.nullBitmap, off, n) : undefined;
  const bits = validity === undefined ? {} : { validity };
  const p = primitiveOfArrow(d.type);
  if (p === 'bool') {
    const values = new Uint8Array(n);
    const packed = d.values as Uint8Array;
    for (let i = 0; i < n; i++) values[i] = (packed[(off + i) >> 3]! >> ((off + i) & 7)) & 1;
    return { kind: 'primitive', type: 'bool', values, ...bits };
  }
  if (p) return { kind: 'primitive', type: p, values: (d.values as TypedArray).subarray(0, n), ...bits };
  if (arrow.DataType.isUtf8(d.type))
    return { kind: 'utf8', offsets: d.valueOffsets.subarray(0, n + 1), bytes: d.values, ...bits };
  if (arrow.DataType.isList(d.type))
    return {
      kind: 'list',
      offsets: d.valueOffsets.subarray(0, n + 1),
      child: fromArrowData(d.children[0]!, name),
      ...bits,
    };
  if (arrow.DataType.isFixedSizeList(d.type)) {
    const size = (d.type as arrow.FixedSizeList).listSize;
    const child = fromArrowData(d.children[0]!, name);
    return { kind: 'fixed-list', size, child: sliceColumn(child, 0, n * size) };
  }
  if (arrow.DataType.isStruct(d.type)) {
    const fields = (d.type as arrow.Struct).children;
    return {
      kind: 'struct',
      names: fields.map((f) => f.name),
      children: d.children.map((c, i) => fromArrowData(c, `${name}.${fields[i]!.name}`)),
      length: n,
      ...bits,
    };
  }
  throw new HepqError(
    'batch/unsupported-arrow-type',
    `column ${name} has Arrow type ${String(d.type)}, which has no hepq column`,
  );
}

/** The record batches of an apache-arrow Table as Batches (a field's type is its column's). */
export function batchesFromArrow(table: arrow.Table): Batch[] {
  return table.batches.map((rb) => {
    const columns = rb.schema.fields.map((f, i) => fromArrowData(rb.data.children[i]!, f.name));
    return {
      schema: { fields: rb.schema.fields.map((f, i) => ({ name: f.name, type: columnType(columns[i]!) })) },
      columns,
      length: rb.numRows,
    };
  });
}
