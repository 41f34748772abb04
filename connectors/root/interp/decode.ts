/** Turns one basket's bytes into column pieces for an interpretation, straight into typed arrays (no per-entry objects). */
import type { Column, PrimitiveType, TypedArray } from '../../../exec/batch/index.js';
import { typedArrayFor } from '../../../exec/batch/index.js';
import type { Cursor } from '../cursor.js';
import { readPacked } from '../streamers/float-packing.js';
import { decodeObjects } from './decode-object.js';
import type { Interpretation, Item } from './interpretation.js';

/** A basket's content: the data region and, for variable-size entries, where each entry starts (n+1 offsets). */
export interface BasketContent {
  readonly data: Uint8Array;
  readonly entries: number;
  readonly offsets?: Int32Array;
  /** Whether `data` is this basket's own fresh buffer, so values may be byte-swapped where they lie. */
  readonly owned?: boolean;
  /** For error messages. */
  readonly cursor: Cursor;
  /**
   * The basket key's length: ROOT numbers the objects and class tags of a basket's buffer from the key's start,
   * so a class tag's reference to an earlier one is this plus the payload position (plus 2).
   */
  readonly keylen?: number;
}

/**
 * Decode `count` big-endian values of `it` starting at `data[pos]`. With `inPlace` (the caller owns `data`),
 * aligned values are byte-swapped where they lie and returned as a view: no allocation, no copy.
 */
export function decodeValues(
  data: Uint8Array,
  pos: number,
  count: number,
  it: Item,
  inPlace = false,
): TypedArray {
  const Ctor = typedArrayFor(it.out);
  if (
    inPlace &&
    !it.packed &&
    Ctor.BYTES_PER_ELEMENT === it.width &&
    (data.byteOffset + pos) % it.width === 0
  ) {
    const n = count * it.width;
    if (it.disk === 'bool') {
      // Booleans are one byte each: made 0/1 where they lie (a writer may store any non-zero byte).
      const bytes = new Uint8Array(data.buffer, data.byteOffset + pos, count);
      for (let i = 0; i < count; i++) if (bytes[i]! > 1) bytes[i] = 1;
      return bytes;
    }
    if (it.width > 1) {
      const buf = Buffer.from(data.buffer, data.byteOffset + pos, n);
      if (it.width === 2) buf.swap16();
      else if (it.width === 4) buf.swap32();
      else if (it.width === 8) buf.swap64();
    }
    return new Ctor(data.buffer as ArrayBuffer, data.byteOffset + pos, count);
  }
  const out = new Ctor(count);
  if (it.packed) {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (let i = 0; i < count; i++)
      (out as Float64Array)[i] = readPacked(view, pos + i * it.width, it.packed);
    return out;
  }
  const bytes = new Uint8Array(out.buffer, 0, count * it.width);
  bytes.set(data.subarray(pos, pos + count * it.width));
  if (it.width > 1) {
    const buf = Buffer.from(out.buffer, 0, count * it.width);
    if (it.width === 2) buf.swap16();
    else if (it.width === 4) buf.swap32();
    else if (it.width === 8) buf.swap64();
  } else if (it.disk === 'bool') for (let i = 0; i < count; i++) if (bytes[i]! > 1) bytes[i] = 1;
  return out;
}

function primitiveColumn(type: PrimitiveType, values: TypedArray): Column {
  return { kind: 'primitive', type, values };
}

/** Wrap flat values in fixed-size list levels for `dims`. */
export function withDims(col: Column, dims: readonly number[]): Column {
  let c = col;
  for (let i = dims.length - 1; i >= 0; i--) c = { kind: 'fixed-list', size: dims[i]!, child: c };
  return c;
}

const prod = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/**
 * Bytes per entry of a flat branch whose values can be byte-swapped where they lie (fixed width, not packed, the
 * output type as wide as on disk), or undefined: the baskets of such a branch can be decompressed side by side
 * into one buffer and decoded there at once (`flatColumn`).
 */
export function inPlaceEntryBytes(interp: Interpretation): number | undefined {
  if (interp.kind !== 'flat' || interp.item.packed) return undefined;
  if (typedArrayFor(interp.item.out).BYTES_PER_ELEMENT !== interp.item.width) return undefined;
  return prod(interp.dims) * interp.item.width;
}

/** The column of `entries` entries of a flat branch (`inPlaceEntryBytes`) from its big-endian bytes, decoded in place. */
export function flatColumn(interp: Interpretation, bytes: Uint8Array, entries: number): Column {
  if (interp.kind !== 'flat') throw new Error('internal: flatColumn of a non-flat branch');
  const n = entries * prod(interp.dims);
  return withDims(
    primitiveColumn(interp.item.out, decodeValues(bytes, 0, n, interp.item, true)),
    interp.dims,
  );
}

function needOffsets(b: BasketContent): Int32Array {
  if (!b.offsets)
    throw b.cursor.error('root/no-entry-offsets', 'variable-size branch basket has no entry offsets');
  return b.offsets;
}

/** Per-entry reading with bounds checks, for the container layouts. */
class EntryReader {
  private readonly view: DataView;
  pos = 0;
  constructor(
    readonly b: BasketContent,
    private end = 0,
  ) {
    this.view = new DataView(b.data.buffer, b.data.byteOffset, b.data.byteLength);
  }
  at(pos: number, end: number): void {
    this.pos = pos;
    this.end = end;
  }
  need(n: number): void {
    if (n < 0 || this.pos + n > this.end)
      throw this.b.cursor.error(
        'root/corrupt-entry',
        `entry data ends at ${this.end} but needs ${n} bytes at ${this.pos}`,
      );
  }
  /** Skip a byte count and version if one is there (an entry shorter than one holds a bare short string). */
  skipHeader(): void {
    if (this.pos + 4 <= this.end && this.view.getUint32(this.pos) & 0x40000000) {
      this.need(6);
      this.pos += 6;
    }
  }
  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos);
    this.pos += 4;
    if (v < 0) throw this.b.cursor.error('root/corrupt-entry', `negative length ${v} at ${this.pos - 4}`);
    return v;
  }
  stringLen(): number {
    this.need(1);
    let n = this.b.data[this.pos++]!;
    if (n === 255) {
      this.need(4);
      n = this.view.getUint32(this.pos);
      this.pos += 4;
    }
    this.need(n);
    return n;
  }
}

/** Decode a basket into a column of `b.entries` rows. */
export function decodeBasket(interp: Interpretation, b: BasketContent): Column {
  switch (interp.kind) {
    case 'flat': {
      const per = prod(interp.dims);
      const n = b.entries * per;
      // Fixed-size entries fill the basket exactly: any other size means the branch is not what it says.
      if (n * interp.item.width !== b.data.length) {
        throw b.cursor.error(
          n * interp.item.width > b.data.length ? 'root/short-basket' : 'root/basket-size',
          `basket holds ${b.data.length} bytes but ${b.entries} entries of ${per * interp.item.width} bytes need ${n * interp.item.width}`,
        );
      }
      return withDims(
        primitiveColumn(interp.item.out, decodeValues(b.data, 0, n, interp.item, b.owned)),
        interp.dims,
      );
    }
    case 'jagged': {
      const offs = needOffsets(b);
      const per = prod(interp.dims) * interp.item.width;
      const h = interp.headerBytes;
      const offsets = new Int32Array(b.entries + 1);
      let total = 0;
      const shift = Math.log2(per);
      if (Number.isInteger(shift) && h === 0) {
        // The common case (4- or 8-byte values, no per-entry header): shifts instead of divisions, and one
        // bounds check at the end (offsets that never decrease stay within the last one).
        const mask = per - 1;
        let bad = -1;
        for (let i = 0; i < b.entries; i++) {
          const len = offs[i + 1]! - offs[i]!;
          if (len < 0 || (len & mask) !== 0) {
            bad = i;
            break;
          }
          total += len >> shift;
          offsets[i + 1] = total;
        }
        if (bad < 0 && b.entries > 0 && offs[b.entries]! > b.data.length) bad = b.entries - 1;
        if (bad >= 0)
          throw b.cursor.error(
            'root/corrupt-entry',
            `entry ${bad} spans ${offs[bad + 1]! - offs[bad]!} bytes, not a multiple of ${per} within the basket`,
          );
      } else
        for (let i = 0; i < b.entries; i++) {
          const len = offs[i + 1]! - offs[i]! - h;
          if (len < 0 || len % per !== 0 || offs[i + 1]! > b.data.length) {
            throw b.cursor.error(
              'root/corrupt-entry',
              `entry ${i} spans ${len} bytes, not a multiple of ${per}`,
            );
          }
          total += len / per;
          offsets[i + 1] = total;
        }
      const inner = prod(interp.dims);
      let values: TypedArray;
      if (h === 0) values = decodeValues(b.data, offs[0]!, total * inner, interp.item, b.owned);
      else {
        const packed = new Uint8Array(total * per);
        let p = 0;
        for (let i = 0; i < b.entries; i++) {
          const part = b.data.subarray(offs[i]! + h, offs[i + 1]!);
          packed.set(part, p);
          p += part.length;
        }
        values = decodeValues(packed, 0, total * inner, interp.item);
      }
      return {
        kind: 'list',
        offsets,
        child: withDims(primitiveColumn(interp.item.out, values), interp.dims),
      };
    }
    case 'vector':
      return decodeVector1(interp.item, interp.header, b);
    case 'string':
      return decodeStrings(interp.header, b);
    case 'object':
      return decodeObjects(interp.content, b, interp.repeated, interp.bare);
    case 'leaflist': {
      const size = interp.fields.reduce((a, f) => a + prod(f.dims) * f.item.width, 0);
      if (b.entries * size > b.data.length)
        throw b.cursor.error('root/short-basket', `leaf-list basket too short for ${b.entries} entries`);
      const children: Column[] = [];
      let off = 0;
      for (const f of interp.fields) {
        const per = prod(f.dims);
        const w = per * f.item.width;
        const gathered = new Uint8Array(b.entries * w);
        for (let i = 0; i < b.entries; i++)
          gathered.set(b.data.subarray(i * size + off, i * size + off + w), i * w);
        children.push(
          withDims(primitiveColumn(f.item.out, decodeValues(gathered, 0, b.entries * per, f.item)), f.dims),
        );
        off += w;
      }
      return { kind: 'struct', names: interp.fields.map((f) => f.name), children, length: b.entries };
    }
    case 'split':
      throw b.cursor.error(
        'root/split-object',
        'a split object is read from its member branches, not its baskets',
      );
    case 'unsupported':
      throw b.cursor.error('root/unsupported', interp.reason);
  }
}

/**
 * `std::vector<T>` of fixed-width T, one per entry: a first pass reads each entry's length (after the optional
 * 6-byte object header) into list offsets, a second gathers the values into one buffer — a plain byte loop for
 * short vectors (no per-entry allocation), a block copy for long ones — then one native byte swap.
 */
function decodeVector1(it: Item, header: boolean, b: BasketContent): Column {
  const offs = needOffsets(b);
  const data = b.data;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const w = it.width;
  const entries = b.entries;
  const outer = new Int32Array(entries + 1);
  const starts = new Int32Array(entries);
  let total = 0;
  for (let i = 0; i < entries; i++) {
    let p = offs[i]!;
    const end = offs[i + 1]!;
    if (header) {
      if (p + 4 > end) throw corruptEntry(b, i, p, end, 4);
      if (view.getUint32(p) & 0x40000000) p += 6;
    }
    if (p + 4 > end) throw corruptEntry(b, i, p, end, 4);
    const n = view.getInt32(p);
    p += 4;
    if (n < 0 || p + n * w > end || end > data.length) throw corruptEntry(b, i, p, end, n * w);
    starts[i] = p;
    total += n;
    outer[i + 1] = total;
  }
  const bytes = new Uint8Array(total * w);
  let at = 0;
  for (let i = 0; i < entries; i++) {
    const len = (outer[i + 1]! - outer[i]!) * w;
    const src = starts[i]!;
    if (len > 64) bytes.set(data.subarray(src, src + len), at);
    else for (let k = 0; k < len; k++) bytes[at + k] = data[src + k]!;
    at += len;
  }
  const values = decodeValues(bytes, 0, total, it, true);
  return { kind: 'list', offsets: outer, child: primitiveColumn(it.out, values) };
}

function corruptEntry(b: BasketContent, entry: number, pos: number, end: number, need: number): Error {
  return b.cursor.error(
    'root/corrupt-entry',
    `entry ${entry} data ends at ${end} but needs ${need} bytes at ${pos}`,
    pos,
  );
}

/** One string per entry (char*, TString, std::string after its header); an entry with no bytes is empty. */
function decodeStrings(header: boolean, b: BasketContent): Column {
  if (!b.offsets && !header) return sequentialStrings(b);
  const offs = needOffsets(b);
  const r = new EntryReader(b);
  const strOffsets = new Int32Array(b.entries + 1);
  const pieces: Uint8Array[] = [];
  let total = 0;
  for (let i = 0; i < b.entries; i++) {
    r.at(offs[i]!, offs[i + 1]!);
    if (header && r.pos < offs[i + 1]!) r.skipHeader();
    if (r.pos < offs[i + 1]!) {
      const len = r.stringLen();
      pieces.push(b.data.subarray(r.pos, r.pos + len));
      r.pos += len;
      total += len;
    }
    strOffsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  let p = 0;
  for (const piece of pieces) {
    bytes.set(piece, p);
    p += piece.length;
  }
  return { kind: 'utf8', offsets: strOffsets, bytes };
}

/** Strings of a basket written without entry offsets (char* of some writers): one after another, each with its length. */
function sequentialStrings(b: BasketContent): Column {
  const r = new EntryReader(b);
  r.at(0, b.data.length);
  const offsets = new Int32Array(b.entries + 1);
  const pieces: Uint8Array[] = [];
  let total = 0;
  for (let i = 0; i < b.entries; i++) {
    const len = r.stringLen();
    pieces.push(b.data.subarray(r.pos, r.pos + len));
    r.pos += len;
    total += len;
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  let p = 0;
  for (const piece of pieces) {
    bytes.set(piece, p);
    p += piece.length;
  }
  return { kind: 'utf8', offsets, bytes };
}
