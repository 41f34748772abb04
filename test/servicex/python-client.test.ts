/**
 * The contract with the unmodified python ServiceX client (3.3.1, with func_adl 3.5 and qastle 0.19) against
 * `hepq servicex`: `deliver()` end to end — submit, status polls, results polling, downloads through aioboto3
 * from the S3 path — with the in-process pool and with Redis workers, with and without a token, parquet and
 * root-ttree outputs, and the client's own CLI (`transforms list|files|download|logs`, `codegen list`,
 * `datasets list`). The client runs in the Debian trixie chroot that scripts/servicex-client-setup.sh builds;
 * where it is not built (or we are not root) the test skips and says so. References: the branches read by
 * jsroot, the outputs read back by DuckDB (Parquet) and jsroot (ROOT).
 */
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJsrootTree } from '../helpers/jsroot-reference.js';
import { duckRows, SAMPLE, tempDir } from './helpers.js';
import { freePort, type Proc, spawnHepq, startRedis } from './procs.js';

const CHROOT = process.env.HEPQ_TRIXIE ?? '/var/cache/hepq-trixie';
const SITE = '/opt/hepq-sx/site';
const DRIVER = fileURLToPath(new URL('./py/deliver.py', import.meta.url));

function whyNot(): string | undefined {
  if (!existsSync(SAMPLE)) return `the conformance sample ${SAMPLE} is absent`;
  if (process.getuid?.() !== 0) return 'running the client in its chroot needs root';
  if (!existsSync(join(CHROOT, SITE, '.hepq-ready')))
    return `the client environment ${CHROOT}${SITE} is not built (HEPQ_SX_PY_SRC=… bash scripts/servicex-client-setup.sh)`;
  return undefined;
}
const SKIP = whyNot();
if (SKIP) console.warn(`\n*** SKIPPED: the python ServiceX client contract test: ${SKIP} ***\n`);

type Json = Record<string, unknown>;
/** The driver's path as the chroot sees it (set once the scratch folder exists). */
let driverInChroot = '';

/** Other client releases installed beside the main one (`HEPQ_SX_SITE=site-3.2.2` in the setup script). */
const OTHER_SITES = SKIP
  ? []
  : readdirSync(join(CHROOT, '/opt/hepq-sx'))
      .filter((d) => d.startsWith('site-') && existsSync(join(CHROOT, '/opt/hepq-sx', d, '.hepq-ready')))
      .map((d) => `/opt/hepq-sx/${d}`);

/** Run the driver in the chroot; resolves with its exit code and output (no time limit: it ends on its own). */
function client(
  args: Json,
  cli?: string[],
  site = SITE,
): Promise<{ code: number | null; out: string; json?: Json }> {
  return new Promise((resolve, reject) => {
    const argv = [CHROOT, 'env', `PYTHONPATH=${site}`, 'HOME=/tmp', 'COLUMNS=200', 'python3'];
    const child = spawn('chroot', [
      ...argv,
      driverInChroot,
      JSON.stringify(args),
      ...(cli ? ['cli', ...cli] : []),
    ]);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      let json: Json | undefined;
      try {
        json = last.startsWith('{') ? (JSON.parse(last) as Json) : undefined;
      } catch {
        json = undefined;
      }
      resolve({ code, out, ...(json ? { json } : {}) });
    });
  });
}

/** Events with two or more muons: (MET, nMuon), read by jsroot. */
async function reference(): Promise<Array<[number, number]>> {
  const t = await openJsrootTree(SAMPLE, 'Events');
  const met = (await t.read('MET_pt')) as number[];
  const n = (await t.read('nMuon')) as number[];
  return met.map((m, i) => [m, n[i]!] as [number, number]).filter(([, k]) => k >= 2);
}

const SAMPLE_SPEC = (files: string[]) => ({
  name: 'dimuon',
  tree: 'Events',
  files,
  steps: [
    ['Where', 'lambda e: e.nMuon >= 2'],
    ['Select', "lambda e: {'met': e.MET_pt, 'n': e.nMuon}"],
  ],
});

describe.skipIf(SKIP !== undefined)('the unmodified python ServiceX client against hepq servicex', () => {
  const procs: Proc[] = [];
  let scratch: string; // inside the chroot (host path)
  let inChroot: (hostPath: string) => string;
  let ref: Array<[number, number]>;

  beforeAll(async () => {
    mkdirSync(join(CHROOT, 'tmp'), { recursive: true });
    scratch = mkdtempSync(join(CHROOT, 'tmp', 'hepq-sx-'));
    copyFileSync(DRIVER, join(scratch, 'deliver.py'));
    inChroot = (p) => p.slice(CHROOT.length);
    driverInChroot = inChroot(join(scratch, 'deliver.py'));
    ref = await reference();
    expect(ref.length).toBeGreaterThan(50);
  });
  afterAll(async () => {
    for (const p of procs) await p.kill('SIGKILL');
  });

  const serve = async (...args: string[]): Promise<string> => {
    const p = spawnHepq('servicex', '--port', '0', ...args);
    procs.push(p);
    return (await p.waitFor(/listening on (http:\/\/[^\s]+) /))[1]!;
  };

  it.each([SITE, ...OTHER_SITES])(
    'deliver() (client in %s): parquet through the in-process pool, no token',
    async (site) => {
      const endpoint = await serve('--data-dir', tempDir('pyc-local'));
      const work = join(scratch, `w-local-${site.split('/').pop()}`);
      const r = await client(
        { endpoint, work: inChroot(work), samples: [SAMPLE_SPEC([SAMPLE, SAMPLE])] },
        undefined,
        site,
      );
      expect(r.json?.files, r.out).toBeDefined();
      const files = (r.json!.files as Record<string, string[]>).dimuon!;
      expect(files).toHaveLength(2);
      for (const f of files) {
        const rows = await duckRows(join(CHROOT, f));
        expect(rows.map((x) => [x.met, x.n])).toEqual(ref);
      }
    },
    300_000,
  );

  it('deliver() with a token over Redis workers, root-ttree; the client CLI lists, downloads, shows logs', async () => {
    const port = await freePort();
    const redis = await startRedis(port);
    procs.push(redis);
    const queue = `redis://127.0.0.1:${port}`;
    const worker = spawnHepq('worker', '--queue', queue, '--name', 'w1');
    procs.push(worker);
    await worker.waitFor(/ready on/);
    const tokenFile = join(tempDir('pyc-token'), 'token');
    writeFileSync(tokenFile, 'the-refresh-token-of-this-test\n');
    const dataDir = tempDir('pyc-redis');
    const endpoint = await serve('--data-dir', dataDir, '--queue', queue, '--token-file', tokenFile);
    const work = join(scratch, 'w-redis');
    const base = { endpoint, work: inChroot(work), token: 'the-refresh-token-of-this-test' };
    const r = await client({
      ...base,
      format: 'root-ttree',
      samples: [SAMPLE_SPEC([SAMPLE, SAMPLE, SAMPLE])],
    });
    expect(r.json?.files, r.out).toBeDefined();
    const files = (r.json!.files as Record<string, string[]>).dimuon!;
    expect(files).toHaveLength(3);
    for (const f of files) {
      const t = await openJsrootTree(join(CHROOT, f), 'servicex');
      expect(await t.read('met')).toEqual(ref.map(([m]) => m));
    }
    const id = files[0]!.split('/').at(-2)!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const list = await client(base, ['transforms', 'list']);
    expect(list.out).toContain(id);
    expect(list.out).toContain('Complete');
    const names = readdirSync(join(dataDir, 'results', id)).sort();
    const listed = await client(base, ['transforms', 'files', id]);
    for (const n of names) expect(listed.out).toContain(n);
    const dl = join(scratch, 'dl');
    const down = await client(base, ['transforms', 'download', id, '--cache-dir', inChroot(dl)]);
    expect(down.code, down.out).toBe(0);
    for (const n of names) {
      const got = join(work, n); // the client downloads to its working folder
      expect(existsSync(got), down.out).toBe(true);
      expect(statSync(got).size).toBe(statSync(join(dataDir, 'results', id, n)).size);
    }
    const codegen = await client(base, ['codegen', 'list']);
    expect(codegen.out).toContain('"uproot"');
    const datasets = await client(base, ['datasets', 'list']);
    expect(datasets.code, datasets.out).toBe(0);
    expect(datasets.out).toContain('file-list:3');
    const logs = await client(base, ['transforms', 'logs', id]);
    expect(logs.code, logs.out).toBe(0);
    expect(logs.out.replace(/\s+/g, '')).toContain(`/servicex/transformation/${id}/logs`);

    // A wrong refresh token: the client stops with its authorization error, nothing is submitted.
    const bad = await client({
      ...base,
      token: 'wrong',
      work: inChroot(join(scratch, 'w-bad')),
      samples: [SAMPLE_SPEC([SAMPLE])],
    });
    expect(bad.json?.error, bad.out).toMatch(/AuthorizationError|401|rejected/);
  }, 600_000); // a safety net only: eight python processes (each importing the client) on a busy 2-core box
});
