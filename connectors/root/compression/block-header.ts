/** The 9-byte header that opens every ROOT compressed block, and the algorithm tags it may carry. */

/** Bytes in a block header: 2-byte tag, 1-byte method, 3-byte compressed size, 3-byte uncompressed size. */
export const BLOCK_HEADER_SIZE = 9;

/** Largest size a 3-byte size field can hold; ROOT splits bigger objects into several blocks. */
export const MAX_BLOCK_SIZE = 0xffffff;

/** Tags as 16-bit big-endian codes (`src[pos] << 8 | src[pos + 1]`), so the hot path compares integers. */
export const TAG_ZLIB = 0x5a4c; // 'ZL'
export const TAG_LZMA = 0x585a; // 'XZ'
export const TAG_LZ4 = 0x4c34; // 'L4'
export const TAG_ZSTD = 0x5a53; // 'ZS'
export const TAG_OLD = 0x4353; // 'CS': ROOT's pre-zlib algorithm

/** Bytes of xxhash64 checksum that precede the LZ4 block inside an 'L4' block (counted in its compressed size). */
export const LZ4_CHECKSUM_SIZE = 8;

/** The decoded fields of one block header. */
export interface BlockHeader {
  /** Two-character algorithm tag, e.g. `ZL`. */
  readonly tag: string;
  readonly method: number;
  /** Compressed bytes after the 9-byte header. */
  readonly compressedSize: number;
  readonly uncompressedSize: number;
}

/** Reads the block header at `pos`; the caller checks that 9 bytes are available. */
export function readBlockHeader(src: Uint8Array, pos: number): BlockHeader {
  return {
    tag: String.fromCharCode(src[pos]!, src[pos + 1]!),
    method: src[pos + 2]!,
    compressedSize: src[pos + 3]! | (src[pos + 4]! << 8) | (src[pos + 5]! << 16),
    uncompressedSize: src[pos + 6]! | (src[pos + 7]! << 8) | (src[pos + 8]! << 16),
  };
}

/** Writes a block header, e.g. for tests that build payloads. */
export function writeBlockHeader(
  dst: Uint8Array,
  pos: number,
  tag: string,
  method: number,
  compressedSize: number,
  uncompressedSize: number,
): void {
  dst[pos] = tag.charCodeAt(0);
  dst[pos + 1] = tag.charCodeAt(1);
  dst[pos + 2] = method;
  dst[pos + 3] = compressedSize & 0xff;
  dst[pos + 4] = (compressedSize >>> 8) & 0xff;
  dst[pos + 5] = (compressedSize >>> 16) & 0xff;
  dst[pos + 6] = uncompressedSize & 0xff;
  dst[pos + 7] = (uncompressedSize >>> 8) & 0xff;
  dst[pos + 8] = (uncompressedSize >>> 16) & 0xff;
}

/**
 * The algorithm tags of the blocks in a payload, in order (e.g. `['ZL', 'ZL']`), for inspection and tests.
 * Returns `[]` when `uncompressedSize` is given and equals `src.length` (stored raw). Stops at the first
 * header that is truncated or whose block would run past the end of `src`.
 */
export function blockAlgorithms(src: Uint8Array, uncompressedSize?: number): string[] {
  if (uncompressedSize !== undefined && src.length === uncompressedSize) return [];
  const tags: string[] = [];
  let pos = 0;
  let produced = 0;
  while (pos + BLOCK_HEADER_SIZE <= src.length) {
    const h = readBlockHeader(src, pos);
    const next = pos + BLOCK_HEADER_SIZE + h.compressedSize;
    if (next > src.length) break;
    tags.push(h.tag);
    pos = next;
    produced += h.uncompressedSize;
    if (uncompressedSize !== undefined && produced >= uncompressedSize) break;
  }
  return tags;
}
