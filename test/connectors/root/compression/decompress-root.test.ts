/** Tests decompressRoot on every key of the shared real ROOT files, across the HZZ compression matrix. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  blockAlgorithms,
  decompressRoot,
  initCompression,
} from '../../../../connectors/root/compression/index.js';
import { walkKeys } from '../../../../connectors/root/compression/test-key-walker.js';
import { catchError } from './test-helpers.js';

const DATA = join(import.meta.dirname, '../../../../../shared/data/root');
const haveData = existsSync(DATA);
if (!haveData) console.warn(`\n!!! ${DATA} is absent: real-file compression tests are SKIPPED !!!\n`);

/**
 * Records that are not one compressed object: RNTuple page blobs hold several separately compressed pages
 * (the RNTuple reader decodes them page by page), and `TFile` records are directory headers and key lists,
 * never compressed, whose Nbytes ROOT sometimes writes inconsistently (uproot-issue412.root).
 */
const notAnObject = (className: string) => className === 'RBlob' || className === 'TFile';

function decodeFile(file: string) {
  const bytes = readFileSync(join(DATA, file));
  const walk = walkKeys(bytes);
  const decoded = walk.keys
    .filter((k) => !notAnObject(k.className))
    .map((k) => ({
      key: k,
      tags: blockAlgorithms(k.payload, k.objLen),
      data: decompressRoot(k.payload, k.objLen, { file, object: k.name, offset: k.payloadOffset }),
    }));
  return { walk, decoded };
}

describe.skipIf(!haveData)('decompressRoot on real files', () => {
  beforeAll(() => initCompression());

  it('decodes every key of every shared file to exactly ObjLen bytes, covering all algorithms', () => {
    const files = readdirSync(DATA).filter((f) => f.endsWith('.root'));
    expect(files.length).toBeGreaterThan(30);
    const seen = new Map<string, number>();
    let keys = 0;
    for (const file of files) {
      const { decoded } = decodeFile(file);
      for (const { key, tags, data } of decoded) {
        expect(data.length, `${file} ${key.name}`).toBe(key.objLen);
        for (const t of tags) seen.set(t, (seen.get(t) ?? 0) + 1);
        keys++;
      }
    }
    expect(keys).toBeGreaterThan(10_000);
    for (const tag of ['ZL', 'XZ', 'L4', 'ZS']) expect(seen.get(tag) ?? 0, tag).toBeGreaterThan(40);
    expect([...seen.keys()].sort()).toEqual(['L4', 'XZ', 'ZL', 'ZS']);
  });

  it('walks the HZZ files completely (the walker is trustworthy for the cross-check)', () => {
    for (const v of ['zlib', 'lz4', 'lzma', 'zstd', 'uncompressed']) {
      expect(walkKeys(readFileSync(join(DATA, `uproot-HZZ-${v}.root`))).stoppedAt, v).toBeUndefined();
    }
  });

  it('decodes the same TBaskets to identical bytes across zlib, lz4, lzma, zstd and uncompressed', () => {
    const baskets = (file: string) => {
      const byId = new Map<string, Uint8Array>();
      const order = new Map<string, number>();
      const tagsSeen = new Set<string>();
      for (const { key, tags, data } of decodeFile(file).decoded) {
        if (key.className !== 'TBasket') continue;
        const base = `${key.name}\u0000${key.title}`;
        const n = order.get(base) ?? 0;
        order.set(base, n + 1);
        byId.set(`${base}\u0000${n}`, data);
        for (const t of tags) tagsSeen.add(t);
      }
      return { byId, tagsSeen };
    };
    const reference = baskets('uproot-HZZ-uncompressed.root');
    expect(reference.byId.size).toBeGreaterThan(50);
    expect([...reference.tagsSeen]).toEqual([]);
    const expectedTag: Record<string, string> = { zlib: 'ZL', lz4: 'L4', lzma: 'XZ', zstd: 'ZS' };
    for (const [variant, tag] of Object.entries(expectedTag)) {
      const { byId, tagsSeen } = baskets(`uproot-HZZ-${variant}.root`);
      expect([...tagsSeen], variant).toEqual([tag]);
      let compared = 0;
      for (const [id, ref] of reference.byId) {
        const got = byId.get(id);
        if (!got || got.length !== ref.length) continue;
        expect(Buffer.compare(got, ref), `${variant} ${id.replaceAll('\u0000', '/')}`).toBe(0);
        compared++;
      }
      // Same writer (ROOT 6.10) for all variants: every basket matches, not just most.
      expect(compared, variant).toBe(reference.byId.size);
    }
  });

  it('decodes the ROOT 5.32 HZZ file (default ZLIB) to the same baskets where sizes agree', () => {
    const ref = decodeFile('uproot-HZZ-uncompressed.root').decoded.filter(
      (d) => d.key.className === 'TBasket',
    );
    const old = decodeFile('uproot-HZZ.root').decoded.filter((d) => d.key.className === 'TBasket');
    let same = 0;
    for (const r of ref) {
      const o = old.find((d) => d.key.name === r.key.name && d.key.title === r.key.title);
      if (o && o.data.length === r.data.length && Buffer.compare(o.data, r.data) === 0) same++;
    }
    expect(same).toBeGreaterThanOrEqual(40);
  });

  it('decodes a multi-block payload (two real ZL blocks chained) and writes into a caller buffer', () => {
    const { decoded } = decodeFile('uproot-HZZ-zlib.root');
    const compressed = decoded.filter((d) => d.tags.length === 1 && d.key.className === 'TBasket');
    const [a, b] = [compressed[3]!, compressed[7]!];
    const joined = Buffer.concat([a.key.payload, b.key.payload]);
    const total = a.key.objLen + b.key.objLen;
    expect(blockAlgorithms(joined, total)).toEqual(['ZL', 'ZL']);
    const out = new Uint8Array(total + 10).fill(0xee);
    const result = decompressRoot(joined, total, { file: 'joined', offset: 0 }, out);
    expect(result.buffer).toBe(out.buffer);
    expect(Buffer.compare(result, Buffer.concat([a.data, b.data]))).toBe(0);
    expect(out[total]).toBe(0xee);
  });

  it('returns raw payloads as-is, or copies them into a caller buffer', () => {
    const { decoded } = decodeFile('uproot-HZZ-uncompressed.root');
    const raw = decoded.find((d) => d.key.className === 'TBasket')!;
    expect(raw.data).toBe(raw.key.payload);
    const out = new Uint8Array(raw.key.objLen);
    expect(decompressRoot(raw.key.payload, raw.key.objLen, { file: 'x', offset: 0 }, out)).toBe(out);
    expect(Buffer.compare(out, raw.key.payload)).toBe(0);
  });
});

describe('decompressRoot errors', () => {
  it('throws a located root/bad-argument error for a too-small output buffer', () => {
    const err = catchError(() =>
      decompressRoot(new Uint8Array(20), 100, { file: 'f', offset: 7 }, new Uint8Array(50)),
    );
    expect(err.code).toBe('root/bad-argument');
  });

  it('checks the block chain before allocating, so a wild ObjLen cannot exhaust memory', () => {
    const block = Buffer.from('ZL\x08\x02\x00\x00\x10\x00\x00ab', 'latin1'); // says 16 bytes out
    const err = catchError(() => decompressRoot(block, 2 ** 40, { file: 'f', object: 'k', offset: 9 }));
    expect(err.code).toBe('root/corrupt-block');
    expect(err.message).toMatch(/still missing/);
    expect(err.location).toEqual({ file: 'f', object: 'k', offset: 9 });
  });

  it('reports a missing payload (0 bytes for a non-empty object) as a corrupt block', () => {
    const err = catchError(() => decompressRoot(new Uint8Array(0), 10, { file: 'f', offset: 50 }));
    expect(err.code).toBe('root/corrupt-block');
    expect(err.location).toEqual({ file: 'f', object: undefined, offset: 50 });
  });
});
