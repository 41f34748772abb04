/** Hand-streamed ROOT classes the writer emits: TObject, TNamed, TObjArray, and the TTree / TBranch / TLeaf graph. */
import type { WriteBuffer } from './buffer.js';

/** TObject: a bare version (no byte count, as ROOT writes it), fUniqueID and fBits (kNotDeleted). */
export function writeTObject(b: WriteBuffer): void {
  b.i16(1);
  b.u32(0);
  b.u32(0x03000000);
}

export function writeNamed(b: WriteBuffer, name: string, title: string): void {
  const m = b.beginObject(1);
  writeTObject(b);
  b.string(name);
  b.string(title);
  b.endObject(m);
}

/** A TObjArray (version 3) of `items`, each written by `each` (normally through `objectAny`). */
export function writeObjectArray<T>(b: WriteBuffer, items: readonly T[], each: (item: T) => void): void {
  const m = b.beginObject(3);
  writeTObject(b);
  b.string('');
  b.i32(items.length);
  b.i32(0); // fLowerBound
  for (const item of items) each(item);
  b.endObject(m);
}

/** A basic-type pointer array member (`[fN]` arrays): a presence byte, then the values. */
export function writeI64Array(b: WriteBuffer, values: readonly number[]): void {
  b.u8(values.length ? 1 : 0);
  for (const v of values) b.i64(v);
}

export function writeI32Array(b: WriteBuffer, values: readonly number[]): void {
  b.u8(values.length ? 1 : 0);
  for (const v of values) b.i32(v);
}
