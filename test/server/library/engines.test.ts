/**
 * Install prints no EBADENGINE warning: every package the lockfile installs admits the lowest node that
 * package.json's `engines` allows (what npm checks is the running node; the lowest allowed one is stricter), and
 * the node-20 versions that the overrides put under @fastify/static (content-disposition 2) and light-my-request
 * (cookie 1.1) give what those call: a download's Content-Disposition header and an injected request's cookies,
 * the values worked out by hand from RFC 6266 and RFC 6265.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { REPO } from '../repl/pty.js';

const semver = createRequire(import.meta.url)('semver') as {
  minVersion(range: string): { version: string } | null;
  satisfies(version: string, range: string): boolean;
};
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8'));

describe('no EBADENGINE on install', () => {
  it("every locked package admits the lowest node package.json's engines allows, and the running one", () => {
    const lowest = semver.minVersion(pkg.engines.node)!.version;
    expect(lowest).toBe('20.19.0');
    const refused: string[] = [];
    let checked = 0;
    for (const [path, entry] of Object.entries(lock.packages) as [
      string,
      { engines?: { node?: unknown }; optional?: boolean },
    ][]) {
      const range = entry.engines?.node;
      if (!path || typeof range !== 'string' || entry.optional) continue; // optional: platform binaries
      checked++;
      for (const v of [lowest, process.versions.node])
        if (!semver.satisfies(v, range)) refused.push(`${path} wants node ${range} (${v})`);
    }
    expect(checked).toBeGreaterThan(50);
    expect(refused).toEqual([]);
  });

  it('the overrides pick node-20 versions: content-disposition 2 under @fastify/static, cookie 1 under light-my-request', () => {
    const versions = (name: string) =>
      Object.entries(lock.packages as Record<string, { version: string }>)
        .filter(([path]) => path.endsWith(`node_modules/${name}`))
        .map(([, entry]) => entry.version);
    expect(versions('content-disposition').length).toBeGreaterThan(0);
    for (const v of versions('content-disposition')) expect(v).toMatch(/^2\./);
    expect(versions('cookie').length).toBeGreaterThan(0);
    for (const v of versions('cookie')) expect(v).toMatch(/^1\./);
  });

  it('@fastify/static still writes Content-Disposition and light-my-request still sends cookies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hepq-engines-'));
    const app = Fastify();
    try {
      writeFileSync(join(dir, 'mass plot.svg'), '<svg/>');
      await app.register(fastifyStatic, { root: dir, serve: false });
      app.get('/download', (_req, reply) => reply.download('mass plot.svg'));
      app.get('/cookies', (req) => ({ cookie: req.headers.cookie ?? null }));
      const dl = await app.inject({ method: 'GET', url: '/download' });
      expect(dl.statusCode).toBe(200);
      expect(dl.headers['content-disposition']).toBe('attachment; filename="mass plot.svg"');
      expect(dl.body).toBe('<svg/>');
      const ck = await app.inject({
        method: 'GET',
        url: '/cookies',
        cookies: { run: '2022E', lumi: '3378' },
      });
      expect(ck.json()).toEqual({ cookie: 'run=2022E; lumi=3378' });
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
