/** Per-algorithm decoders that write one ROOT block's output straight into its slice of the destination. */
import { createRequire } from 'node:module';
import { constants, deflateSync, Inflate, inflateSync } from 'node:zlib';
import { lz4Codec, zstdCodec } from '../../../exec/core/index.js';

const Z_FINISH = constants.Z_FINISH;

// The native codecs load with their first block (a command that reads no such block, or no ROOT file at all,
// never pays their start). LZ4 and ZSTD are exec/core/codecs.ts's choice: native when built, else a fallback.
const require = createRequire(import.meta.url);
let xz: typeof import('@napi-rs/lzma')['xz'] | undefined;

/** Each decoder fills `dst` exactly (its length is the block's uncompressed size) or throws. */
export type BlockDecoder = (block: Uint8Array, dst: Uint8Array) => void;

/**
 * 'ZL': a zlib stream (2-byte header, deflate data, Adler-32 trailer); zlib checks the Adler-32, so a corrupted
 * block fails instead of yielding wrong bytes. `inflateSync` builds (and the collector later frees) a native
 * zlib context per call and returns its own buffer — for the ~1 kB baskets of a NanoAOD file that costs several
 * times the inflation. So one context per thread is reset and reused, writing straight into `dst`, through the
 * handle node's own `inflateSync` drives (`writeSync` with the in/out offsets, `_writeState` = [avail out,
 * avail in]); where that handle is not there (another node), `inflateSync` as before.
 */
export function decodeZlib(block: Uint8Array, dst: Uint8Array): void {
  if (inflater === undefined) inflater = reusableInflater() ?? false;
  const z = dst.length > 0 && inflater;
  if (z) {
    z.error = undefined;
    z.handle.reset();
    z.handle.writeSync(Z_FINISH, block, 0, block.length, dst, 0, dst.length);
    if (z.error !== undefined) throw new Error(`zlib: ${z.error}`);
    // Every input byte consumed and the output exactly filled: anything else is a size mismatch.
    if (z.state[1] !== 0)
      throw new Error(`zlib stream does not end within the ${dst.length} bytes the header says`);
    if (z.state[0] !== 0)
      throw new Error(`zlib produced ${dst.length - z.state[0]!} bytes, header says ${dst.length}`);
    // A full output does not say the stream ended (and its Adler-32 was checked): one more call with room for
    // a byte and no input must find the end and write nothing.
    z.handle.writeSync(Z_FINISH, block, block.length, 0, z.spare, 0, 1);
    if (z.error !== undefined) throw new Error(`zlib: ${z.error}`);
    if ((z.state[0] as number) !== 1)
      throw new Error(`zlib produced more than the ${dst.length} bytes the header says`);
    return;
  }
  const size = dst.length;
  const out = inflateSync(block, { chunkSize: Math.max(64, size + 1), maxOutputLength: Math.max(1, size) });
  if (out.length !== size) throw new Error(`zlib produced ${out.length} bytes, header says ${size}`);
  dst.set(out);
}

interface ZlibHandle {
  reset(): void;
  writeSync(
    flush: number,
    input: Uint8Array,
    inOff: number,
    inLen: number,
    out: Uint8Array,
    outOff: number,
    outLen: number,
  ): void;
  onerror: (message: string, errno: number) => void;
}
interface Inflater {
  readonly handle: ZlibHandle;
  readonly state: Uint32Array;
  /** One byte of room for the end-of-stream check. */
  readonly spare: Uint8Array;
  error: string | undefined;
}
/** This thread's reusable zlib context; false once found unavailable. */
let inflater: Inflater | false | undefined;

/** Whether 'ZL' blocks go through the reused context on this node (else `inflateSync`): for tests. */
export function zlibContextReused(): boolean {
  if (inflater === undefined) inflater = reusableInflater() ?? false;
  return inflater !== false;
}

/** Node majors whose zlib handle was checked to take `writeSync(flush, in, inOff, inLen, out, outOff, outLen)`. */
const CHECKED_NODE_MAJORS = new Set([20]);

function reusableInflater(): Inflater | undefined {
  // An unchecked node falls back to inflateSync: a changed native signature could abort rather than throw.
  if (!CHECKED_NODE_MAJORS.has(Number(process.versions.node.split('.')[0]))) return undefined;
  const stream = new Inflate() as unknown as { _handle?: Partial<ZlibHandle>; _writeState?: unknown };
  const handle = stream._handle;
  const state = stream._writeState;
  if (typeof handle?.writeSync !== 'function' || typeof handle.reset !== 'function') return undefined;
  if (!(state instanceof Uint32Array) || state.length < 2) return undefined;
  const z: Inflater = { handle: handle as ZlibHandle, state, spare: new Uint8Array(1), error: undefined };
  // Errors come back through this callback during writeSync (the stream's own handler is replaced: the
  // stream object is never used as a stream).
  z.handle.onerror = (message: string) => {
    z.error = message;
  };
  // A self-check on a known stream before the handle is trusted with real data.
  const probe = new Uint8Array(1000).map((_, i) => (i * 7) & 0x3f);
  const out = new Uint8Array(probe.length);
  const packed = deflateSync(probe);
  z.handle.reset();
  z.handle.writeSync(Z_FINISH, packed, 0, packed.length, out, 0, out.length);
  if (z.error !== undefined || z.state[0] !== 0 || z.state[1] !== 0 || out.some((b, i) => b !== probe[i]))
    return undefined;
  return z;
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
