/** Tests HttpSource against real local servers (with and without Range support) serving the shared ROOT files. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSource, openByteSource } from '../../../../connectors/root/io/index.js';
import { startTestServer, type TestServer } from '../../../../connectors/root/io/test-http-server.js';
import { HepqError } from '../../../../exec/core/index.js';

const DATA = join(import.meta.dirname, '../../../../../shared/data/root');
const haveData = existsSync(DATA);
if (!haveData) console.warn(`\n!!! ${DATA} is absent: HttpSource tests are SKIPPED !!!\n`);

async function rejection(p: Promise<unknown>): Promise<HepqError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof HepqError)) throw new Error(`expected a HepqError, got ${String(err)}`);
  return err;
}

/** A small deterministic generator, so failures reproduce. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const FILES = ['NanoAODv5_sample.root', 'uproot-HZZ-lz4.root', 'histograms1d2d.root'];

describe.skipIf(!haveData)('HttpSource', () => {
  let ranged: TestServer;
  let plain: TestServer;
  let noHead: TestServer;
  const disk = new Map<string, Buffer>();

  beforeAll(async () => {
    [ranged, plain, noHead] = await Promise.all([
      startTestServer(DATA, { token: 's3cret' }),
      startTestServer(DATA, { ignoreRange: true }),
      startTestServer(DATA, { noHead: true }),
    ]);
    for (const f of FILES) disk.set(f, readFileSync(join(DATA, f)));
  });
  afterAll(() => Promise.all([ranged, plain, noHead].map((s) => s?.close())));

  it('reads random ranges of real files byte-identical to the disk, one ranged GET each', async () => {
    const next = rng(42);
    for (const f of FILES) {
      const bytes = disk.get(f)!;
      const src = await openByteSource(`${ranged.url}/${f}`);
      expect(src).toBeInstanceOf(HttpSource);
      let wanted = 0;
      for (let i = 0; i < 8; i++) {
        const length = 1 + Math.floor(next() * Math.min(50_000, bytes.length - 1));
        const offset = Math.floor(next() * (bytes.length - length));
        const got = await src.read(offset, length);
        expect(
          Buffer.compare(got, bytes.subarray(offset, offset + length)),
          `${f} @${offset}+${length}`,
        ).toBe(0);
        wanted += length;
      }
      expect(src.stats).toEqual({ requests: 8, bytesRead: wanted });
      expect(await src.size()).toBe(bytes.length); // learnt from Content-Range: no extra request
      expect(src.stats.requests).toBe(8);
      await src.close();
    }
  });

  it('coalesces readMany into one request per merged span, views in input order', async () => {
    const f = 'NanoAODv5_sample.root';
    const bytes = disk.get(f)!;
    const ranges = [
      { offset: 2_000_000, length: 500 },
      { offset: 100, length: 50 },
      { offset: 2_000_600, length: 10 }, // 100-byte gap: merges with the first
      { offset: 300, length: 1 }, // merges with the second
      { offset: 1_000_000, length: 0 },
    ];
    const src = await openByteSource(`${ranged.url}/${f}`);
    const before = ranged.log.length;
    const parts = await src.readMany(ranges);
    for (const [i, r] of ranges.entries()) {
      expect(Buffer.compare(parts[i]!, bytes.subarray(r.offset, r.offset + r.length))).toBe(0);
    }
    expect(src.stats).toEqual({ requests: 2, bytesRead: 201 + 610 });
    expect(ranged.log.slice(before).sort()).toEqual([
      `GET /${f} bytes=100-300`,
      `GET /${f} bytes=2000000-2000609`,
    ]);
    await src.close();
  });

  it('gets the size from HEAD, or from a bytes=0-0 GET when HEAD is refused', async () => {
    const f = 'histograms1d2d.root';
    const a = await openByteSource(`${ranged.url}/${f}`);
    expect(await a.size()).toBe(disk.get(f)!.length);
    expect(a.stats.requests).toBe(1);
    const b = await openByteSource(`${noHead.url}/${f}`);
    expect(await b.size()).toBe(disk.get(f)!.length);
    expect(b.stats.requests).toBe(2);
  });

  it('works with a server that ignores Range: one whole-file download, then reads from memory', async () => {
    const f = 'uproot-HZZ-lz4.root';
    const bytes = disk.get(f)!;
    const src = (await openByteSource(`${plain.url}/${f}`)) as HttpSource;
    const got = await src.read(1000, 64);
    expect(Buffer.compare(got, bytes.subarray(1000, 1064))).toBe(0);
    expect(src.rangeUnsupported).toBe(true);
    const parts = await src.readMany([
      { offset: 5, length: 5 },
      { offset: bytes.length - 3, length: 3 },
    ]);
    expect(Buffer.compare(parts[1]!, bytes.subarray(bytes.length - 3))).toBe(0);
    expect(await src.size()).toBe(bytes.length);
    expect(src.stats).toEqual({ requests: 1, bytesRead: bytes.length });
    expect((await rejection(src.read(bytes.length - 1, 2))).code).toBe('root/short-read');
  });

  it('refuses a whole-file download above maxFullDownload', async () => {
    const src = await openByteSource(`${plain.url}/uproot-HZZ-lz4.root`, { maxFullDownload: 1000 });
    const e = await rejection(src.read(0, 10));
    expect(e.code).toBe('io/range-unsupported');
    expect(e.hint).toMatch(/Range/);
  });

  it('reports reads past the end as root/short-read, located, via 416 or the known size', async () => {
    const f = 'histograms1d2d.root';
    const size = disk.get(f)!.length;
    const src = await openByteSource(`${ranged.url}/${f}`);
    const e1 = await rejection(src.read(size + 10, 5)); // server answers 416
    expect(e1.code).toBe('root/short-read');
    expect(e1.location).toEqual({ file: `${ranged.url}/${f}`, offset: size + 10 });
    const e2 = await rejection(src.read(size - 2, 5)); // size now known: no request
    expect(e2.code).toBe('root/short-read');
    expect(e2.message).toContain('got 2');
    expect(src.stats.requests).toBe(1);
    const fresh = await openByteSource(`${ranged.url}/${f}`);
    const e3 = await rejection(fresh.read(size - 2, 5)); // server sends the 2 bytes it has
    expect(e3.code).toBe('root/short-read');
  });

  it('names the URL in HTTP status errors, with codes by status', async () => {
    const missing = await rejection((await openByteSource(`${ranged.url}/nope.root`)).read(0, 10));
    expect(missing.code).toBe('io/not-found');
    expect(missing.message).toContain(`${ranged.url}/nope.root`);
    expect(missing.message).toContain('404');
    const denied = await rejection(
      (await openByteSource(`${ranged.url}/private/histograms1d2d.root`)).read(0, 4),
    );
    expect(denied.code).toBe('io/forbidden');
    expect(denied.hint).toMatch(/headers/);
    const broken = await rejection((await openByteSource(`${ranged.url}/status/500`)).size());
    expect(broken.code).toBe('io/http-error');
    expect(broken.message).toMatch(/HTTP 500.*\/status\/500/);
  });

  it('sends the configured headers and elides the query string from the name', async () => {
    const src = await openByteSource(`${ranged.url}/private/histograms1d2d.root?token=abc`, {
      headers: { authorization: 'Bearer s3cret' },
    });
    expect(src.name).toBe(`${ranged.url}/private/histograms1d2d.root?…`);
    expect(Buffer.compare(await src.read(0, 4), Buffer.from('root'))).toBe(0);
  });

  it('reports an unreachable server as io/network-error, and honours abort', async () => {
    const gone = await startTestServer(DATA);
    const url = `${gone.url}/histograms1d2d.root`;
    await gone.close();
    const e = await rejection((await openByteSource(url)).read(0, 10));
    expect(e.code).toBe('io/network-error');
    expect(e.message).toContain(url);
    const ac = new AbortController();
    const src = await openByteSource(`${ranged.url}/histograms1d2d.root`, { signal: ac.signal });
    ac.abort();
    await expect(src.read(0, 10)).rejects.toMatchObject({ name: 'AbortError' });
    expect((await rejection(openByteSource('http://exa mple.com/x'))).code).toBe('io/bad-url');
  });
});
