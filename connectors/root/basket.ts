/**
 * One basket's bytes as the decoders take them: the TKey and TBasket header checked against the branch's basket
 * list, the payload decompressed, the entry offsets read and checked (baskets on disk, kept inside the TBranch,
 * or none at all).
 */
import { decompressRoot } from './compression/index.js';
import { Cursor } from './cursor.js';
import type { BasketContent } from './interp/decode.js';
import { readKey } from './key.js';
import type { BasketRef } from './model/tree.js';

/** Where a basket's errors point: the file and `tree/branch (basket i)`. */
export interface BasketWhere {
  readonly file: string;
  readonly object: string;
}

/** An on-disk basket (`raw`: its key and compressed payload); `entryOffsetLen` 0 for fixed-width branches. */
export function diskBasket(
  where: BasketWhere,
  ref: BasketRef,
  raw: Uint8Array,
  entryOffsetLen: number,
  withOffsets = true,
): BasketContent {
  const { file, object } = where;
  const c = new Cursor(raw, { file, object, base: ref.seek });
  const key = readKey(c);
  c.i16(); // fVersion
  c.i32(); // fBufferSize
  let nevbufSize = c.i32();
  if (nevbufSize < 0) {
    // ROOT 6.x: a negative fNevBufSize is followed by one byte of fIOBits.
    nevbufSize = -nevbufSize;
    c.u8();
  }
  const nevbuf = c.i32();
  const last = c.i32();
  if (key.nbytes !== ref.bytes || key.keylen > raw.length) {
    throw c.error(
      'root/bad-basket',
      `basket key says ${key.nbytes} bytes but the branch expects ${ref.bytes}`,
      0,
    );
  }
  if (nevbuf !== ref.stopEntry - ref.firstEntry && ref.stopEntry - ref.firstEntry > 0) {
    throw c.error(
      'root/bad-basket',
      `basket holds ${nevbuf} entries but the branch expects ${ref.stopEntry - ref.firstEntry}`,
      0,
    );
  }
  const payload = decompressRoot(raw.subarray(key.keylen), key.objlen, {
    file,
    object,
    offset: ref.seek + key.keylen,
  });
  const border = last - key.keylen;
  if (border < 0 || border > payload.length)
    throw c.error('root/bad-basket', `basket fLast=${last} is outside its ${payload.length}-byte payload`, 0);
  const pc = new Cursor(payload, {
    file,
    object,
    base: ref.seek + key.keylen,
    decompressed: key.objlen !== raw.length - key.keylen,
  });
  let offsets: Int32Array | undefined;
  if (withOffsets && entryOffsetLen > 0 && nevbufSize > 0 && payload.length > border) {
    pc.pos = border;
    const n = pc.i32();
    if (n < nevbuf) throw pc.error('root/bad-basket', `basket has ${n} entry offsets for ${nevbuf} entries`);
    offsets = new Int32Array(nevbuf + 1);
    if (pc.pos + 4 * nevbuf > payload.length)
      throw pc.error('root/bad-basket', `basket entry offsets run past its ${payload.length}-byte payload`);
    // Big-endian int32s: one native copy and byte swap, then one subtraction pass.
    const raw32 = new Uint8Array(offsets.buffer, 0, 4 * nevbuf);
    raw32.set(payload.subarray(pc.pos, pc.pos + 4 * nevbuf));
    Buffer.from(offsets.buffer, 0, 4 * nevbuf).swap32();
    const keylen = key.keylen;
    for (let i = 0; i < nevbuf; i++) offsets[i]! -= keylen;
    offsets[nevbuf] = border;
    checkEntryOffsets(offsets, nevbuf, border, pc);
  }
  // A decompressed payload is this basket's own fresh buffer (its values may be byte-swapped in place); a
  // stored one is a view of bytes a source may keep (a memory source, a whole-file HTTP download).
  const owned = key.objlen !== raw.length - key.keylen;
  return { data: payload.subarray(0, border), entries: nevbuf, offsets, cursor: pc, owned };
}

/** A basket kept inside its TBranch (already read and decompressed with the tree). */
export function embeddedBasket(where: BasketWhere, ref: BasketRef): BasketContent {
  const e = ref.embedded!;
  const cursor = new Cursor(e.data, { file: where.file, object: where.object, base: 0, decompressed: true });
  const border = e.last - e.keylen;
  let offsets: Int32Array | undefined;
  if (e.entryOffsets) {
    offsets = new Int32Array(e.nevbuf + 1);
    for (let i = 0; i < e.nevbuf; i++) offsets[i] = e.entryOffsets[i]! - e.keylen;
    offsets[e.nevbuf] = border;
    checkEntryOffsets(offsets, e.nevbuf, border, cursor);
  }
  return { data: e.data.subarray(0, border), entries: e.nevbuf, offsets, cursor };
}

/** No basket at all (an empty entry range). */
export function emptyBasket(where: BasketWhere): BasketContent {
  const cursor = new Cursor(new Uint8Array(0), { file: where.file, object: where.object, base: 0 });
  return { data: new Uint8Array(0), entries: 0, offsets: new Int32Array(1), cursor };
}

/** Entry offsets must lie inside the basket's data: a corrupt one would send the decoders outside their buffer. */
function checkEntryOffsets(offsets: Int32Array, nevbuf: number, border: number, c: Cursor): void {
  for (let i = 0; i < nevbuf; i++) {
    const o = offsets[i]!;
    if (o < 0 || o > border)
      throw c.error(
        'root/bad-basket',
        `entry ${i} starts at byte ${o} of a basket whose entries end at byte ${border}`,
        border,
      );
  }
}
