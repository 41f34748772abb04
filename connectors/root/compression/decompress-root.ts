/** Decodes a ROOT object payload (a key's or a TBasket's data): raw, or a chain of tagged compressed blocks. */
import { HepqError } from '../../../exec/core/index.js';
import {
  BLOCK_HEADER_SIZE,
  LZ4_CHECKSUM_SIZE,
  TAG_LZ4,
  TAG_LZMA,
  TAG_OLD,
  TAG_ZLIB,
  TAG_ZSTD,
} from './block-header.js';
import { xxhash64 } from './checksum.js';
import { decodeLz4, decodeXz, decodeZlib, decodeZstd } from './codecs.js';

/** Where the payload came from, for error locations. */
export interface DecodeContext {
  readonly file: string;
  /** Object path inside the file, e.g. `Events/Muon_pt` (basket) or a key's name. */
  readonly object?: string;
  /** File byte offset of the payload's first byte (the first block header). */
  readonly offset: number;
}

const SUPPORTED = 'ZL (zlib), XZ (lzma), L4 (lz4), ZS (zstd)';

/**
 * Decompress a ROOT object payload of `src.length` compressed bytes into exactly `uncompressedSize`
 * bytes. A payload as long as its uncompressed size is stored raw: `src` itself is returned (or copied
 * into `out`). Otherwise the blocks are decoded in order, each by its own 2-byte tag (never by a
 * file-level setting), straight into its slice of the output where the codec allows.
 *
 * `out`, if given, must hold at least `uncompressedSize` bytes; the result is then a view of it.
 * Without `out` the result is a fresh, unpooled `Uint8Array` at byte offset 0 (safe to transfer).
 * Throws a located `HepqError` (`root/corrupt-block`, `root/checksum-mismatch`,
 * `root/unsupported-compression`, `root/compression-not-initialised`) — never returns partial output.
 */
export function decompressRoot(
  src: Uint8Array,
  uncompressedSize: number,
  ctx: DecodeContext,
  out?: Uint8Array,
): Uint8Array {
  if (!Number.isSafeInteger(uncompressedSize) || uncompressedSize < 0) {
    throw fail(ctx, 0, `invalid uncompressed size ${uncompressedSize}`);
  }
  if (out && out.length < uncompressedSize) {
    throw new HepqError(
      'root/bad-argument',
      `output buffer of ${out.length} bytes is too small for ${uncompressedSize} uncompressed bytes`,
      { location: location(ctx, 0) },
    );
  }
  if (src.length === uncompressedSize && !out) return src;
  // Check the whole block chain first: no allocation or decoding for a payload whose sizes are wrong.
  if (src.length !== uncompressedSize) checkBlockChain(src, uncompressedSize, ctx);
  const dst = outputBuffer(uncompressedSize, out);
  if (src.length === uncompressedSize) {
    dst.set(src);
    return dst;
  }
  let pos = 0;
  let produced = 0;
  while (produced < uncompressedSize) {
    const tag = (src[pos]! << 8) | src[pos + 1]!;
    const cSize = src[pos + 3]! | (src[pos + 4]! << 8) | (src[pos + 5]! << 16);
    const uSize = src[pos + 6]! | (src[pos + 7]! << 8) | (src[pos + 8]! << 16);
    const dataStart = pos + BLOCK_HEADER_SIZE;
    const dataEnd = dataStart + cSize;
    decodeBlock(
      tag,
      src.subarray(dataStart, dataEnd),
      dst.subarray(produced, produced + uSize),
      src,
      pos,
      ctx,
    );
    pos = dataEnd;
    produced += uSize;
  }
  return dst;
}

/** Walks the block headers: each block fits in `src`, the sizes sum to `uncompressedSize`, nothing trails. */
function checkBlockChain(src: Uint8Array, uncompressedSize: number, ctx: DecodeContext): void {
  let pos = 0;
  let produced = 0;
  let lastBlock = 0;
  while (produced < uncompressedSize) {
    if (pos + BLOCK_HEADER_SIZE > src.length) {
      if (pos < src.length) {
        throw fail(
          ctx,
          pos,
          `truncated block header: ${src.length - pos} bytes left, a header needs ${BLOCK_HEADER_SIZE}`,
        );
      }
      // Located at the last block: its sizes (or the payload length) are what do not add up.
      throw fail(
        ctx,
        lastBlock,
        `compressed payload of ${src.length} bytes ends with ${uncompressedSize - produced} of ${uncompressedSize} output bytes still missing`,
      );
    }
    lastBlock = pos;
    const cSize = src[pos + 3]! | (src[pos + 4]! << 8) | (src[pos + 5]! << 16);
    const uSize = src[pos + 6]! | (src[pos + 7]! << 8) | (src[pos + 8]! << 16);
    const dataStart = pos + BLOCK_HEADER_SIZE;
    const dataEnd = dataStart + cSize;
    if (dataEnd > src.length) {
      throw fail(
        ctx,
        pos,
        `truncated ${tagName(src, pos)} block: header says ${cSize} compressed bytes, only ${src.length - dataStart} present`,
      );
    }
    if (produced + uSize > uncompressedSize) {
      throw fail(
        ctx,
        pos,
        `block sizes do not add up: this ${tagName(src, pos)} block would produce bytes ${produced}..${produced + uSize} of an object of ${uncompressedSize}`,
      );
    }
    pos = dataEnd;
    produced += uSize;
  }
  if (pos !== src.length) {
    throw fail(
      ctx,
      pos,
      `${src.length - pos} unexpected bytes after the last block (the blocks already produced all ${uncompressedSize} bytes)`,
    );
  }
}

/** Dispatches one block on its tag; wraps any decoder failure in a located error. */
function decodeBlock(
  tag: number,
  block: Uint8Array,
  slice: Uint8Array,
  src: Uint8Array,
  pos: number,
  ctx: DecodeContext,
): void {
  try {
    switch (tag) {
      case TAG_ZLIB:
        decodeZlib(block, slice);
        return;
      case TAG_ZSTD:
        decodeZstd(block, slice);
        return;
      case TAG_LZ4:
        decodeLz4(verifyLz4Checksum(block, ctx, pos), slice);
        return;
      case TAG_LZMA:
        decodeXz(block, slice);
        return;
      case TAG_OLD:
        throw new HepqError(
          'root/unsupported-compression',
          `block compressed with ROOT's old 'CS' algorithm: not supported yet`,
          {
            location: location(ctx, pos),
            hint: `re-write the file with a current ROOT (e.g. hadd -f or rootcp); supported: ${SUPPORTED}`,
          },
        );
      default:
        throw new HepqError(
          'root/corrupt-block',
          `unknown compression algorithm tag ${tagName(src, pos)} at the start of a block`,
          {
            location: location(ctx, pos),
            hint: `supported tags: ${SUPPORTED}; an unknown tag usually means a wrong offset or a damaged file`,
          },
        );
    }
  } catch (err) {
    if (err instanceof HepqError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new HepqError(
      'root/corrupt-block',
      `cannot decode ${tagName(src, pos)} block (${block.length} compressed → ${slice.length} bytes): ${reason}`,
      { location: location(ctx, pos), hint: 'the file is damaged or truncated; re-copy it', cause: err },
    );
  }
}

/** Checks the big-endian xxhash64 that opens an 'L4' block; returns the LZ4 data after it. */
function verifyLz4Checksum(block: Uint8Array, ctx: DecodeContext, pos: number): Uint8Array {
  if (block.length < LZ4_CHECKSUM_SIZE) {
    throw fail(ctx, pos, `L4 block of ${block.length} bytes is too short for its 8-byte checksum`);
  }
  const data = block.subarray(LZ4_CHECKSUM_SIZE);
  const actual = xxhash64(data);
  if (actual === undefined) {
    throw new HepqError(
      'root/compression-not-initialised',
      'LZ4 blocks need the xxhash64 checksum, which is not initialised',
      { location: location(ctx, pos), hint: 'await initCompression() once (per thread) before decoding' },
    );
  }
  // One BigInt for the stored value (building it byte by byte took 24 BigInt operations, about as long as
  // hashing a few-kB block: BENCHMARKS.md, "LZ4 checksum").
  const expected = new DataView(block.buffer, block.byteOffset, LZ4_CHECKSUM_SIZE).getBigUint64(0, false);
  if (actual !== expected) {
    throw new HepqError(
      'root/checksum-mismatch',
      `L4 block checksum mismatch: stored xxhash64 ${hex64(expected)}, computed ${hex64(actual)}`,
      { location: location(ctx, pos), hint: 'the file is damaged; re-copy it' },
    );
  }
  return data;
}

function outputBuffer(size: number, out: Uint8Array | undefined): Uint8Array {
  if (out) return out.length === size ? out : out.subarray(0, size);
  // Unpooled and not zero-filled: every byte is written before return, and the view starts at offset 0.
  const buf = Buffer.allocUnsafeSlow(size);
  return new Uint8Array(buf.buffer, buf.byteOffset, size);
}

function location(ctx: DecodeContext, pos: number) {
  return { file: ctx.file, object: ctx.object, offset: ctx.offset + pos };
}

function fail(ctx: DecodeContext, pos: number, message: string): HepqError {
  return new HepqError('root/corrupt-block', message, {
    location: location(ctx, pos),
    hint: 'the file is damaged or truncated, or the key/basket offset is wrong',
  });
}

function tagName(src: Uint8Array, pos: number): string {
  const a = src[pos] ?? 0;
  const b = src[pos + 1] ?? 0;
  const printable = (c: number) => c >= 0x20 && c < 0x7f;
  return printable(a) && printable(b)
    ? `'${String.fromCharCode(a, b)}'`
    : `0x${((a << 8) | b).toString(16).padStart(4, '0')}`;
}

function hex64(v: bigint): string {
  return `0x${v.toString(16).padStart(16, '0')}`;
}
