/**
 * The start-up path of bin/hepq.mjs: the CLI bundle compiled from V8's code cache gives the same answers as the
 * code-split ES-module CLI (HEPQ_NO_CODE_CACHE=esm), including the packages it imports on demand (parquet-wasm),
 * and the cache the build wrote is one this Node accepts. No timings here: bench/startup.mjs measures them.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED } from '../../helpers/shared-data.js';
import { ensureBuilt, REPO } from '../repl/pty.js';

const exec = promisify(execFile);
const HEPQ = join(REPO, 'bin', 'hepq.mjs');
const SAMPLE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
const HAVE = existsSync(SAMPLE);

async function hepq(env: Record<string, string>, ...args: string[]) {
  const r = await exec(process.execPath, [HEPQ, ...args], {
    env: { ...process.env, ...env },
    encoding: 'buffer',
    maxBuffer: 1 << 26,
  });
  return { out: r.stdout, err: r.stderr.toString() };
}

let dir = '';
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'hepq-startup-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the CLI bundle and its code cache', () => {
  it('the cache written by the build is accepted by this Node', async () => {
    // the loader the command uses, in a fresh process, reports whether V8 took the cached data
    const probe = `import { loadCli } from ${JSON.stringify(pathToFileURL(join(REPO, 'bin', 'cli-loader.mjs')).href)};
const { script } = await loadCli(${JSON.stringify(join(REPO, 'dist/'))});
process.stdout.write(String(script?.cachedDataRejected));`;
    const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', probe]);
    expect(stdout).toBe('false');
  });

  it.skipIf(!HAVE)(
    'gives byte-identical answers to the ES-module CLI: a query, SQL, and Parquet through parquet-wasm',
    async () => {
      const cases: string[][] = [
        ['query', 'Select(lambda e: e.nMuon).Count()', SAMPLE], // 1000 entries: the sample's manifest
        [
          'query',
          'Select(lambda e: e.MET_pt).Hist(lambda m: m, bins=5, range=(0, 100))',
          SAMPLE,
          '--format',
          'json',
        ],
        ['sql', 'SELECT 6 * 7 AS answer', '--format', 'csv'],
        ['dump', SAMPLE, '--branch', 'nMuon', '--stop', '5', '--format', 'parquet'],
      ];
      for (const args of cases) {
        const bundle = await hepq({}, ...args);
        const esm = await hepq({ HEPQ_NO_CODE_CACHE: 'esm' }, ...args);
        expect(bundle.err, args.join(' ')).toBe('');
        expect(Buffer.compare(bundle.out, esm.out), args.join(' ')).toBe(0);
      }
      expect((await hepq({}, 'query', 'Select(lambda e: e.nMuon).Count()', SAMPLE)).out.toString()).toBe(
        '1000\n',
      );
      expect((await hepq({}, 'sql', 'SELECT 6 * 7 AS answer', '--format', 'csv')).out.toString()).toBe(
        'answer\n42\n',
      );
      // the Parquet bytes read back through DuckDB (a second reader) hold the first five nMuon values of jsonl
      const jsonl = (await hepq({}, 'dump', SAMPLE, '--branch', 'nMuon', '--stop', '5')).out.toString();
      const file = join(dir, 'n.parquet');
      await hepq(
        {},
        'dump',
        SAMPLE,
        '--branch',
        'nMuon',
        '--stop',
        '5',
        '--format',
        'parquet',
        '--out',
        file,
      );
      const back = (await hepq({}, 'sql', `SELECT nMuon FROM '${file}'`, '--format', 'csv')).out.toString();
      const want = jsonl
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).nMuon);
      expect(back.trim().split('\n').slice(1).map(Number)).toEqual(want);
    },
  );
});
