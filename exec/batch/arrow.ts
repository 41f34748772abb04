/** Zero-copy (where the layouts agree) conversion of hepq columns and batches to apache-arrow. */
import * as arrow from 'apache-arrow';
import { columnLength, columnType } from './column.js';
import type { Batch, BoxedColumn, Column, DataType, JsValue, PrimitiveType } from './types.js';
import { assertNever } from './types.js';
import { bitmapBytes } from './validity.js';
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
      return new arrow.Utf8();
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

/** A boxed column's values as its Arrow type takes them: numbers, or strings (other values as JSON text). */
function boxedData(c: BoxedColumn): arrow.Data {
  const type = toArrowType(c.type);
  const text = (v: JsValue) => (typeof v === 'string' ? v : JSON.stringify(toJsonSafe(v)));
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

/** An apache-arrow Table with the batch's columns (the selection, if any, is applied). */
export function batchToArrow(batch: Batch): arrow.Table {
  const vectors: Record<string, arrow.Vector> = {};
  batch.schema.fields.forEach((f, i) => {
    vectors[f.name] = arrow.makeVector(toArrowData(batch.columns[i]!));
  });
  const table = new arrow.Table(vectors);
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
