/**
 * One on-disk TBasket turned into a `BasketContent`: its key and basket header parsed, its payload decompressed,
 * its entry offsets checked. This runs once per basket of every branch read, so the common case allocates little:
 * the header is read without decoding the key's strings, cursors are built only for an error (or for a decoder
 * that asks), and payloads go into a shared `Arena` instead of one buffer each.
 */
import { type Alloc, freshAlloc } from '../../exec/batch/index.js';
import { decompressRoot } from './compression/index.js';
import { Cursor } from './cursor.js';
import type { BasketContent } from './interp/decode.js';
import { readKey } from './key.js';
import type { BasketRef } from './model/tree.js';

/**
 * Bump allocation of decompressed payloads: small ones share chunks (fewer allocations and less for the garbage
 * collector to track), large ones get a buffer each. Slices are 8-byte aligned, never reused or handed out twice:
 * a column that views a slice keeps its chunk alive, nothing else.
 */
export class Arena {
  private chunk: ArrayBuffer | undefined;
  private used = 0;
  /**
   * The first chunk is exactly the first payload (a read of one basket allocates what it did without an arena);
   * later ones start at 16 kB and double up to `chunkBytes`.
   */
  private nextChunk = 0;

  /** `alloc` gives the chunks and the large payloads (a `BufferPool`'s lease in a scan that reuses buffers). */
  constructor(
    private readonly alloc: Alloc = freshAlloc,
    readonly chunkBytes = 1 << 20,
  ) {}

  take(n: number): Uint8Array {
    if (n > this.chunkBytes >>> 2) return this.alloc(n);
    let at = (this.used + 7) & ~7;
    if (!this.chunk || at + n > this.chunk.byteLength) {
      const size = Math.max(this.nextChunk, n);
      this.chunk = this.alloc(size).buffer as ArrayBuffer;
      this.nextChunk = Math.min(this.chunkBytes, Math.max(16 * 1024, this.nextChunk * 2));
      at = 0;
    }
    this.used = at + n;
    return new Uint8Array(this.chunk, at, n);
  }
}

/** What `basketContent` needs of the branch. */
export interface BasketOwner {
  readonly file: string;
  /** `tree/branch (basket i)`, for error locations. */
  readonly object: string;
  /** The branch's fEntryOffsetLen: > 0 when its baskets may carry entry offsets. */
  readonly entryOffsetLen: number;
}

interface Header {
  nbytes: number;
  objlen: number;
  keylen: number;
  nevbufSize: number;
  nevbuf: number;
  last: number;
}

/**
 * The key and TBasket header at the start of `raw`, or undefined when anything is out of range (the slow path
 * then reports where). Strings are skipped by their lengths, not decoded.
 */
function fastHeader(raw: Uint8Array, dv: DataView): Header | undefined {
  const len = raw.length;
  if (len < 26) return undefined;
  const nbytes = dv.getInt32(0);
  const version = dv.getInt16(4);
  const objlen = dv.getInt32(6);
  const keylen = dv.getInt16(14);
  if (keylen < 0 || nbytes < keylen || objlen < 0) return undefined;
  let p = 18 + (version > 1000 ? 16 : 8);
  for (let s = 0; s < 3; s++) {
    if (p >= len) return undefined;
    let n = raw[p++]!;
    if (n === 255) {
      if (p + 4 > len) return undefined;
      n = dv.getUint32(p);
      p += 4;
    }
    p += n;
  }
  p += 6; // fVersion, fBufferSize
  if (p + 4 > len) return undefined;
  let nevbufSize = dv.getInt32(p);
  p += 4;
  if (nevbufSize < 0) {
    // ROOT 6.x: a negative fNevBufSize is followed by one byte of fIOBits.
    nevbufSize = -nevbufSize;
    p += 1;
  }
  if (p + 8 > len) return undefined;
  return { nbytes, objlen, keylen, nevbufSize, nevbuf: dv.getInt32(p), last: dv.getInt32(p + 4) };
}

/** The key and basket header through a cursor: throws the located error the fast path could not. */
function slowHeader(c: Cursor): Header {
  const key = readKey(c);
  c.i16(); // fVersion
  c.i32(); // fBufferSize
  let nevbufSize = c.i32();
  if (nevbufSize < 0) {
    nevbufSize = -nevbufSize;
    c.u8();
  }
  const nevbuf = c.i32();
  const last = c.i32();
  return { nbytes: key.nbytes, objlen: key.objlen, keylen: key.keylen, nevbufSize, nevbuf, last };
}

/**
 * Parse, check and decompress one basket. Payloads go into `into` when it is exactly the payload's size (a
 * slot of a batch-wide buffer), else into `arena` when given. With `withOffsets` false the entry-offset array
 * is not read (the caller has the offsets from a counter branch).
 */
export function basketContent(
  owner: BasketOwner,
  ref: BasketRef,
  raw: Uint8Array,
  withOffsets = true,
  arena?: Arena,
  into?: Uint8Array,
): BasketContent {
  const { file, object } = owner;
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const rawCursor = () => new Cursor(raw, { file, object, base: ref.seek });
  const h = fastHeader(raw, dv) ?? slowHeader(rawCursor());
  const { keylen, objlen, nevbuf, last } = h;
  if (h.nbytes !== ref.bytes || keylen > raw.length)
    throw rawCursor().error(
      'root/bad-basket',
      `basket key says ${h.nbytes} bytes but the branch expects ${ref.bytes}`,
      0,
    );
  if (nevbuf !== ref.stopEntry - ref.firstEntry && ref.stopEntry - ref.firstEntry > 0)
    throw rawCursor().error(
      'root/bad-basket',
      `basket holds ${nevbuf} entries but the branch expects ${ref.stopEntry - ref.firstEntry}`,
      0,
    );
  const compressed = objlen !== raw.length - keylen;
  const payload = decompressRoot(
    raw.subarray(keylen),
    objlen,
    { file, object, offset: ref.seek + keylen },
    // A stored payload is copied into the arena too: the copy the decoder would make anyway, but into an
    // aligned slice this basket owns (values swapped in place, a leased buffer reused under reuseBuffers, the
    // fetched bytes free to go back to the source) instead of a fresh array per column piece.
    into?.length === objlen ? into : arena ? arena.take(objlen) : undefined,
  );
  const border = last - keylen;
  if (border < 0 || border > payload.length)
    throw rawCursor().error(
      'root/bad-basket',
      `basket fLast=${last} is outside its ${payload.length}-byte payload`,
      0,
    );
  let pc: Cursor | undefined;
  const cursor = () => {
    pc ??= new Cursor(payload, { file, object, base: ref.seek + keylen, decompressed: compressed });
    return pc;
  };
  let offsets: Int32Array | undefined;
  if (withOffsets && owner.entryOffsetLen > 0 && h.nevbufSize > 0 && payload.length > border) {
    if (border + 4 > payload.length) {
      const c = cursor();
      c.pos = border;
      c.i32(); // throws the located truncation error
    }
    const n = new DataView(payload.buffer, payload.byteOffset, payload.byteLength).getInt32(border);
    const at = border + 4;
    if (n < nevbuf)
      throw cursor().error('root/bad-basket', `basket has ${n} entry offsets for ${nevbuf} entries`, at);
    offsets = new Int32Array(nevbuf + 1);
    if (at + 4 * nevbuf > payload.length)
      throw cursor().error(
        'root/bad-basket',
        `basket entry offsets run past its ${payload.length}-byte payload`,
        at,
      );
    // Big-endian int32s: one native copy and byte swap, then one subtraction pass.
    new Uint8Array(offsets.buffer, 0, 4 * nevbuf).set(payload.subarray(at, at + 4 * nevbuf));
    Buffer.from(offsets.buffer, 0, 4 * nevbuf).swap32();
    for (let i = 0; i < nevbuf; i++) offsets[i]! -= keylen;
    offsets[nevbuf] = border;
    checkEntryOffsets(offsets, nevbuf, border, cursor);
  }
  // A payload in the arena is this basket's own (its values may be byte-swapped in place); a stored one read
  // without an arena is a view of bytes a source may keep (a memory source, a whole-file HTTP download).
  return {
    data: payload.subarray(0, border),
    entries: nevbuf,
    offsets,
    keylen,
    owned: compressed || arena !== undefined || into?.length === objlen,
    get cursor() {
      return cursor();
    },
  };
}

/** Entry offsets must lie inside the basket's data: a corrupt one would send the decoders outside their buffer. */
export function checkEntryOffsets(
  offsets: Int32Array,
  nevbuf: number,
  border: number,
  c: () => Cursor,
): void {
  for (let i = 0; i < nevbuf; i++) {
    const o = offsets[i]!;
    if (o < 0 || o > border)
      throw c().error(
        'root/bad-basket',
        `entry ${i} starts at byte ${o} of a basket whose entries end at byte ${border}`,
        border,
      );
  }
}
