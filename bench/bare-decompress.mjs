// The bare library decompression of ROOT compressed blocks (zlib, LZ4, ZSTD, LZMA): the benchmarks' reference.
import { closeSync, openSync, readSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { xz } from '@napi-rs/lzma';
import { tsImport } from 'tsx/esm/api';

// LZ4 and ZSTD through exec/core/codecs.ts's choice (native `lz4`/`zstd-napi` where built, else the fallbacks
// `lz4-napi`/WebAssembly zstd; HEPQ_CODECS=fallback forces them), as the reader uses them: imported from the
// source with tsx (the library entry does not export the codecs), so this runs where the optional native
// packages are absent.
const codecs = await tsImport('../exec/core/codecs.ts', import.meta.url);
await codecs.initCodecs();
const lz4 = codecs.lz4Codec();
const zstd = codecs.zstdCodec();
/** The LZ4 and ZSTD codecs in use (for the benchmarks' headers). */
export const codecNames = { lz4: lz4.name, zstd: zstd.name };

/** The bare library call on one block body (after the 9-byte ROOT block header), allocating its output. */
export const reference = {
  ZL: (body) => inflateSync(body),
  XZ: (body) => xz.decompressSync(body),
  ZS: (body, n) => {
    const out = Buffer.allocUnsafeSlow(n);
    zstd.decode(body, out);
    return out;
  },
  L4: (body, n) => {
    const out = Buffer.allocUnsafeSlow(n);
    lz4.decode(body.subarray(8), out); // 8-byte xxhash64 checksum first
    return out;
  },
};

/**
 * Split a basket's compressed payload into its blocks: { alg, body, out } each (body without the 9-byte
 * header). A payload as long as its uncompressed size is stored raw: one block with alg 'raw'.
 */
export function splitBlocks(payload, objLen) {
  if (payload.length === objLen) return [{ alg: 'raw', body: payload, out: objLen }];
  const blocks = [];
  let p = 0;
  while (p + 9 <= payload.length) {
    const alg = String.fromCharCode(payload[p], payload[p + 1]);
    const c = payload[p + 3] | (payload[p + 4] << 8) | (payload[p + 5] << 16);
    const u = payload[p + 6] | (payload[p + 7] << 8) | (payload[p + 8] << 16);
    blocks.push({ alg, body: payload.subarray(p + 9, p + 9 + c), out: u });
    p += 9 + c;
  }
  return blocks;
}

/** Decompress every block with the bare library call (raw blocks are copied); returns the output bytes. */
export function bareDecompress(blocks) {
  let n = 0;
  for (const b of blocks) {
    if (b.alg === 'raw')
      n += Uint8Array.prototype.slice.call(b.body).length; // a copy (Buffer#slice is a view)
    else n += reference[b.alg](b.body, b.out).length;
  }
  return n;
}

/** A TKey header at `offset` of `bytes`: its key length and uncompressed object length. */
export function keyHeader(bytes, offset) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset + offset);
  return { nbytes: dv.getInt32(0), objLen: dv.getInt32(6), keyLen: dv.getInt16(14) };
}

/**
 * Every basket of some branches (`BranchModel`s: writeBasket, basketSeek, basketBytes) read from the file and
 * split into blocks, for the bare reference (not timed); `bytes` is their uncompressed size.
 */
export function readBaskets(path, branchModels) {
  const fd = openSync(path, 'r');
  const baskets = [];
  let bytes = 0;
  try {
    for (const m of branchModels)
      for (let i = 0; i < m.writeBasket; i++) {
        const raw = Buffer.allocUnsafe(m.basketBytes[i]);
        readSync(fd, raw, 0, raw.length, m.basketSeek[i]);
        const k = keyHeader(raw, 0);
        baskets.push(splitBlocks(raw.subarray(k.keyLen, k.nbytes), k.objLen));
        bytes += k.objLen;
      }
  } finally {
    closeSync(fd);
  }
  return { baskets, bytes };
}
