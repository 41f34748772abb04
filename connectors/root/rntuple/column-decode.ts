/**
 * Decoding RNTuple pages into typed arrays: the column types of format 1.0 (plain little-endian, byte-split,
 * split + zigzag, split + delta for offsets, bits, half floats, truncated and quantized floats), converted to
 * the element type the field asks for.
 */
import type { PrimitiveType, TypedArray } from '../../../exec/batch/index.js';
import { typedArrayFor } from '../../../exec/batch/index.js';

/** Column type codes (ENTupleColumnType). */
export const COL = {
  Bit: 0x00,
  Byte: 0x01,
  Char: 0x02,
  Int8: 0x03,
  UInt8: 0x04,
  Int16: 0x05,
  UInt16: 0x06,
  Int32: 0x07,
  UInt32: 0x08,
  Int64: 0x09,
  UInt64: 0x0a,
  Real16: 0x0b,
  Real32: 0x0c,
  Real64: 0x0d,
  Index32: 0x0e,
  Index64: 0x0f,
  Switch: 0x10,
  SplitInt16: 0x11,
  SplitUInt16: 0x12,
  SplitInt32: 0x13,
  SplitUInt32: 0x14,
  SplitInt64: 0x15,
  SplitUInt64: 0x16,
  SplitReal16: 0x17,
  SplitReal32: 0x18,
  SplitReal64: 0x19,
  SplitIndex32: 0x1a,
  SplitIndex64: 0x1b,
  Real32Trunc: 0x1c,
  Real32Quant: 0x1d,
} as const;

type Storage = 'bit' | 'int' | 'uint' | 'half' | 'float' | 'index' | 'trunc' | 'quant' | 'switch';

interface ColumnKind {
  readonly name: string;
  readonly storage: Storage;
  /** Bytes per element for byte-aligned storage (0 for bit-packed). */
  readonly size: number;
  readonly split?: boolean;
}

const KINDS: Record<number, ColumnKind> = {
  [COL.Bit]: { name: 'Bit', storage: 'bit', size: 0 },
  [COL.Byte]: { name: 'Byte', storage: 'uint', size: 1 },
  [COL.Char]: { name: 'Char', storage: 'int', size: 1 },
  [COL.Int8]: { name: 'Int8', storage: 'int', size: 1 },
  [COL.UInt8]: { name: 'UInt8', storage: 'uint', size: 1 },
  [COL.Int16]: { name: 'Int16', storage: 'int', size: 2 },
  [COL.UInt16]: { name: 'UInt16', storage: 'uint', size: 2 },
  [COL.Int32]: { name: 'Int32', storage: 'int', size: 4 },
  [COL.UInt32]: { name: 'UInt32', storage: 'uint', size: 4 },
  [COL.Int64]: { name: 'Int64', storage: 'int', size: 8 },
  [COL.UInt64]: { name: 'UInt64', storage: 'uint', size: 8 },
  [COL.Real16]: { name: 'Real16', storage: 'half', size: 2 },
  [COL.Real32]: { name: 'Real32', storage: 'float', size: 4 },
  [COL.Real64]: { name: 'Real64', storage: 'float', size: 8 },
  [COL.Index32]: { name: 'Index32', storage: 'index', size: 4 },
  [COL.Index64]: { name: 'Index64', storage: 'index', size: 8 },
  [COL.Switch]: { name: 'Switch', storage: 'switch', size: 12 },
  [COL.SplitInt16]: { name: 'SplitInt16', storage: 'int', size: 2, split: true },
  [COL.SplitUInt16]: { name: 'SplitUInt16', storage: 'uint', size: 2, split: true },
  [COL.SplitInt32]: { name: 'SplitInt32', storage: 'int', size: 4, split: true },
  [COL.SplitUInt32]: { name: 'SplitUInt32', storage: 'uint', size: 4, split: true },
  [COL.SplitInt64]: { name: 'SplitInt64', storage: 'int', size: 8, split: true },
  [COL.SplitUInt64]: { name: 'SplitUInt64', storage: 'uint', size: 8, split: true },
  [COL.SplitReal16]: { name: 'SplitReal16', storage: 'half', size: 2, split: true },
  [COL.SplitReal32]: { name: 'SplitReal32', storage: 'float', size: 4, split: true },
  [COL.SplitReal64]: { name: 'SplitReal64', storage: 'float', size: 8, split: true },
  [COL.SplitIndex32]: { name: 'SplitIndex32', storage: 'index', size: 4, split: true },
  [COL.SplitIndex64]: { name: 'SplitIndex64', storage: 'index', size: 8, split: true },
  [COL.Real32Trunc]: { name: 'Real32Trunc', storage: 'trunc', size: 0 },
  [COL.Real32Quant]: { name: 'Real32Quant', storage: 'quant', size: 0 },
};

/** The column type's name (`SplitReal32`), or `unknown(0x..)`. */
export function columnTypeName(type: number): string {
  return KINDS[type]?.name ?? `unknown(0x${type.toString(16)})`;
}

export function isIndexColumn(type: number): boolean {
  return KINDS[type]?.storage === 'index';
}

/** What a column needs to be decoded: its type, bits on storage, and the value range of quantized floats. */
export interface ColumnEncoding {
  readonly type: number;
  readonly bits: number;
  readonly min?: number;
  readonly max?: number;
}

/** Why a column cannot be decoded into `target`, or undefined when it can. */
export function unsupportedEncoding(
  enc: ColumnEncoding,
  target: PrimitiveType | 'offsets' | 'switch',
): string | undefined {
  const k = KINDS[enc.type];
  if (!k) return `column type 0x${enc.type.toString(16)}`;
  if ((k.storage === 'switch') !== (target === 'switch'))
    return k.storage === 'switch'
      ? `a Switch column for ${target}`
      : `${k.name} as a variant's Switch column`;
  if (target === 'switch') return undefined;
  if (target === 'offsets') return k.storage === 'index' ? undefined : `${k.name} as a collection index`;
  const float = target === 'float32' || target === 'float64';
  if (
    (k.storage === 'half' || k.storage === 'float' || k.storage === 'trunc' || k.storage === 'quant') !==
    float
  )
    return `${k.name} column for ${target}`;
  if (k.storage === 'trunc' && (enc.bits < 10 || enc.bits > 31)) return `Real32Trunc with ${enc.bits} bits`;
  if (
    k.storage === 'quant' &&
    (enc.bits < 1 || enc.bits > 32 || enc.min === undefined || enc.max === undefined)
  )
    return `Real32Quant with ${enc.bits} bits and no value range`;
  return undefined;
}

/** Uncompressed bytes of a page of `n` elements. */
export function pageBytes(enc: ColumnEncoding, n: number): number {
  const k = KINDS[enc.type];
  if (!k) return 0;
  if (k.storage === 'bit') return Math.ceil(n / 8);
  if (k.size === 0) return Math.ceil((n * enc.bits) / 8);
  return n * k.size;
}

/** Byte-split pages store all first bytes, then all second bytes, …: put each element's bytes back together. */
function unsplit(src: Uint8Array, n: number, size: number): Uint8Array {
  const out = new Uint8Array(n * size);
  for (let b = 0; b < size; b++) {
    const base = b * n;
    for (let i = 0; i < n; i++) out[i * size + b] = src[base + i]!;
  }
  return out;
}

const INT_CTORS: Record<number, { int: TypedArrayCtor; uint: TypedArrayCtor }> = {
  1: { int: Int8Array, uint: Uint8Array },
  2: { int: Int16Array, uint: Uint16Array },
  4: { int: Int32Array, uint: Uint32Array },
  8: { int: BigInt64Array, uint: BigUint64Array },
};
type TypedArrayCtor = new (buf: ArrayBufferLike, off: number, n: number) => TypedArray;

/** The page's elements in their storage type (plain, unsplit, zigzag and delta undone). */
function storageValues(k: ColumnKind, page: Uint8Array, n: number): TypedArray {
  let bytes = k.split ? unsplit(page, n, k.size) : page.slice(0, n * k.size);
  if (bytes.byteOffset !== 0) bytes = bytes.slice();
  const zigzag = k.split && k.storage === 'int' && k.size > 1;
  if (k.storage === 'float') {
    return k.size === 4 ? new Float32Array(bytes.buffer, 0, n) : new Float64Array(bytes.buffer, 0, n);
  }
  const ctors = INT_CTORS[k.size]!;
  if (zigzag) {
    const u = new ctors.uint(bytes.buffer, 0, n);
    const s = new ctors.int(bytes.buffer, 0, n);
    if (k.size === 8) {
      const ub = u as BigUint64Array;
      const sb = s as BigInt64Array;
      for (let i = 0; i < n; i++) sb[i] = BigInt.asIntN(64, (ub[i]! >> 1n) ^ -(ub[i]! & 1n));
    } else {
      const un = u as Uint32Array;
      const sn = s as Int32Array;
      for (let i = 0; i < n; i++) sn[i] = (un[i]! >>> 1) ^ -(un[i]! & 1);
    }
    return s;
  }
  const arr = new (k.storage === 'int' ? ctors.int : ctors.uint)(bytes.buffer, 0, n);
  if (k.storage === 'index' && k.split) {
    // Delta encoding within the page: the first element is stored as is.
    if (k.size === 8) {
      const a = arr as BigUint64Array;
      for (let i = 1; i < n; i++) a[i] = BigInt.asUintN(64, a[i]! + a[i - 1]!);
    } else {
      const a = arr as Uint32Array;
      for (let i = 1; i < n; i++) a[i] = a[i]! + a[i - 1]!;
    }
  }
  return arr;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** `n` values of `bits` bits each, packed least significant bit first. */
function unpackBits(page: Uint8Array, n: number, bits: number): Float64Array {
  const out = new Float64Array(n);
  const mod = 2 ** bits;
  for (let i = 0; i < n; i++) {
    const pos = i * bits;
    const byte = pos >>> 3;
    let v = 0;
    let scale = 1;
    for (let b = 0; b < 5 && byte + b < page.length; b++) {
      v += page[byte + b]! * scale;
      scale *= 256;
    }
    out[i] = Math.floor(v / 2 ** (pos & 7)) % mod;
  }
  return out;
}

/** Copy `src` into `out[pos…]`, converting between bigint and number element types as needed. */
function castInto(out: TypedArray, pos: number, src: ArrayLike<number | bigint>, bool: boolean): void {
  const n = src.length;
  const outBig = out instanceof BigInt64Array || out instanceof BigUint64Array;
  const srcBig = src instanceof BigInt64Array || src instanceof BigUint64Array;
  if (bool) {
    const o = out as Uint8Array;
    for (let i = 0; i < n; i++) o[pos + i] = src[i] ? 1 : 0;
  } else if (outBig === srcBig && !(out instanceof BigInt64Array && src instanceof BigUint64Array)) {
    (out as Float64Array).set(src as Float64Array, pos);
  } else if (outBig) {
    const o = out as BigInt64Array;
    const wrap = out instanceof BigInt64Array ? BigInt.asIntN : BigInt.asUintN;
    for (let i = 0; i < n; i++) o[pos + i] = wrap(64, BigInt(src[i]!));
  } else {
    const o = out as Float64Array;
    for (let i = 0; i < n; i++) o[pos + i] = Number(src[i]!);
  }
}

/**
 * Decode one uncompressed page of `n` elements into `out[pos…]`. Index columns decode to their
 * cluster-relative values (`out` then holds numbers). The caller has checked `unsupportedEncoding`.
 */
export function decodePage(
  enc: ColumnEncoding,
  page: Uint8Array,
  n: number,
  out: TypedArray,
  pos: number,
  target: PrimitiveType | 'offsets' | 'switch',
): void {
  const k = KINDS[enc.type]!;
  if (target === 'switch') {
    decodeSwitch(page, n, out as Float64Array, pos);
    return;
  }
  const bool = target === 'bool';
  switch (k.storage) {
    case 'bit': {
      const vals = new Uint8Array(n);
      for (let i = 0; i < n; i++) vals[i] = (page[i >>> 3]! >>> (i & 7)) & 1;
      castInto(out, pos, vals, bool);
      return;
    }
    case 'half': {
      const bytes = k.split ? unsplit(page, n, 2) : page;
      const vals = new Float64Array(n);
      for (let i = 0; i < n; i++) vals[i] = halfToFloat(bytes[2 * i]! | (bytes[2 * i + 1]! << 8));
      castInto(out, pos, vals, bool);
      return;
    }
    case 'trunc': {
      const raw = unpackBits(page, n, enc.bits);
      const u = new Uint32Array(n);
      const shift = 2 ** (32 - enc.bits);
      for (let i = 0; i < n; i++) u[i] = raw[i]! * shift;
      castInto(out, pos, new Float32Array(u.buffer), bool);
      return;
    }
    case 'quant': {
      const vals = unpackBits(page, n, enc.bits);
      const min = enc.min!;
      const scale = (enc.max! - min) / (2 ** enc.bits - 1);
      for (let i = 0; i < n; i++) vals[i] = vals[i]! * scale + min;
      castInto(out, pos, vals, bool);
      return;
    }
    default:
      castInto(out, pos, storageValues(k, page, n), bool);
  }
}

/**
 * Switch elements (12 bytes: a little-endian 64-bit element index into the chosen alternative's columns, then a
 * 32-bit dispatch tag, 1-based, 0 for none) as pairs `out[2i] = index, out[2i + 1] = tag`.
 */
function decodeSwitch(page: Uint8Array, n: number, out: Float64Array, pos: number): void {
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
  for (let i = 0; i < n; i++) {
    const at = 12 * i;
    out[2 * (pos + i)] = Number(view.getBigUint64(at, true));
    out[2 * (pos + i) + 1] = view.getUint32(at + 8, true);
  }
}

/**
 * A typed array for `n` decoded values of `target` (index columns decode to Float64Array, Switch columns to a
 * Float64Array of index/tag pairs).
 */
export function allocate(target: PrimitiveType | 'offsets' | 'switch', n: number): TypedArray {
  if (target === 'switch') return new Float64Array(2 * n);
  return target === 'offsets' ? new Float64Array(n) : new (typedArrayFor(target))(n);
}
