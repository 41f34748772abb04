/**
 * `hepq serve` spells the options it shares with `hepq servicex` as servicex does (`--data-dir`, `--queue`,
 * `--allow-url-prefix`); the old spellings (`--servicex-data`, `--servicex-queue`, `--servicex-allow-url-prefix`)
 * still work, each with one deprecation warning however often it is given. Expected rows come from jsroot.
 */
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';
import { type RedirectHost, startRedirectHost } from '../../helpers/redirect-host.js';
import { CONF, SAMPLE, tempDir } from '../servicex/helpers.js';
import { type Proc, spawnHepq } from '../servicex/procs.js';

describe.skipIf(!existsSync(SAMPLE))('hepq serve option names', () => {
  const procs: Proc[] = [];
  let host: RedirectHost;
  beforeAll(async () => {
    host = await startRedirectHost(SAMPLE, () => undefined);
  });
  afterAll(async () => {
    for (const p of procs) await p.kill('SIGTERM');
    host?.close();
  });

  it('--data-dir, --queue, --concurrency, --reuse-results belong to the ServiceX endpoint: without --servicex a usage error', async () => {
    for (const o of [
      ['--data-dir', 'x'],
      ['--queue', 'redis://x:1'],
      ['--concurrency', '3'],
      ['--reuse-results'],
    ]) {
      const r = await runCli('serve', '--port', '0', ...o);
      expect(r.code, o[0]).toBe(1);
      expect(r.err, o[0]).toContain(`${o[0]} is an option of the ServiceX endpoint`);
    }
    const both = await runCli('serve', '--servicex', '--data-dir', 'a', '--servicex-data', 'b');
    expect(both.code).toBe(1);
    expect(both.err).toContain('--servicex-data and --data-dir are the same option');
  });

  it('the old spellings still work, warning once each; the URL prefixes reach the query routes too', async () => {
    const dataDir = tempDir('serve-alias');
    const prefix = `${host.url}/data/`;
    const p = spawnHepq(
      'serve',
      '--servicex',
      '--port',
      '0',
      '--data-root',
      CONF,
      '--servicex-data',
      dataDir,
      '--servicex-allow-url-prefix',
      prefix,
      '--servicex-allow-url-prefix',
      `${host.url}/more/`,
    );
    procs.push(p);
    const base = (await p.waitFor(/listening on (http:\/\/[^\s]+) /, 120_000))[1]!.replace(/\/$/, '');
    const warnings = p.out().match(/warning: .*deprecated.*/g) ?? [];
    expect(warnings.sort()).toEqual([
      'warning: --servicex-allow-url-prefix is deprecated, use --allow-url-prefix',
      'warning: --servicex-data is deprecated, use --data-dir',
    ]);
    // --servicex-data is the job store --data-dir names: the service made it there.
    expect(readdirSync(dataDir).length).toBeGreaterThan(0);
    const r = await fetch(`${base}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'Select(lambda e: e.MET_pt)', files: [`${prefix}sample.root`] }),
    });
    expect(r.status).toBe(200);
    const met = (await (await openJsrootTree(SAMPLE, 'Events')).read('MET_pt')) as number[];
    expect(await r.json()).toEqual(met);
  });
});
