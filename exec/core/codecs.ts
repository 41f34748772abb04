/**
 * The LZ4 and ZSTD block codecs, the fastest that loads on this machine. The native packages `lz4` and
 * `zstd-napi` are optional dependencies (they compile with node-gyp, so a machine without a C++ toolchain
 * installs without them); the fallbacks ship without compiling: `lz4-napi` (prebuilt per platform) and
 * `@bokuweb/zstd-wasm` (WebAssembly, ready after `initCodecs()`). `HEPQ_CODECS=fallback` (or
 * `useCodecs('fallback')`) skips the native ones, so the fallbacks can be tested and measured on any machine.
 * bench/codec-candidates.mjs measured the candidates (BENCHMARKS.md).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface Lz4Codec {
  readonly name: string;
  /** Decode a raw LZ4 block (no frame) into `dst`; the number of bytes written, negative when malformed. */
  decode(block: Uint8Array, dst: Uint8Array): number;
  /** A raw LZ4 block of `src`, or undefined when it would not be smaller. */
  encode(src: Uint8Array): Uint8Array | undefined;
}

export interface ZstdCodec {
  readonly name: string;
  /** Decode one zstd frame into `dst`; the number of bytes written. */
  decode(frame: Uint8Array, dst: Uint8Array): number;
  /** One zstd frame of `src` at `level`. */
  encode(src: Uint8Array, level: number): Uint8Array;
}

type Choice = 'auto' | 'fallback';
let choice: Choice = process.env.HEPQ_CODECS === 'fallback' ? 'fallback' : 'auto';
let lz4: Lz4Codec | undefined;
let zstd: ZstdCodec | undefined;
interface ZstdWasm {
  init(): Promise<void>;
  compress(buf: Uint8Array, level?: number): Uint8Array;
  decompress(buf: Uint8Array): Uint8Array;
}
let wasm: ZstdWasm | undefined;
let wasmPending: Promise<void> | undefined;

/** Pick native codecs where they load ('auto', the default) or only the fallbacks; resets the choice made. */
export function useCodecs(which: Choice): void {
  choice = which;
  lz4 = undefined;
  zstd = undefined;
}

function tryRequire<T>(name: string): T | undefined {
  try {
    return require(name) as T;
  } catch {
    return undefined;
  }
}

interface NativeLz4 {
  encodeBound(n: number): number;
  encodeBlock(input: Uint8Array, output: Uint8Array): number;
  decodeBlock(input: Uint8Array, output: Uint8Array): number;
}
interface Lz4Napi {
  compressSync(data: Buffer): Buffer;
  uncompressSync(data: Uint8Array): Buffer;
}

/** The LZ4 codec: native `lz4` when it was built, else `lz4-napi`. Throws a clear error when neither loads. */
export function lz4Codec(): Lz4Codec {
  if (lz4) return lz4;
  const native = choice === 'auto' ? tryRequire<NativeLz4>('lz4') : undefined;
  if (native) {
    let scratch = new Uint8Array(1 << 16);
    lz4 = {
      name: 'lz4 (native)',
      decode: (block, dst) => native.decodeBlock(block, dst),
      encode(src) {
        const bound = native.encodeBound(src.length);
        if (scratch.length < bound) scratch = new Uint8Array(Math.max(bound, 2 * scratch.length));
        const n = native.encodeBlock(src, scratch);
        return n > 0 ? scratch.slice(0, n) : undefined; // 0: incompressible
      },
    };
    return lz4;
  }
  const napi = tryRequire<Lz4Napi>('lz4-napi');
  if (!napi) throw new Error('no LZ4 codec loads here: install the lz4-napi package (npm install)');
  // lz4-napi's block functions prepend the uncompressed size (4 bytes, little-endian) to the raw block.
  lz4 = {
    name: 'lz4-napi',
    decode(block, dst) {
      const framed = Buffer.allocUnsafe(block.length + 4);
      framed.writeUInt32LE(dst.length, 0);
      framed.set(block, 4);
      let out: Buffer;
      try {
        out = napi.uncompressSync(framed);
      } catch {
        return -1;
      }
      if (out.length > dst.length) return -1;
      dst.set(out);
      return out.length;
    },
    encode(src) {
      const out = napi.compressSync(Buffer.from(src.buffer, src.byteOffset, src.length));
      return out.length - 4 < src.length ? out.subarray(4) : undefined;
    },
  };
  return lz4;
}

interface ZstdBinding {
  DCtx: new () => { decompress(dst: Uint8Array, src: Uint8Array): number };
  CCtx: new () => { compress(dst: Uint8Array, src: Uint8Array, level: number): number };
  compressBound(n: number): number;
}

/** Load the WebAssembly zstd when the native one is absent (or not chosen); idempotent. */
export function initCodecs(): Promise<void> {
  if (wasm) return Promise.resolve();
  if (choice === 'auto' && tryRequire<ZstdBinding>('zstd-napi/binding.js')) return Promise.resolve();
  wasmPending ??= (async () => {
    const mod = tryRequire<ZstdWasm>('@bokuweb/zstd-wasm');
    if (!mod) return;
    await mod.init();
    wasm = mod;
  })().catch((err: unknown) => {
    wasmPending = undefined;
    throw err;
  });
  return wasmPending;
}

/** The ZSTD codec: native `zstd-napi` when it was built, else the WebAssembly one (after `initCodecs()`). */
export function zstdCodec(): ZstdCodec {
  if (zstd) return zstd;
  const native = choice === 'auto' ? tryRequire<ZstdBinding>('zstd-napi/binding.js') : undefined;
  if (native) {
    const d = new native.DCtx();
    const c = new native.CCtx();
    let scratch = new Uint8Array(1 << 16);
    zstd = {
      name: 'zstd-napi (native)',
      decode: (frame, dst) => d.decompress(dst, frame),
      encode(src, level) {
        const bound = native.compressBound(src.length);
        if (scratch.length < bound) scratch = new Uint8Array(Math.max(bound, 2 * scratch.length));
        return scratch.slice(0, c.compress(scratch, src, level));
      },
    };
    return zstd;
  }
  const w = wasm;
  if (!w) {
    throw new Error(
      'the ZSTD codec is not ready: await initCompression() first (zstd-napi is not built here, so the WebAssembly zstd is used)',
    );
  }
  zstd = {
    name: 'zstd-wasm',
    decode(frame, dst) {
      const out = w.decompress(frame);
      if (out.length > dst.length)
        throw new Error(`zstd produced ${out.length} bytes, more than ${dst.length}`);
      dst.set(out);
      return out.length;
    },
    encode: (src, level) => w.compress(src, level),
  };
  return zstd;
}

/** Whether a ZSTD codec can be used now without awaiting `initCodecs()`. */
export function zstdReady(): boolean {
  if (zstd || wasm) return true;
  return choice === 'auto' && tryRequire<ZstdBinding>('zstd-napi/binding.js') !== undefined;
}
