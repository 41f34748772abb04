/** The compression frame the writer emits, decoded by the reader's `decompressRoot` (the decode side, tested on ROOT's own files). */
import { describe, expect, it } from 'vitest';
import { blockAlgorithms } from '../../../../connectors/root/compression/block-header.js';
import { decompressRoot, initCompression } from '../../../../connectors/root/compression/index.js';
import { compressRoot, compressSetting, parseCompression } from '../../../../connectors/root/writer/index.js';
import { HepqError } from '../../../../exec/batch/index.js';

/** Compressible bytes: big-endian floats of a slow sine, as a basket of smooth values looks. */
function smooth(n: number): Uint8Array {
  const out = new Uint8Array(n);
  const view = new DataView(out.buffer);
  for (let i = 0; i + 4 <= n; i += 4) view.setFloat32(i, Math.round(50 * Math.sin(i / 5000)) / 4);
  return out;
}

describe('compressRoot → decompressRoot', () => {
  it('objects over 16 MiB are split into several blocks of the chosen algorithm', async () => {
    await initCompression();
    const data = smooth(40 << 20);
    for (const algorithm of ['zstd', 'lz4', 'zlib'] as const) {
      const stored = compressRoot(data, { algorithm, level: 1 }).slice();
      const tags = blockAlgorithms(stored, data.length);
      expect(tags).toEqual(Array(3).fill({ zstd: 'ZS', lz4: 'L4', zlib: 'ZL' }[algorithm]));
      const back = decompressRoot(stored, data.length, { file: 'mem', object: 'big', offset: 0 });
      expect(Buffer.compare(back, data)).toBe(0);
    }
  });

  it('incompressible or tiny objects are stored raw (their length equals the object length)', () => {
    const noise = new Uint8Array(5000);
    let x = 12345;
    for (let i = 0; i < noise.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      noise[i] = x >>> 24;
    }
    for (const algorithm of ['zstd', 'lz4', 'zlib'] as const) {
      expect(compressRoot(noise, { algorithm, level: 5 })).toBe(noise);
      expect(compressRoot(new Uint8Array(3), { algorithm, level: 5 }).length).toBe(3);
    }
    expect(compressRoot(smooth(4000), { algorithm: 'none', level: 0 }).length).toBe(4000);
  });

  it('settings parse as ROOT numbers them (100 × algorithm + level) and bad ones are refused', () => {
    expect(compressSetting(parseCompression('zstd:5'))).toBe(505);
    expect(compressSetting(parseCompression('lz4'))).toBe(404);
    expect(compressSetting(parseCompression('zlib:9'))).toBe(109);
    expect(compressSetting(parseCompression('LZMA:8'))).toBe(208);
    expect(compressSetting(parseCompression('none'))).toBe(0);
    for (const bad of ['zstd:0', 'zstd:10', 'gzip', 'zstd:x', '']) {
      expect(() => parseCompression(bad)).toThrow(HepqError);
    }
  });
});
