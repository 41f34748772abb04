/** Per-algorithm decoders that write one ROOT block's output straight into its slice of the destination. */
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import { lz4Codec, zstdCodec } from '../../../exec/core/index.js';

// The native codecs load with their first block (a command that reads no such block, or no ROOT file at all,
// never pays their start). LZ4 and ZSTD are exec/core/codecs.ts's choice: native when built, else a fallback.
const require = createRequire(import.meta.url);
let xz: typeof import('@napi-rs/lzma')['xz'] | undefined;

/** Each decoder fills `dst` exactly (its length is the block's uncompressed size) or throws. */
export type BlockDecoder = (block: Uint8Array, dst: Uint8Array) => void;

/**
 * 'ZL': a zlib stream (2-byte header, deflate data, Adler-32 trailer). `inflateSync` checks the Adler-32,
 * so a corrupted block fails instead of yielding wrong bytes; raw inflate measured only ~5% faster.
 * A single output chunk of the expected size avoids a concatenation; the output is then copied once.
 */
export function decodeZlib(block: Uint8Array, dst: Uint8Array): void {
  const size = dst.length;
  const out = inflateSync(block, { chunkSize: Math.max(64, size + 1), maxOutputLength: Math.max(1, size) });
  if (out.length !== size) throw new Error(`zlib produced ${out.length} bytes, header says ${size}`);
  dst.set(out);
}

/** 'XZ': a complete .xz stream. The library returns a fresh buffer, so this copies once (LZMA is slow anyway). */
export function decodeXz(block: Uint8Array, dst: Uint8Array): void {
  xz ??= (require('@napi-rs/lzma') as typeof import('@napi-rs/lzma')).xz;
  const out = xz.decompressSync(block);
  if (out.length !== dst.length)
    throw new Error(`xz produced ${out.length} bytes, header says ${dst.length}`);
  dst.set(out);
}

/** 'ZS': a zstd frame, decoded in place (native: one reusable context, no copy). */
export function decodeZstd(block: Uint8Array, dst: Uint8Array): void {
  const n = zstdCodec().decode(block, dst);
  if (n !== dst.length) throw new Error(`zstd produced ${n} bytes, header says ${dst.length}`);
}

/** 'L4' payload after its checksum: a raw LZ4 block (not a frame), decoded into `dst` with bounds checks. */
export function decodeLz4(lz4Block: Uint8Array, dst: Uint8Array): void {
  const codec = lz4Codec();
  const n = codec.decode(lz4Block, dst);
  // The native decoder says where the data went wrong (-n); lz4-napi only that it did (-1).
  if (n < 0)
    throw new Error(`lz4 data is malformed${codec.name === 'lz4-napi' ? '' : ` at byte ${-n}`} of the block`);
  if (n !== dst.length) throw new Error(`lz4 produced ${n} bytes, header says ${dst.length}`);
}
