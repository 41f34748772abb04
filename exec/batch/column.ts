/** Helpers over columns: lengths, type names, constructors and type inference. */
import type { Column, DataType, PrimitiveType, TypedArray } from './types.js';
import { assertNever } from './types.js';
import { validityOf } from './validity.js';

/** Number of rows in a column. */
export function columnLength(c: Column): number {
  switch (c.kind) {
    case 'primitive':
      return c.values.length;
    case 'list':
    case 'utf8':
      return c.offsets.length - 1;
    case 'fixed-list':
      return c.size === 0 ? 0 : Math.floor(columnLength(c.child) / c.size);
    case 'struct':
    case 'constant':
      return c.length;
    case 'boxed':
      return c.values.length;
    default:
      return assertNever(c, 'column');
  }
}

/** The logical type of a column. */
export function columnType(c: Column): DataType {
  switch (c.kind) {
    case 'primitive':
      return { kind: 'primitive', type: c.type };
    case 'list':
      return { kind: 'list', item: columnType(c.child) };
    case 'fixed-list':
      return { kind: 'fixed-list', item: columnType(c.child), size: c.size };
    case 'struct':
      return {
        kind: 'struct',
        fields: c.names.map((name, i) => ({ name, type: columnType(c.children[i]!) })),
      };
    case 'utf8':
      return { kind: 'utf8' };
    case 'constant':
    case 'boxed':
      return c.type;
    default:
      return assertNever(c, 'column');
  }
}

/** A compact type name: `float32`, `list<float32>`, `list<list<int32>>`, `float32[3]`, `struct<a:int32>`, `utf8`. */
export function typeName(t: DataType): string {
  switch (t.kind) {
    case 'primitive':
      return t.type;
    case 'list':
      return `list<${typeName(t.item)}>`;
    case 'fixed-list':
      return `${typeName(t.item)}[${t.size}]`;
    case 'struct':
      return `struct<${t.fields.map((f) => `${f.name}:${typeName(f.type)}`).join(', ')}>`;
    case 'utf8':
      return 'utf8';
    default:
      return assertNever(t, 'type');
  }
}

type TypedArrayCtor = {
  new (n: number): TypedArray;
  new (buf: ArrayBufferLike, off: number, n: number): TypedArray;
  BYTES_PER_ELEMENT: number;
};

const CTORS: Record<PrimitiveType, TypedArrayCtor> = {
  bool: Uint8Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  float32: Float32Array,
  float64: Float64Array,
} as unknown as Record<PrimitiveType, TypedArrayCtor>;

/** The typed-array constructor that stores a primitive type. */
export function typedArrayFor(t: PrimitiveType): TypedArrayCtor {
  return CTORS[t];
}

/** Bytes per value of a primitive type. */
export function primitiveWidth(t: PrimitiveType): number {
  return CTORS[t].BYTES_PER_ELEMENT;
}

export function primitive(type: PrimitiveType, values: TypedArray): Column {
  return { kind: 'primitive', type, values };
}

export function list(offsets: Int32Array, child: Column): Column {
  return { kind: 'list', offsets, child };
}

/** Build a utf8 column from JS strings. */
export function utf8FromStrings(strings: readonly string[]): Column {
  const enc = new TextEncoder();
  const parts = strings.map((s) => enc.encode(s));
  const offsets = new Int32Array(parts.length + 1);
  for (let i = 0; i < parts.length; i++) offsets[i + 1] = offsets[i]! + parts[i]!.length;
  const bytes = new Uint8Array(offsets[parts.length]!);
  for (let i = 0; i < parts.length; i++) bytes.set(parts[i]!, offsets[i]!);
  return { kind: 'utf8', offsets, bytes };
}

/** The bytes a column's buffers hold (a constant counts one value, a boxed value 8). */
export function columnBytes(c: Column): number {
  return (validityOf(c)?.byteLength ?? 0) + bufferBytes(c);
}

function bufferBytes(c: Column): number {
  switch (c.kind) {
    case 'primitive':
      return c.values.byteLength;
    case 'list':
      return c.offsets.byteLength + columnBytes(c.child);
    case 'utf8':
      return c.offsets.byteLength + c.bytes.byteLength;
    case 'fixed-list':
      return columnBytes(c.child);
    case 'struct':
      return c.children.reduce((s, ch) => s + columnBytes(ch), 0);
    case 'constant':
      return c.type.kind === 'primitive' ? primitiveWidth(c.type.type) : 8;
    case 'boxed':
      return 8 * c.values.length;
  }
}

/** A column of no rows of a type. */
export function emptyColumn(t: DataType): Column {
  switch (t.kind) {
    case 'primitive':
      return { kind: 'primitive', type: t.type, values: new (typedArrayFor(t.type))(0) };
    case 'list':
      return { kind: 'list', offsets: new Int32Array(1), child: emptyColumn(t.item) };
    case 'fixed-list':
      return { kind: 'fixed-list', size: t.size, child: emptyColumn(t.item) };
    case 'struct':
      return {
        kind: 'struct',
        names: t.fields.map((f) => f.name),
        children: t.fields.map((f) => emptyColumn(f.type)),
        length: 0,
      };
    case 'utf8':
      return { kind: 'utf8', offsets: new Int32Array(1), bytes: new Uint8Array(0) };
  }
}
