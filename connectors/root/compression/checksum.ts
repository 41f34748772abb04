/** The xxhash64 used to verify LZ4 blocks: initialised once, asynchronously, then called synchronously. */
import xxhash from 'xxhash-wasm';
import { initCodecs } from '../../../exec/core/index.js';

type H64Raw = (input: Uint8Array, seed?: bigint) => bigint;

let h64Raw: H64Raw | undefined;
let pending: Promise<void> | undefined;

/**
 * Prepares the codecs that need asynchronous set-up: the xxhash64 WebAssembly module that verifies LZ4
 * blocks, and the WebAssembly zstd where the native one is not built. Idempotent and cheap after the first
 * call; the reader awaits it once when it opens a file (and once per worker thread). Other algorithms work
 * without it.
 */
export function initCompression(): Promise<void> {
  if (h64Raw) return initCodecs();
  pending ??= Promise.all([xxhash(), initCodecs()]).then(
    ([api]) => {
      h64Raw = api.h64Raw;
    },
    (err: unknown) => {
      pending = undefined; // allow a retry
      throw err;
    },
  );
  return pending;
}

/** Whether `initCompression()` has completed. */
export function compressionReady(): boolean {
  return h64Raw !== undefined;
}

/** xxhash64 (seed 0) of `data`, or `undefined` when `initCompression()` has not completed. */
export function xxhash64(data: Uint8Array): bigint | undefined {
  return h64Raw?.(data, 0n);
}
