/**
 * One column chunk's pages decoded: dictionary and data pages (v1 and v2), PLAIN and dictionary-encoded values
 * of the fixed-width physical types, RLE/bit-packed definition and repetition levels. The result is the
 * levels and the dense non-null values; `assemble.ts` turns them into columns.
 */
import { createRequire } from 'node:module';
import { unzipSync } from 'node:zlib';
import { type Alloc, freshAlloc } from '../../exec/batch/index.js';
import { Codec, Encoding, type Leaf, Physical } from './footer.js';
import { ChunkLevels } from './levels.js';
import { bitWidthOf, decodeDict32, decodeHybrid, PageError, unpackBits } from './rle.js';
import { snappyDecode } from './snappy.js';
import { CompactReader, get, type TStruct } from './thrift.js';

const require = createRequire(import.meta.url);
type ZstdBinding = typeof import('zstd-napi/binding.js');
let zstd: InstanceType<ZstdBinding['DCtx']> | undefined;
let lz4: { decodeBlock(input: Uint8Array, output: Uint8Array): number } | undefined;

/** The codecs this reader decodes itself (others go through parquet-wasm). */
export const CODECS: ReadonlySet<number> = new Set([
  Codec.UNCOMPRESSED,
  Codec.SNAPPY,
  Codec.ZSTD,
  Codec.GZIP,
  Codec.LZ4_RAW,
]);
export const ENCODINGS: ReadonlySet<number> = new Set([
  Encoding.PLAIN,
  Encoding.PLAIN_DICTIONARY,
  Encoding.RLE,
  Encoding.RLE_DICTIONARY,
  Encoding.BIT_PACKED, // levels only (parquet-mr lists it for levels whose maximum is 0)
]);
export const PHYSICAL: ReadonlySet<number> = new Set([
  Physical.BOOLEAN,
  Physical.INT32,
  Physical.INT64,
  Physical.FLOAT,
  Physical.DOUBLE,
]);

/**
 * Scratch reused from chunk to chunk: decompressed pages, encoded levels, dictionary indices. Decoding is
 * synchronous, and a chunk's levels are read before the next chunk is decoded (see `DecodedChunk`).
 */
let pageScratch: Uint8Array = new Uint8Array(1 << 16);
const defLevels = new ChunkLevels();
const repLevels = new ChunkLevels();
/** The definition levels of a list's first field, kept while further fields of its collection are decoded. */
const listDefLevels = new ChunkLevels();
let indices = new Int32Array(1 << 14);
const grow = (a: Uint8Array, n: number) => (a.length >= n ? a : new Uint8Array(Math.max(n, a.length * 2)));

function decompress(codec: number, src: Uint8Array, size: number): Uint8Array {
  if (codec === Codec.UNCOMPRESSED) return src;
  pageScratch = grow(pageScratch, size);
  const dst = pageScratch.subarray(0, size);
  if (codec === Codec.ZSTD) {
    zstd ??= new (require('zstd-napi/binding.js') as ZstdBinding).DCtx();
    const n = zstd.decompress(dst, src);
    if (n !== size) throw new PageError(`zstd produced ${n} bytes, the page header says ${size}`);
  } else if (codec === Codec.SNAPPY) {
    try {
      snappyDecode(src, dst);
    } catch (e) {
      throw new PageError((e as Error).message);
    }
  } else if (codec === Codec.LZ4_RAW) {
    lz4 ??= require('lz4') as { decodeBlock(input: Uint8Array, output: Uint8Array): number };
    const n = lz4.decodeBlock(src, dst);
    if (n !== size) throw new PageError(`lz4 produced ${n} bytes, the page header says ${size}`);
  } else if (codec === Codec.GZIP) {
    const out = unzipSync(src, { maxOutputLength: Math.max(1, size) });
    if (out.length !== size)
      throw new PageError(`gzip produced ${out.length} bytes, the page header says ${size}`);
    return out;
  } else throw new PageError(`codec ${codec} is not supported`);
  return dst;
}

/** Bytes per value of a fixed-width physical type (0 for booleans, which are bits). */
const WIDTH: Record<number, number> = {
  [Physical.INT32]: 4,
  [Physical.INT64]: 8,
  [Physical.FLOAT]: 4,
  [Physical.DOUBLE]: 8,
};

/**
 * A decoded column chunk: the dense non-null values, and the levels (absent when the maximum is 0) still
 * encoded, decoded only where needed (`def.decode()`; `offsetsFromLevels` for `rep`).
 */
export interface DecodedChunk {
  /** Number of level entries (values including nulls and empty lists). The levels are scratch: valid until
   * the next chunk is decoded. */
  readonly entries: number;
  readonly def?: ChunkLevels;
  readonly rep?: ChunkLevels;
  /** Non-null values: bytes (0/1) for booleans, otherwise the bytes of little-endian fixed-width values. */
  readonly values: Uint8Array;
  readonly count: number;
}

/** Decodes every page of one column chunk (`bytes` = the chunk's byte range). */
export function decodeChunk(
  bytes: Uint8Array,
  leaf: Leaf,
  codec: number,
  entries: number,
  /** False when the caller has the list offsets already (a further field of a collection): rep levels skipped. */
  withRep = true,
  /** Where the values buffer comes from (a scan's pool when it reuses buffers). */
  alloc: Alloc = freshAlloc,
  /** A further field's collection: the first field's definition levels (the pages whose level bytes are the
   * same hold as many values, uncounted). */
  like?: ChunkLevels,
): DecodedChunk {
  const width = WIDTH[leaf.physical] ?? 0;
  const isBool = leaf.physical === Physical.BOOLEAN;
  if (!isBool && !width) throw new PageError(`physical type ${leaf.physical} is not supported`);
  const size = isBool ? 1 : width;
  const hasRep = leaf.maxRep > 0;
  const defSlot = hasRep && withRep ? listDefLevels : defLevels;
  const def = leaf.maxDef > 0 ? defSlot.reset(bitWidthOf(leaf.maxDef), entries) : undefined;
  const rep = hasRep && withRep ? repLevels.reset(bitWidthOf(leaf.maxRep), entries) : undefined;
  // Not zero-filled: every value slot up to `count` is written below, and only those are read.
  const values = alloc(entries * size);
  let dict: Uint8Array | undefined;
  let dictCount = 0;
  let filled = 0; // level entries so far
  let count = 0; // values so far
  let pos = 0;
  while (pos < bytes.length && filled < entries) {
    const r = new CompactReader(bytes, pos);
    const h = r.struct();
    pos = r.pos;
    const type = get.int(h, 1);
    const usize = get.int(h, 2) ?? 0;
    const csize = get.int(h, 3) ?? 0;
    if (csize < 0 || usize < 0 || pos + csize > bytes.length)
      throw new PageError('a page runs past its column chunk');
    const body = bytes.subarray(pos, pos + csize);
    pos += csize;
    if (type === 2) {
      const dh = get.struct(h, 7) as TStruct;
      dictCount = get.int(dh, 1) ?? 0;
      const page = decompress(codec, body, usize);
      if (isBool) throw new PageError('dictionary-encoded booleans are not supported');
      if (dictCount * width > page.length)
        throw new PageError('the dictionary page is shorter than its values');
      dict = page.slice(0, dictCount * width);
      continue;
    }
    if (type !== 0 && type !== 3) continue; // index pages
    let n: number;
    let encoding: number;
    let page: Uint8Array;
    let p = 0;
    let levelsEnd: number;
    if (type === 0) {
      const dh = get.struct(h, 5) as TStruct;
      n = get.int(dh, 1) ?? 0;
      encoding = get.int(dh, 2) ?? 0;
      page = decompress(codec, body, usize);
      levelsEnd = page.length;
      if (n > entries - filled) throw new PageError('the pages hold more values than the column chunk');
      for (const [levels, max, enc, present] of [
        [rep, leaf.maxRep, get.int(dh, 4), hasRep],
        [def, leaf.maxDef, get.int(dh, 3), leaf.maxDef > 0],
      ] as const) {
        if (!present) continue;
        if (enc === Encoding.BIT_PACKED) {
          const skip = Math.ceil((n * bitWidthOf(max)) / 8);
          if (p + skip > page.length) throw new PageError('levels run past the page');
          levels?.add(page, p, p + skip, filled, n, true);
          p += skip;
          continue;
        }
        if (p + 4 > page.length) throw new PageError('levels run past the page');
        const len = new DataView(page.buffer, page.byteOffset + p, 4).getUint32(0, true);
        p += 4;
        if (p + len > levelsEnd) throw new PageError('levels run past the page');
        levels?.add(page, p, p + len, filled, n, false);
        p += len;
      }
    } else {
      const dh = get.struct(h, 8) as TStruct;
      n = get.int(dh, 1) ?? 0;
      encoding = get.int(dh, 4) ?? 0;
      const defLen = get.int(dh, 5) ?? 0;
      const repLen = get.int(dh, 6) ?? 0;
      if (n > entries - filled) throw new PageError('the pages hold more values than the column chunk');
      if (defLen + repLen > body.length) throw new PageError('levels run past the page');
      rep?.add(body, 0, repLen, filled, n, false);
      def?.add(body, repLen, repLen + defLen, filled, n, false);
      const compressed = get.bool(dh, 7) ?? true;
      const rest = body.subarray(defLen + repLen);
      page = compressed ? decompress(codec, rest, usize - defLen - repLen) : rest;
    }
    // Values present in this page: entries at the maximum definition level.
    const present = def ? def.countLast(leaf.maxDef, like) : n;
    if (encoding === Encoding.PLAIN) {
      if (isBool) {
        if (p + ((present + 7) >> 3) > page.length) throw new PageError('boolean values run past the page');
        unpackBits(page, p, values, count, present);
      } else {
        if (p + present * width > page.length) throw new PageError('values run past the page');
        values.set(page.subarray(p, p + present * width), count * width);
      }
    } else if (encoding === Encoding.RLE && isBool) {
      p += 4; // a 4-byte length before the runs
      decodeHybrid(page, p, page.length, 1, values, count, present);
    } else if (encoding === Encoding.RLE_DICTIONARY || encoding === Encoding.PLAIN_DICTIONARY) {
      if (!dict) throw new PageError('a dictionary-encoded page comes without a dictionary');
      if (present > 0) {
        if (indices.length < present) indices = new Int32Array(Math.max(present, indices.length * 2));
        const bw = page[p] ?? 0;
        if (width === 4 && bw > 4 && bw <= 24 && dict.byteOffset % 4 === 0)
          decodeDict32(
            page,
            p + 1,
            page.length,
            bw,
            new Int32Array(dict.buffer, dict.byteOffset, dictCount),
            values,
            count,
            present,
          );
        else {
          decodeHybrid(page, p + 1, page.length, bw, indices, 0, present);
          gather(dict, dictCount, width, indices, present, values, count);
        }
      }
    } else throw new PageError(`encoding ${encoding} is not supported`);
    count += present;
    filled += n;
  }
  if (filled !== entries) throw new PageError(`the pages hold ${filled} of the chunk's ${entries} values`);
  return { entries, ...(def ? { def } : {}), ...(rep ? { rep } : {}), values, count };
}

/** values[at + i] = dict[indices[i]] for fixed-width values of 4 or 8 bytes. */
function gather(
  dict: Uint8Array,
  dictCount: number,
  width: number,
  indices: Int32Array,
  n: number,
  values: Uint8Array,
  at: number,
): void {
  if (dict.byteOffset % 4 === 0 && values.byteOffset % 4 === 0) {
    const words = width / 4;
    const d = new Int32Array(dict.buffer, dict.byteOffset, dictCount * words);
    const o = new Int32Array(values.buffer, values.byteOffset, values.length >> 2);
    if (words === 1) {
      for (let i = 0; i < n; i++) {
        const k = indices[i]!;
        if (k >= dictCount) throw new PageError(`dictionary index ${k} past its ${dictCount} entries`);
        o[at + i] = d[k]!;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const k = indices[i]!;
        if (k >= dictCount) throw new PageError(`dictionary index ${k} past its ${dictCount} entries`);
        o[(at + i) * 2] = d[k * 2]!;
        o[(at + i) * 2 + 1] = d[k * 2 + 1]!;
      }
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const k = indices[i]!;
    if (k >= dictCount) throw new PageError(`dictionary index ${k} past its ${dictCount} entries`);
    values.set(dict.subarray(k * width, (k + 1) * width), (at + i) * width);
  }
}
