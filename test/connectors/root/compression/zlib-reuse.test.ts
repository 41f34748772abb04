/**
 * decodeZlib reuses one zlib context per thread: every block must still decode to what a fresh one-shot
 * `inflateSync` gives, a damaged or mis-sized block must fail without poisoning the next one.
 */
import { randomBytes } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeZlib, zlibContextReused } from '../../../../connectors/root/compression/codecs.js';

/** Compressible data: runs and repeats of random bytes, sizes from 0 to 300 kB. */
function samples(): Uint8Array[] {
  const out: Uint8Array[] = [new Uint8Array(0), new Uint8Array(1)];
  for (const n of [7, 100, 1000, 4096, 65_536, 300_000]) {
    const src = randomBytes(Math.max(1, n >> 4));
    const d = new Uint8Array(n);
    for (let i = 0; i < n; i++) d[i] = src[(i * 7) % src.length]! & (i % 3 ? 0xff : 0x0f);
    out.push(d);
  }
  return out;
}

describe('decodeZlib with a reused context', () => {
  it('uses the reused context on node 20 (the tests below then cover it, not the fallback)', () => {
    expect(zlibContextReused()).toBe(process.versions.node.startsWith('20.'));
  });

  it('decodes blocks of every size, interleaved, as one-shot inflateSync does', () => {
    const blocks = samples().map((d) => deflateSync(d));
    for (let round = 0; round < 3; round++)
      for (const b of blocks) {
        const expected = inflateSync(b);
        const dst = new Uint8Array(expected.length);
        decodeZlib(b, dst);
        expect(Buffer.compare(Buffer.from(dst), expected)).toBe(0);
      }
  });

  it('writes into a view of a larger buffer and nothing outside it', () => {
    const data = samples()[5]!;
    const block = deflateSync(data);
    const big = new Uint8Array(data.length + 64).fill(0xaa);
    decodeZlib(block, big.subarray(32, 32 + data.length));
    expect(Buffer.compare(Buffer.from(big.subarray(32, 32 + data.length)), Buffer.from(data))).toBe(0);
    expect(big.subarray(0, 32).every((x) => x === 0xaa)).toBe(true);
    expect(big.subarray(32 + data.length).every((x) => x === 0xaa)).toBe(true);
  });

  it('refuses damaged data, a short output and a long output, then decodes the next block', () => {
    const data = samples()[4]!;
    const block = deflateSync(data);
    const damaged = Uint8Array.from(block);
    damaged[block.length - 2]! ^= 0xff; // inside the Adler-32 trailer
    expect(() => decodeZlib(damaged, new Uint8Array(data.length))).toThrow(/zlib/);
    const garbage = Uint8Array.from(block);
    garbage[3]! ^= 0x55;
    garbage[4]! ^= 0xaa;
    expect(() => decodeZlib(garbage, new Uint8Array(data.length))).toThrow();
    expect(() => decodeZlib(block, new Uint8Array(data.length - 1))).toThrow(/zlib/);
    expect(() => decodeZlib(block, new Uint8Array(data.length + 1))).toThrow(
      `zlib produced ${data.length} bytes`,
    );
    expect(() => decodeZlib(block.subarray(0, block.length - 3), new Uint8Array(data.length))).toThrow();
    const dst = new Uint8Array(data.length);
    decodeZlib(block, dst);
    expect(Buffer.compare(Buffer.from(dst), Buffer.from(data))).toBe(0);
  });
});
