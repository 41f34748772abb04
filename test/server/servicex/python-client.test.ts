/**
 * The contract with the unmodified python ServiceX client (3.3.1, with func_adl 3.5 and qastle 0.19) against
 * `hepq servicex` (and `hepq serve --servicex`, with a token): `deliver()` end to end — submit, status polls, results polling, downloads through aioboto3
 * from the S3 path — with the in-process pool and with Redis workers, with and without a token, parquet and
 * root-ttree outputs, and the client's own CLI (`transforms list|files|download|logs`, `codegen list`,
 * `datasets list`). The client runs in the Debian trixie chroot that scripts/servicex-client-setup.sh builds;
 * where it is not built (or we are not root) the test skips and says so. References: the branches read by
 * jsroot, the outputs read back by DuckDB (Parquet) and jsroot (ROOT).
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';
import { duckRows, SAMPLE, tempDir } from './helpers.js';
import { freePort, type Proc, spawnHepq, startRedis } from './procs.js';
import { CHROOT, clientMissing, type Json, otherSites, PyClient, SITE } from './py-client.js';

const SKIP = existsSync(SAMPLE) ? clientMissing() : `the conformance sample ${SAMPLE} is absent`;
if (SKIP) console.warn(`\n*** SKIPPED: the python ServiceX client contract test: ${SKIP} ***\n`);
const OTHER_SITES = SKIP ? [] : otherSites();

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
  let py: PyClient;
  let scratch: string; // inside the chroot (host path)
  let inChroot: (hostPath: string) => string;
  let ref: Array<[number, number]>;
  const client = (args: Json, cli?: string[], site = SITE) => py.run(args, cli ? ['cli', ...cli] : [], site);

  beforeAll(async () => {
    py = new PyClient();
    scratch = py.scratch;
    inChroot = (p) => py.inChroot(p);
    ref = await reference();
    expect(ref.length).toBeGreaterThan(50);
  });
  afterAll(async () => {
    for (const p of procs) await p.kill('SIGKILL');
    py?.dispose();
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

  it('deliver() with a token against hepq serve --servicex (the SQL server with the endpoint mounted)', async () => {
    const tokenFile = join(tempDir('pyc-serve-token'), 'token');
    writeFileSync(tokenFile, 'the-refresh-token-of-the-serve-test\n');
    const p = spawnHepq(
      'serve',
      '--servicex',
      '--port',
      '0',
      '--data-dir',
      tempDir('pyc-serve'),
      '--data-root',
      join(SAMPLE, '..'),
      '--token-file',
      tokenFile,
    );
    procs.push(p);
    const endpoint = (await p.waitFor(/listening on (http:\/\/[^\s]+) /))[1]!;
    const work = join(scratch, 'w-serve');
    const r = await client({
      endpoint,
      work: inChroot(work),
      token: 'the-refresh-token-of-the-serve-test',
      samples: [SAMPLE_SPEC([SAMPLE, SAMPLE])],
    });
    expect(r.json?.files, r.out).toBeDefined();
    const files = (r.json!.files as Record<string, string[]>).dimuon!;
    expect(files).toHaveLength(2);
    for (const f of files) {
      const rows = await duckRows(join(CHROOT, f));
      expect(rows.map((x) => [x.met, x.n])).toEqual(ref);
    }
  }, 300_000);
});
