/**
 * Decompression rates (MB/s of output, one core) per algorithm, measured once per process with a tiny
 * calibration over NanoAOD-like float data, so the cost model turns compressed bytes into seconds.
 */
import { createRequire } from 'node:module';
import { deflateSync, inflateSync } from 'node:zlib';
import { lz4Codec, Rng, zstdCodec, zstdReady } from '../../exec/core/index.js';

export type Algorithm = 'none' | 'zlib' | 'lz4' | 'zstd' | 'lzma';
export const ALGORITHMS: readonly Algorithm[] = ['none', 'zlib', 'lz4', 'zstd', 'lzma'];

/** MB/s of decompressed output per algorithm on one core. */
export type DecompressionRates = Readonly<Record<Algorithm, number>>;

/** Rates measured on the project's machines (DESIGN.md §8): used until, or instead of, a calibration. */
export const DEFAULT_RATES: DecompressionRates = { none: 5000, zlib: 250, lz4: 2000, zstd: 600, lzma: 30 };

// The codecs load only when a calibration runs (most commands never calibrate).
const require = createRequire(import.meta.url);

/** Float32 values with a physics-like (exponential) spread and NanoAOD's reduced precision. */
function sample(bytes: number): Uint8Array {
  const f = new Float32Array(bytes / 4);
  const rng = new Rng(2463534242);
  for (let i = 0; i < f.length; i++) f[i] = rng.exponential(30);
  // NanoAOD stores most floats with a 10-bit mantissa: the low 13 bits are zero, which codecs exploit.
  const u = new Uint32Array(f.buffer);
  for (let i = 0; i < u.length; i++) u[i] = u[i]! & 0xffffe000;
  return new Uint8Array(f.buffer);
}

/** Decompress repeatedly for at least `minMs`; MB/s of output. */
function rate(out: number, decode: () => void, minMs: number): number {
  decode(); // warm-up
  let n = 0;
  const t0 = performance.now();
  let dt = 0;
  do {
    decode();
    n++;
    dt = performance.now() - t0;
  } while (dt < minMs);
  return (out * n) / 1e6 / (dt / 1e3);
}

/** Measure every algorithm now (about 0.1–0.2 s in all). */
export function calibrateDecompression(minMs = 15): DecompressionRates {
  // The codecs the reader uses here (exec/core/codecs.ts: native when built, else the fallbacks).
  const lz4 = lz4Codec();
  const { lzma } = require('@napi-rs/lzma') as typeof import('@napi-rs/lzma');
  const data = sample(1 << 19);
  const small = data.subarray(0, 1 << 17);
  const dst = new Uint8Array(data.length);
  const z = deflateSync(data);
  const lzBlock = lz4.encode(data) ?? data;
  // Without the native zstd the WebAssembly one needs an await this synchronous call cannot make: the default.
  const zstd = zstdReady() ? zstdCodec() : undefined;
  const zs = zstd?.encode(data, 3);
  // The .lzma form: this library's xz encoder only stores (never compresses), which would time a memcpy.
  const x = lzma.compressSync(small);
  return {
    none: rate(data.length, () => dst.set(data), minMs),
    zlib: rate(data.length, () => inflateSync(z), minMs),
    lz4: rate(data.length, () => lz4.decode(lzBlock, dst), minMs),
    zstd: zstd && zs ? rate(data.length, () => zstd.decode(zs, dst), minMs) : DEFAULT_RATES.zstd,
    lzma: rate(small.length, () => lzma.decompressSync(x), minMs),
  };
}

let measured: DecompressionRates | undefined;

/** The rates of this process: calibrated on first use and cached. */
export function decompressionRates(): DecompressionRates {
  measured ??= calibrateDecompression();
  return measured;
}

/** This process's calibrated rates if they were measured already, else the defaults (measuring costs 0.1–0.3 s). */
export function ratesSoFar(): DecompressionRates {
  return measured ?? DEFAULT_RATES;
}

/** An algorithm's name as ROOT tags or users write it (`ZL`, `XZ`, `L4`, `ZS`, `lzma`, `zstd`, …). */
export function algorithmOf(name: string | undefined): Algorithm | undefined {
  switch ((name ?? '').toLowerCase()) {
    case 'zl':
    case 'zlib':
    case 'deflate':
      return 'zlib';
    case 'l4':
    case 'lz4':
      return 'lz4';
    case 'zs':
    case 'zstd':
      return 'zstd';
    case 'xz':
    case 'lzma':
      return 'lzma';
    case 'none':
    case 'uncompressed':
      return 'none';
    default:
      return undefined;
  }
}
