/**
 * The codecs a machine without a compiler uses (lz4-napi, the WebAssembly zstd; exec/core/codecs.ts), forced
 * with useCodecs('fallback'): they read the shared HZZ file's LZ4 and ZSTD baskets to the bytes of its
 * uncompressed twin, and what the writer compresses with them decodes with the native packages (a second,
 * independent decoder) where those are built.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decompressRoot, initCompression } from '../../../../connectors/root/compression/index.js';
import { walkKeys } from '../../../../connectors/root/compression/test-key-walker.js';
import { compressRoot } from '../../../../connectors/root/writer/compress.js';
import { lz4Codec, useCodecs, zstdCodec } from '../../../../exec/core/codecs.js';

const DATA = join(import.meta.dirname, '../../../../../shared/data/root');
const haveData = existsSync(DATA);
if (!haveData) console.warn(`\n!!! ${DATA} is absent: fallback codec tests are SKIPPED !!!\n`);
const require = createRequire(import.meta.url);
const optional = <T>(name: string): T | undefined => {
  try {
    return require(name) as T;
  } catch {
    return undefined;
  }
};
const nativeLz4 = optional<{ decodeBlock(i: Uint8Array, o: Uint8Array): number }>('lz4');
const nativeZstd = optional<{ decompress(b: Uint8Array): Uint8Array }>('zstd-napi');

/** Each TBasket's decoded bytes by name/title/occurrence, with the block tags seen. */
function baskets(file: string) {
  const byId = new Map<string, Uint8Array>();
  const order = new Map<string, number>();
  const tags = new Set<string>();
  for (const k of walkKeys(readFileSync(join(DATA, file))).keys) {
    if (k.className !== 'TBasket') continue;
    const base = `${k.name}/${k.title}`;
    const n = order.get(base) ?? 0;
    order.set(base, n + 1);
    if (k.payload.length !== k.objLen) tags.add(String.fromCharCode(k.payload[0]!, k.payload[1]!));
    byId.set(
      `${base}/${n}`,
      decompressRoot(k.payload, k.objLen, { file, object: k.name, offset: k.payloadOffset }),
    );
  }
  return { byId, tags };
}

describe.skipIf(!haveData)('fallback LZ4/ZSTD codecs (no compiler needed)', () => {
  beforeAll(async () => {
    useCodecs('fallback');
    await initCompression();
  });
  afterAll(() => useCodecs('auto'));

  it('are the prebuilt lz4-napi and the WebAssembly zstd', () => {
    expect(lz4Codec().name).toBe('lz4-napi');
    expect(zstdCodec().name).toBe('zstd-wasm');
  });

  it('decode every LZ4 and ZSTD basket of HZZ to the bytes of the uncompressed file', () => {
    const reference = baskets('uproot-HZZ-uncompressed.root').byId;
    expect(reference.size).toBeGreaterThan(50);
    for (const [variant, tag] of [
      ['lz4', 'L4'],
      ['zstd', 'ZS'],
    ]) {
      const { byId, tags } = baskets(`uproot-HZZ-${variant}.root`);
      expect([...tags], variant).toEqual([tag]);
      let compared = 0;
      for (const [id, ref] of reference) {
        expect(Buffer.compare(byId.get(id)!, ref), `${variant} ${id}`).toBe(0);
        compared++;
      }
      expect(compared).toBe(reference.size);
    }
  });

  it('write blocks that the native packages and the fallbacks decode to the input', () => {
    const raw = [...baskets('uproot-HZZ-uncompressed.root').byId.values()];
    // Every basket, and one 3 MB piece (more than the WebAssembly decoder's default 1 MiB heap).
    const big = new Uint8Array(3 << 20);
    for (let i = 0, off = 0; off < big.length; i++) {
      const r = raw[i % raw.length]!;
      big.set(r.subarray(0, Math.min(r.length, big.length - off)), off);
      off += r.length;
    }
    let compressed = 0;
    for (const data of [...raw, big]) {
      for (const algorithm of ['lz4', 'zstd'] as const) {
        const stored = compressRoot(data, { algorithm, level: 5 });
        if (stored === data) continue; // did not shrink: stored raw
        compressed++;
        const body = stored.subarray(9);
        expect(Buffer.compare(decompressRoot(stored, data.length, { file: 'memory', offset: 0 }), data)).toBe(
          0,
        );
        if (algorithm === 'lz4' && nativeLz4) {
          const out = new Uint8Array(data.length);
          expect(nativeLz4.decodeBlock(body.subarray(8), out)).toBe(data.length);
          expect(Buffer.compare(out, data)).toBe(0);
        }
        if (algorithm === 'zstd' && nativeZstd)
          expect(Buffer.compare(nativeZstd.decompress(body), data)).toBe(0);
      }
    }
    expect(compressed).toBeGreaterThan(50);
    if (!nativeLz4 || !nativeZstd)
      console.warn('native lz4/zstd-napi are not built here: only the fallbacks checked');
  });

  it('report malformed LZ4 data instead of returning wrong bytes', () => {
    const good = compressRoot(new Uint8Array(4096).fill(7), { algorithm: 'lz4', level: 4 });
    const bad = good.slice();
    bad.fill(0xff, 9 + 8); // the block after the header and checksum
    expect(() => decompressRoot(bad, 4096, { file: 'memory', offset: 0 })).toThrow(/checksum|malformed/);
  });
});
