/** The encode side of ROOT's compression frame: an object's bytes → a chain of 9-byte-header blocks (ZL, XZ, L4, ZS). */
import { execFileSync } from 'node:child_process';
import { deflateSync } from 'node:zlib';
import { HepqError } from '../../../exec/batch/index.js';
import { lz4Codec, zstdCodec } from '../../../exec/core/index.js';
import { BLOCK_HEADER_SIZE, MAX_BLOCK_SIZE, writeBlockHeader } from '../compression/block-header.js';
import { initCompression, xxhash64 } from '../compression/checksum.js';

export type CompressionAlgorithm = 'none' | 'zlib' | 'lzma' | 'lz4' | 'zstd';

export interface Compression {
  readonly algorithm: CompressionAlgorithm;
  /** 1..9 (zstd up to 22 is clamped to ROOT's 1..9 in fCompress but passed through to the codec). */
  readonly level: number;
}

/** ROOT's algorithm numbers in fCompress = 100 * algorithm + level. */
const ALGORITHM_CODE: Record<CompressionAlgorithm, number> = { none: 0, zlib: 1, lzma: 2, lz4: 4, zstd: 5 };

const DEFAULT_LEVEL: Record<CompressionAlgorithm, number> = { none: 0, zlib: 1, lzma: 8, lz4: 4, zstd: 5 };

/** The fCompress value ROOT stores for a setting (0 for none). */
export function compressSetting(c: Compression): number {
  if (c.algorithm === 'none' || c.level === 0) return 0;
  return ALGORITHM_CODE[c.algorithm] * 100 + Math.min(9, c.level);
}

/** Parse `zstd:5`, `lz4`, `zlib:9`, `lzma:8`, `none` (the CLI and API spelling). */
export function parseCompression(text: string): Compression {
  const m = /^(none|zlib|lzma|lz4|zstd)(?::(\d+))?$/i.exec(text.trim());
  if (!m) {
    throw new HepqError('root/bad-compression', `unknown compression '${text}'`, {
      hint: 'use none, zlib[:1-9], lzma[:1-9], lz4[:1-9] or zstd[:1-9], e.g. zstd:5',
    });
  }
  const algorithm = m[1]!.toLowerCase() as CompressionAlgorithm;
  const level = m[2] === undefined ? DEFAULT_LEVEL[algorithm] : Number(m[2]);
  if (algorithm !== 'none' && (level < 1 || level > 9)) {
    throw new HepqError('root/bad-compression', `compression level ${level} is outside 1..9 in '${text}'`, {
      hint: 'ROOT stores the level in one decimal digit: use 1 (fast) to 9 (small)',
    });
  }
  return { algorithm, level: algorithm === 'none' ? 0 : level };
}

/** Whether the `xz` program can be run (checked once). */
let xzProgram: boolean | undefined;

/**
 * An .xz stream. @napi-rs/lzma's encoder (the only one installed) stores LZMA2 chunks uncompressed, so the
 * system's `xz` (liblzma, ROOT's own codec) is used when present; without it the stream is valid but no
 * smaller, and the basket is then stored raw.
 */
function encodeXz(data: Uint8Array, level: number): Uint8Array {
  if (xzProgram !== false) {
    try {
      // A dictionary no larger than the input keeps each run cheap (xz -6 would allocate ~90 MiB).
      const dict = Math.max(4096, 2 ** Math.ceil(Math.log2(Math.max(1, data.length))));
      const out = execFileSync(
        'xz',
        ['--format=xz', '--check=crc32', `--lzma2=preset=${level},dict=${dict}`, '-c'],
        {
          input: data,
          maxBuffer: 2 * data.length + (1 << 20),
        },
      );
      xzProgram = true;
      return out;
    } catch (err) {
      if (xzProgram === true) throw err;
      xzProgram = false;
    }
  }
  const { xz } = require('@napi-rs/lzma') as typeof import('@napi-rs/lzma');
  return xz.compressSync(data);
}

/** Compress one piece (≤ 16 MiB − 1) and return the block body and its method byte, or undefined if it did not shrink. */
function encodePiece(
  c: Compression,
  data: Uint8Array,
): { tag: string; method: number; body: Uint8Array } | undefined {
  switch (c.algorithm) {
    case 'zlib': {
      const body = deflateSync(data, { level: c.level });
      return { tag: 'ZL', method: 8, body };
    }
    case 'lzma':
      return { tag: 'XZ', method: 0, body: encodeXz(data, c.level) };
    case 'zstd':
      return { tag: 'ZS', method: 1, body: zstdCodec().encode(data, c.level) };
    case 'lz4': {
      const lzBlock = lz4Codec().encode(data);
      if (!lzBlock) return undefined; // incompressible
      const h = xxhash64(lzBlock);
      if (h === undefined)
        throw new HepqError('root/compression-not-initialised', 'await initCompression() before writing LZ4');
      const body = new Uint8Array(8 + lzBlock.length);
      new DataView(body.buffer, 0, 8).setBigUint64(0, h);
      body.set(lzBlock, 8);
      return { tag: 'L4', method: 1, body };
    }
    case 'none':
      return undefined;
  }
}

/**
 * The stored form of an object's bytes: ROOT's block chain (one block per ≤ 16 MiB piece), or the bytes themselves
 * when compression is off or does not make them smaller (readers tell the two apart by comparing sizes).
 */
export function compressRoot(data: Uint8Array, c: Compression): Uint8Array {
  if (c.algorithm === 'none' || c.level === 0 || data.length === 0) return data;
  const blocks: Uint8Array[] = [];
  let total = 0;
  for (let start = 0; start < data.length; start += MAX_BLOCK_SIZE) {
    const piece = data.subarray(start, Math.min(data.length, start + MAX_BLOCK_SIZE));
    const enc = encodePiece(c, piece);
    if (!enc || enc.body.length + BLOCK_HEADER_SIZE >= piece.length) return data;
    const block = new Uint8Array(BLOCK_HEADER_SIZE + enc.body.length);
    writeBlockHeader(block, 0, enc.tag, enc.method, enc.body.length, piece.length);
    block.set(enc.body, BLOCK_HEADER_SIZE);
    blocks.push(block);
    total += block.length;
  }
  if (total >= data.length) return data;
  if (blocks.length === 1) return blocks[0]!;
  const out = new Uint8Array(total);
  let pos = 0;
  for (const b of blocks) {
    out.set(b, pos);
    pos += b.length;
  }
  return out;
}

/** Prepare the encoders that need asynchronous set-up (the xxhash64 of LZ4 blocks). */
export const initCompressors = initCompression;
