/**
 * Redirects of http(s) inputs are followed by hand and checked against a policy: the transformer's policy is its
 * allowed URL prefixes, so a host under an allowed prefix cannot send the server to another host (SSRF); the
 * library follows any http(s) target by default. Two local servers: A (the allowed host) redirects to B (another
 * port), to another path of its own, and to itself in a loop. Also: an Authorization header never reaches
 * another origin. Expected rows come from jsroot reading the local file (a second reader).
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSource } from '../../../connectors/root/io/index.js';
import { HepqError } from '../../../exec/batch/index.js';
import { resultToJson } from '../../../exec/index.js';
import { Session } from '../../../server/session.js';
import { LocalPool, TransformService } from '../../../server/transform/index.js';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';
import { type RedirectHost, startRedirectHost } from '../../helpers/redirect-host.js';
import {
  duckRows,
  getJson,
  type Json,
  pollUntil,
  postJson,
  SAMPLE,
  startServer,
  tempDir,
} from './helpers.js';

const QUERY = 'ds.Select(lambda e: e.MET_pt)';

async function refusal(p: Promise<unknown>): Promise<HepqError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HepqError);
  return err as HepqError;
}

describe.skipIf(!existsSync(SAMPLE))('redirects of URL inputs follow a policy', () => {
  let a: RedirectHost;
  let b: RedirectHost;
  let expected: number[];

  beforeAll(async () => {
    b = await startRedirectHost(SAMPLE, () => undefined);
    a = await startRedirectHost(SAMPLE, (path) => {
      if (path === '/data/away.root') return `${b.url}/elsewhere.root`; // allowed → other port
      if (path.startsWith('/data/hop/')) return path.replace('/data/hop/', '/data/'); // allowed → allowed path
      if (path === '/data/loop.root') return '/data/loop.root'; // a loop
      if (path === '/data/local.root') return 'file:///etc/passwd'; // not http(s)
      return undefined;
    });
    expected = (await (await openJsrootTree(SAMPLE, 'Events')).read('MET_pt')) as number[];
    expect(expected).toHaveLength(1000);
  });
  afterAll(async () => {
    a?.close();
    b?.close();
  });

  it('the library follows a redirect to another host by default and reads the same rows', async () => {
    const session = new Session({ threads: 1, device: 'cpu' });
    try {
      b.log.length = 0;
      const r = await session.query(QUERY, { files: [`${a.url}/data/away.root`] });
      expect(resultToJson(r)).toEqual(expected);
      expect(b.log.some((l) => l.startsWith('GET /elsewhere.root'))).toBe(true);
    } finally {
      await session.close();
    }
  });

  it('with prefixes, the library refuses a redirect to another host (located, nothing asked of it) and follows one under them', async () => {
    const session = new Session({ threads: 1, device: 'cpu', redirectPrefixes: [`${a.url}/data/`] });
    try {
      b.log.length = 0;
      const err = await refusal(session.query(QUERY, { files: [`${a.url}/data/away.root`] }));
      expect(err.code).toBe('io/redirect-refused');
      expect(err.location?.file).toBe(`${a.url}/data/away.root`);
      expect(err.message).toContain(`${a.url}/data/away.root`);
      expect(err.hint).not.toContain(a.url); // the allowed prefixes are not told
      expect(b.log).toEqual([]);
      const r = await session.query(QUERY, { files: [`${a.url}/data/hop/sample.root`] });
      expect(resultToJson(r)).toEqual(expected);
    } finally {
      await session.close();
    }
  });

  it('a redirect to a non-http(s) URL is refused even by the default policy', async () => {
    const source = new HttpSource(`${a.url}/data/local.root`);
    const err = await refusal(source.size());
    expect(err.code).toBe('io/redirect-refused');
    expect(err.location?.file).toBe(`${a.url}/data/local.root`);
    await source.close();
  });

  it('a redirect loop ends after 5 redirects with a located error', async () => {
    a.log.length = 0;
    const source = new HttpSource(`${a.url}/data/loop.root`);
    const err = await refusal(source.size());
    expect(err.code).toBe('io/too-many-redirects');
    expect(err.location?.file).toBe(`${a.url}/data/loop.root`);
    expect(a.log.filter((l) => l.startsWith('HEAD /data/loop.root'))).toHaveLength(6);
    await source.close();
  });

  it('an Authorization header reaches the same origin after a redirect, never another one', async () => {
    a.log.length = 0;
    b.log.length = 0;
    const headers = { Authorization: 'Bearer s3cret' };
    const hop = new HttpSource(`${a.url}/data/hop/sample.root`, { headers });
    expect(await hop.size()).toBe(readFileSync(SAMPLE).length);
    expect((await hop.read(0, 4)).toString()).toBe(new Uint8Array([0x72, 0x6f, 0x6f, 0x74]).toString()); // "root"
    await hop.close();
    expect(
      a.log.filter((l) => l.startsWith('HEAD /data/sample.root') || l.startsWith('GET /data/sample.root')),
    ).toEqual(['HEAD /data/sample.root Bearer s3cret', 'GET /data/sample.root Bearer s3cret']);
    const away = new HttpSource(`${a.url}/data/away.root`, { headers });
    expect(await away.size()).toBe(readFileSync(SAMPLE).length);
    expect((await away.read(0, 4)).toString()).toBe(new Uint8Array([0x72, 0x6f, 0x6f, 0x74]).toString());
    await away.close();
    expect(a.log.filter((l) => l.includes('/data/away.root'))).toEqual([
      'HEAD /data/away.root Bearer s3cret',
      'GET /data/away.root Bearer s3cret',
    ]);
    expect(b.log).toEqual(['HEAD /elsewhere.root -', 'GET /elsewhere.root -']);
  });

  it('the transformer (HTTP API) fails a file that redirects off its prefixes, follows one that stays, stops a loop', async () => {
    const service = new TransformService({
      dataDir: tempDir('redirects'),
      dispatcher: new LocalPool({ concurrency: 1 }),
      allowUrlPrefixes: [`${a.url}/data/`],
    });
    const { app, url: base } = await startServer(service);
    try {
      b.log.length = 0;
      const sub = await postJson(`${base}/servicex/transformation`, {
        'file-list': [`${a.url}/data/away.root`, `${a.url}/data/hop/sample.root`, `${a.url}/data/loop.root`],
        selection: QUERY,
        codegen: 'func-adl',
        'tree-name': 'Events',
      });
      expect(sub.status, JSON.stringify(sub.body)).toBe(200);
      const id = sub.body.request_id as string;
      await pollUntil(base, id, ['Complete', 'Fatal'], 3_600_000);
      const st = (await getJson(`${base}/servicex/transformation/${id}`)).body;
      expect(st['files-completed']).toBe(1);
      expect(st['files-failed']).toBe(2);
      const errors = st['file-errors'] as Json[];
      const errorOf = (i: number) => String(errors.find((e) => e.index === i)?.error);
      expect(errorOf(0)).toContain('io/redirect-refused');
      expect(errorOf(0)).toContain(`${a.url}/data/away.root`);
      expect(errorOf(2)).toContain('io/too-many-redirects');
      expect(b.log).toEqual([]); // the other host was never asked
      const out = service.results(id);
      expect(out.map((r) => r.input)).toEqual([`${a.url}/data/hop/sample.root`]);
      expect((await duckRows(out[0]!.path)).map((r) => Object.values(r)[0])).toEqual(expected);
    } finally {
      await app.close();
      await service.close();
    }
  });
});
