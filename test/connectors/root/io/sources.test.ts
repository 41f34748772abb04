/** Tests MemorySource and FileSource on the shared ROOT files: exact bytes, coalescing, only-needed reads, errors. */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSource, MemorySource, openByteSource } from '../../../../connectors/root/io/index.js';
import { HepqError } from '../../../../exec/core/index.js';

const DATA = join(import.meta.dirname, '../../../../../shared/data/root');
const haveData = existsSync(DATA);
if (!haveData) console.warn(`\n!!! ${DATA} is absent: FileSource tests on real files are SKIPPED !!!\n`);

async function rejection(p: Promise<unknown>): Promise<HepqError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof HepqError)) throw new Error(`expected a HepqError, got ${String(err)}`);
  return err;
}

describe('MemorySource', () => {
  const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);

  it('returns zero-copy views, in input order, counting one request per coalesced read', async () => {
    const src = new MemorySource(bytes, 'gen');
    expect(await src.size()).toBe(1000);
    expect([...(await src.read(10, 3))]).toEqual([10, 11, 12]);
    const parts = await src.readMany([
      { offset: 900, length: 4 },
      { offset: 0, length: 2 },
      { offset: 5, length: 0 },
    ]);
    expect(parts.map((p) => [...p])).toEqual([[132, 133, 134, 135], [0, 1], []]);
    expect(parts[0]!.buffer).toBe(bytes.buffer);
    expect(src.stats).toEqual({ requests: 2, bytesRead: 3 + 904 }); // the two ranges merge (gap < 64 KiB)
  });

  it('fails a read past the end with root/short-read naming the source and offset', async () => {
    const src = new MemorySource(bytes, 'gen');
    const e = await rejection(src.read(990, 20));
    expect(e.code).toBe('root/short-read');
    expect(e.location).toEqual({ file: 'gen', offset: 990 });
    expect(e.message).toContain('got 10');
    expect((await rejection(src.read(-1, 2))).code).toBe('io/bad-range');
    await src.close();
    expect((await rejection(src.read(0, 1))).code).toBe('io/closed');
  });
});

describe.skipIf(!haveData)('FileSource on real files', () => {
  const name = join(DATA, 'NanoAODv5_sample.root');
  const disk = haveData ? readFileSync(name) : new Uint8Array();

  it('reads exactly the requested bytes and nothing else', async () => {
    const src = await openByteSource(name);
    expect(src).toBeInstanceOf(FileSource);
    expect(await src.size()).toBe(disk.length);
    const head = await src.read(0, 100);
    expect(Buffer.compare(head, disk.subarray(0, 100))).toBe(0);
    const tail = await src.read(disk.length - 7, 7);
    expect(Buffer.compare(tail, disk.subarray(disk.length - 7))).toBe(0);
    expect(src.stats).toEqual({ requests: 2, bytesRead: 107 });
    await src.close();
  });

  it('reuses buffers handed back through recycle, and only those', async () => {
    const src = await openByteSource(name);
    const [a, b] = await src.readMany([
      { offset: 0, length: 5000 },
      { offset: 200_000, length: 3000 },
    ]);
    const kept = await src.read(400_000, 4000);
    src.recycle?.([a!, b!]);
    // The 5000-byte buffer serves a read of 4000..10000 bytes; the right bytes land in it.
    const c = await src.read(100_000, 4500);
    expect(c.buffer).toBe(a!.buffer);
    expect(Buffer.compare(c, disk.subarray(100_000, 104_500))).toBe(0);
    const d = await src.read(300_000, 2500);
    expect(d.buffer).toBe(b!.buffer);
    // The pool is empty now: a new buffer, never the one still held by the caller.
    const e = await src.read(500_000, 2500);
    expect([a!.buffer, b!.buffer, kept.buffer]).not.toContain(e.buffer);
    expect(Buffer.compare(d, disk.subarray(300_000, 302_500))).toBe(0);
    expect(Buffer.compare(e, disk.subarray(500_000, 502_500))).toBe(0);
    expect(Buffer.compare(kept, disk.subarray(400_000, 404_000))).toBe(0);
    await src.close();
  });

  it('coalesces neighbouring ranges into one read and returns them in input order', async () => {
    const ranges = Array.from({ length: 100 }, (_, i) => ({
      offset: 1_000_000 + (99 - i) * 1000,
      length: 100,
    }));
    const src = await openByteSource(name);
    const parts = await src.readMany(ranges);
    for (const [i, r] of ranges.entries()) {
      expect(Buffer.compare(parts[i]!, disk.subarray(r.offset, r.offset + r.length))).toBe(0);
    }
    expect(src.stats).toEqual({ requests: 1, bytesRead: 99 * 1000 + 100 });

    const apart = await openByteSource(name, { coalesceGap: 0 });
    await apart.readMany(ranges);
    expect(apart.stats).toEqual({ requests: 100, bytesRead: 100 * 100 });
    await Promise.all([src.close(), apart.close()]);
  });

  it('reads a batch of small scattered ranges in the call (page-cache reads), a large batch through the pool', async () => {
    // 300 baskets' worth of 3 kB ranges 9 kB apart (not coalesced), in shuffled order: the bytes on disk
    const ranges = Array.from({ length: 300 }, (_, i) => ({ offset: ((i * 7) % 300) * 9000, length: 3000 }));
    // (no read counts as slow here: a preempted read on a busy machine would otherwise switch to the pool)
    const src = await openByteSource(name, { coalesceGap: 0, slowReadMs: Number.POSITIVE_INFINITY });
    const pending = src.readMany(ranges);
    // every read was done before readMany returned (an asynchronous batch has at most 4 reads started here)
    expect(src.stats.requests).toBe(300);
    const parts = await pending;
    for (const [i, r] of ranges.entries())
      expect(Buffer.compare(parts[i]!, disk.subarray(r.offset, r.offset + r.length))).toBe(0);
    // over 8 MiB in all (overlapping ranges, one coalesced read each): asynchronous, the same bytes
    const big = Array.from({ length: 6 }, (_, i) => ({ offset: i * 100_000, length: 2_000_000 }));
    const apart = await openByteSource(name, { coalesceGap: 0, maxCoalescedBytes: 2_000_000 });
    const later = apart.readMany(big);
    expect(apart.stats.requests).toBeLessThan(6);
    const got = await later;
    for (const [i, r] of big.entries())
      expect(Buffer.compare(got[i]!, disk.subarray(r.offset, r.offset + r.length))).toBe(0);
    // every read slow (as from a disk): two of them, then the rest of the batch and later ones through the pool
    const slow = await openByteSource(name, { coalesceGap: 0, slowReadMs: -1 });
    const slowly = slow.readMany(ranges);
    expect(slow.stats.requests).toBeLessThanOrEqual(2 + 4);
    const again = await slowly;
    const next10 = slow.readMany(ranges.slice(0, 10));
    expect(slow.stats.requests).toBeLessThanOrEqual(300 + 4);
    const again2 = await next10;
    for (const [i, r] of ranges.entries())
      expect(Buffer.compare(again[i]!, disk.subarray(r.offset, r.offset + r.length))).toBe(0);
    for (const [i, r] of ranges.slice(0, 10).entries())
      expect(Buffer.compare(again2[i]!, disk.subarray(r.offset, r.offset + r.length))).toBe(0);
    await slow.close();
    // a range past the end fails as the single read does
    const e = await rejection(src.readMany([ranges[0]!, { offset: disk.length - 10, length: 20 }]));
    expect(e.code).toBe('root/short-read');
    expect(e.location).toEqual({ file: name, offset: disk.length - 10 });
    await Promise.all([src.close(), apart.close()]);
  });

  it('fails reads past the end with root/short-read and a located offset', async () => {
    const src = await openByteSource(name);
    const e = await rejection(src.read(disk.length - 10, 20));
    expect(e.code).toBe('root/short-read');
    expect(e.location).toEqual({ file: name, offset: disk.length - 10 });
    expect(e.message).toContain(`file size ${disk.length}`);
    await src.close();
  });

  it('opens file: URLs', async () => {
    const src = await openByteSource(pathToFileURL(name).href);
    expect(Buffer.compare(await src.read(0, 4), Buffer.from('root'))).toBe(0);
    await src.close();
  });
});

describe('opening errors', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hepq-io-'));
    await writeFile(join(dir, 'small.bin'), 'abc');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('names a missing file (io/not-found) and rejects directories (io/not-a-file)', async () => {
    const missing = join(dir, 'nope.root');
    const e1 = await rejection(openByteSource(missing));
    expect(e1.code).toBe('io/not-found');
    expect(e1.message).toContain(missing);
    expect(e1.location?.file).toBe(missing);
    const e2 = await rejection(openByteSource(dir));
    expect(e2.code).toBe('io/not-a-file');
  });

  it('rejects URL schemes it cannot read, with a hint', async () => {
    const e = await rejection(openByteSource('root://eospublic.cern.ch//eos/x.root'));
    expect(e.code).toBe('io/unsupported-scheme');
    expect(e.hint).toMatch(/https/i);
  });

  it('refuses reads after close and honours an aborted signal', async () => {
    const src = await openByteSource(join(dir, 'small.bin'));
    expect(new TextDecoder().decode(await src.read(0, 3))).toBe('abc');
    await src.close();
    await src.close(); // idempotent
    expect((await rejection(src.read(0, 1))).code).toBe('io/closed');
    const ac = new AbortController();
    const aborted = await openByteSource(join(dir, 'small.bin'), { signal: ac.signal });
    ac.abort();
    await expect(aborted.read(0, 1)).rejects.toMatchObject({ name: 'AbortError' });
    await aborted.close();
  });
});
