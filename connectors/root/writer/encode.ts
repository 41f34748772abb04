/** Values of one branch over a run of entries → the big-endian bytes of one basket, and its entry offsets. */
import type { PrimitiveType, TypedArray } from '../../../exec/batch/index.js';
import type { LeafClass } from './tree-object.js';

export interface LeafType {
  readonly leaf: LeafClass;
  /** The type letter of a branch title (`x/F`). */
  readonly letter: string;
  readonly width: number;
  readonly unsigned: boolean;
  /** C++ name and streamer type code, for std::vector<T>. */
  readonly cpp: string;
  readonly code: number;
}

export const LEAF_TYPES: Record<PrimitiveType, LeafType> = {
  bool: { leaf: 'TLeafO', letter: 'O', width: 1, unsigned: false, cpp: 'bool', code: 18 },
  int8: { leaf: 'TLeafB', letter: 'B', width: 1, unsigned: false, cpp: 'char', code: 1 },
  uint8: { leaf: 'TLeafB', letter: 'b', width: 1, unsigned: true, cpp: 'unsigned char', code: 11 },
  int16: { leaf: 'TLeafS', letter: 'S', width: 2, unsigned: false, cpp: 'short', code: 2 },
  uint16: { leaf: 'TLeafS', letter: 's', width: 2, unsigned: true, cpp: 'unsigned short', code: 12 },
  int32: { leaf: 'TLeafI', letter: 'I', width: 4, unsigned: false, cpp: 'int', code: 3 },
  uint32: { leaf: 'TLeafI', letter: 'i', width: 4, unsigned: true, cpp: 'unsigned int', code: 13 },
  int64: { leaf: 'TLeafL', letter: 'L', width: 8, unsigned: false, cpp: 'Long64_t', code: 16 },
  uint64: { leaf: 'TLeafL', letter: 'l', width: 8, unsigned: true, cpp: 'ULong64_t', code: 17 },
  float32: { leaf: 'TLeafF', letter: 'F', width: 4, unsigned: false, cpp: 'float', code: 5 },
  float64: { leaf: 'TLeafD', letter: 'D', width: 8, unsigned: false, cpp: 'double', code: 8 },
};

/** Copy `values[start, stop)` into `out` at `at` as big-endian bytes (booleans as 0/1). */
export function putBigEndian(
  values: TypedArray,
  start: number,
  stop: number,
  width: number,
  out: Uint8Array,
  at: number,
  bool = false,
): void {
  const n = stop - start;
  if (n <= 0) return;
  const src = new Uint8Array(values.buffer, values.byteOffset + start * width, n * width);
  out.set(src, at);
  if (width === 1) {
    if (bool) for (let i = at; i < at + n; i++) out[i] = out[i] ? 1 : 0;
    return;
  }
  const b = Buffer.from(out.buffer, out.byteOffset + at, n * width);
  if (width === 2) b.swap16();
  else if (width === 4) b.swap32();
  else b.swap64();
}

/** A fixed-size branch: `len` values per entry for entries [e0, e1). */
export function encodeFlat(
  values: TypedArray,
  e0: number,
  e1: number,
  len: number,
  width: number,
  bool = false,
): Uint8Array {
  const out = new Uint8Array((e1 - e0) * len * width);
  putBigEndian(values, e0 * len, e1 * len, width, out, 0, bool);
  return out;
}

/** A leaf-count array branch: the values of entries [e0, e1) back to back, and where each entry starts. */
export function encodeJagged(
  values: TypedArray,
  offsets: Int32Array,
  e0: number,
  e1: number,
  width: number,
  bool = false,
): { data: Uint8Array; starts: Int32Array } {
  const v0 = offsets[e0]!;
  const v1 = offsets[e1]!;
  const data = new Uint8Array((v1 - v0) * width);
  putBigEndian(values, v0, v1, width, data, 0, bool);
  const starts = new Int32Array(e1 - e0);
  for (let i = e0; i < e1; i++) starts[i - e0] = (offsets[i]! - v0) * width;
  return { data, starts };
}

/** Bytes std::vector<T> adds per entry: byte count (4), class version (2), size (4). */
const VECTOR_HEADER = 10;
const kByteCountMask = 0x40000000;

/** A std::vector<T> branch: per entry a byte-counted header, the element count, then the elements. */
export function encodeVector(
  values: TypedArray,
  offsets: Int32Array,
  e0: number,
  e1: number,
  width: number,
  classVersion: number,
  bool = false,
): { data: Uint8Array; starts: Int32Array } {
  const v0 = offsets[e0]!;
  const v1 = offsets[e1]!;
  const data = new Uint8Array((e1 - e0) * VECTOR_HEADER + (v1 - v0) * width);
  const view = new DataView(data.buffer);
  const starts = new Int32Array(e1 - e0);
  putBigEndian(values, v0, v1, width, data, 0, bool);
  // Spread the values out from the back so that each entry's header fits in front of it.
  let pos = data.length;
  for (let i = e1 - 1; i >= e0; i--) {
    const n = offsets[i + 1]! - offsets[i]!;
    const bytes = n * width;
    const src = (offsets[i]! - v0) * width;
    pos -= bytes;
    data.copyWithin(pos, src, src + bytes);
    pos -= VECTOR_HEADER;
    view.setUint32(pos, (6 + bytes) | kByteCountMask);
    view.setInt16(pos + 4, classVersion);
    view.setInt32(pos + 6, n);
    starts[i - e0] = pos;
  }
  return { data, starts };
}
