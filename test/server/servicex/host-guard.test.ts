/**
 * `hepq servicex` as a network service: a token-less server refuses Host names a rebound DNS name could carry and
 * a browser's cross-origin requests (the SQL server's guard), while the address, localhost and the names given with
 * --allow-host (the option of hepq serve) are served.
 */
import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';
import { type Proc, spawnHepq } from './procs.js';

function get(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', reject);
    req.end();
  });
}

describe('hepq servicex host and origin guard', () => {
  const procs: Proc[] = [];
  afterAll(async () => {
    for (const p of procs) await p.kill('SIGKILL');
  });

  it('serves its address and localhost, refuses a foreign Host and a cross-origin page', async () => {
    const p = spawnHepq('servicex', '--port', '0', '--data-dir', tempDir('host-guard'));
    procs.push(p);
    const base = (await p.waitFor(/listening on (http:\/\/[^\s]+) /))[1]!.replace(/\/$/, '');
    const url = `${base}/servicex`;
    const port = new URL(base).port;
    expect(await get(url, {})).toBe(200);
    expect(await get(url, { host: `localhost:${port}` })).toBe(200);
    expect(await get(url, { host: `attacker.example:${port}` })).toBe(403);
    expect(await get(url, { origin: 'http://attacker.example' })).toBe(403);
  });

  it('answers a name given with --allow-host, as hepq serve does, and still refuses others', async () => {
    const p = spawnHepq(
      'servicex',
      '--port',
      '0',
      '--data-dir',
      tempDir('host-guard-allow'),
      '--allow-host',
      'analysis.example',
    );
    procs.push(p);
    const base = (await p.waitFor(/listening on (http:\/\/[^\s]+) /, 120_000))[1]!.replace(/\/$/, '');
    const port = new URL(base).port;
    expect(await get(`${base}/servicex`, { host: `analysis.example:${port}` })).toBe(200);
    expect(await get(`${base}/servicex`, { host: `attacker.example:${port}` })).toBe(403);
  });
});
