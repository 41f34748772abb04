/** Test-only helpers shared by the compression tests. */
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import { xz } from '@napi-rs/lzma';
import { compress as zstdCompress } from 'zstd-napi';
import { BLOCK_HEADER_SIZE, writeBlockHeader } from '../../../../connectors/root/compression/block-header.js';
import { xxhash64 } from '../../../../connectors/root/compression/checksum.js';
import { HepqError } from '../../../../exec/core/index.js';

const lz4 = createRequire(import.meta.url)('lz4') as {
  encodeBound(n: number): number;
  encodeBlock(input: Uint8Array, output: Uint8Array): number;
};

/** Runs `fn` and returns the HepqError it throws (fails the test if it does not throw one). */
export function catchError(fn: () => unknown): HepqError {
  try {
    fn();
  } catch (err) {
    if (err instanceof HepqError) return err;
    throw new Error(`expected a HepqError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected a HepqError, nothing was thrown');
}

/** Compresses `data` into one ROOT block with the given tag, as ROOT writes it (L4 with its xxhash64). */
export function encodeRootBlock(tag: 'ZL' | 'XZ' | 'L4' | 'ZS', data: Uint8Array): Uint8Array {
  let body: Uint8Array;
  let method = 1;
  switch (tag) {
    case 'ZL':
      body = deflateSync(data);
      method = 8;
      break;
    case 'XZ':
      body = xz.compressSync(data);
      method = 0;
      break;
    case 'ZS':
      body = zstdCompress(data);
      break;
    case 'L4': {
      const lz = Buffer.alloc(lz4.encodeBound(data.length));
      const n = lz4.encodeBlock(data, lz);
      if (n <= 0) throw new Error('incompressible test data');
      const h = xxhash64(lz.subarray(0, n));
      if (h === undefined) throw new Error('await initCompression() first');
      body = new Uint8Array(8 + n);
      new DataView(body.buffer).setBigUint64(0, h);
      body.set(lz.subarray(0, n), 8);
      break;
    }
  }
  const block = new Uint8Array(BLOCK_HEADER_SIZE + body.length);
  writeBlockHeader(block, 0, tag, method, body.length, data.length);
  block.set(body, BLOCK_HEADER_SIZE);
  return block;
}

/** Deterministic, compressible test bytes: little-endian floats of a smooth function plus a counter. */
export function sampleData(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  const view = new DataView(out.buffer);
  for (let i = 0; i + 4 <= n; i += 4)
    view.setFloat32(i, Math.round(100 * Math.sin((i + seed) / 400)) / 8, true);
  for (let i = n - (n % 4); i < n; i++) out[i] = i & 0xff;
  return out;
}
