/**
 * Queries on a cluster: a real redis-server and three `hepq worker` processes on this machine. Histograms over
 * 30 files equal the single-process result bin for bin; a worker killed mid-morsel is replaced with no double
 * counting; Redis restarted mid-query loses nothing; a cancelled query leaves no waiting morsel; a user's
 * error comes back located; `hepq query --cluster` prints what it prints without.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultToJson } from '../../exec/index.js';
import { Session } from '../../server/index.js';
import { closeRedisFamily, redisConnection } from '../../server/transform/index.js';
import { hypotestPatchset, Patchset, Workspace } from '../../stats/index.js';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/shared-data.js';
import { freePort, type Proc, spawnHepq, startRedis } from './servicex/procs.js';

const ADL_SAMPLE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
const HAVE_ADL_SAMPLE = existsSync(ADL_SAMPLE);
const FILES = Array.from({ length: 30 }, () => ADL_SAMPLE);
const HIST =
  'Where(lambda e: e.nJet >= 2).SelectMany(lambda e: e.Jet_pt).Hist(lambda pt: pt, bins=40, range=(15, 115))';
const SUM =
  "Select(lambda e: {'n': e.nMuon, 'met': e.MET_pt}).Where(lambda r: r.n >= 1).Select(lambda r: r.met).Sum()";

describe.skipIf(!HAVE_ADL_SAMPLE)('queries on a cluster of hepq workers over Redis', () => {
  let port = 0;
  let url = '';
  let redis: Proc;
  const workers: Proc[] = [];
  let local: Session;
  let cluster: Session;
  const worker = async (name: string, ...extra: string[]) => {
    const w = spawnHepq('worker', '--queue', url, '--name', name, '--lock-ms', '1500', ...extra);
    workers.push(w);
    await w.waitFor(/ready on/, 120_000);
    return w;
  };

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    url = `redis://127.0.0.1:${port}`;
    await Promise.all([worker('w1'), worker('w2'), worker('w3')]);
    local = new Session({ threads: 1, device: 'cpu' });
    cluster = new Session({ threads: 1, device: 'cpu', cluster: url, clusterMinBytes: 0 });
  });
  afterAll(async () => {
    await Promise.all([local?.close(), cluster?.close()]);
    for (const w of workers) await w.kill('SIGKILL');
    await redis?.kill('SIGKILL');
  });

  it('a histogram and a reduction over 30 files equal the single-process results, spread over the workers', async () => {
    const p = await cluster.prepare(HIST, { files: FILES });
    const target = (await cluster.physical(p)).target;
    expect(target.kind).toBe('cluster');
    if (target.kind === 'cluster') {
      expect(target.workers).toBeGreaterThanOrEqual(3);
      expect(target.morsels.length).toBeGreaterThanOrEqual(3);
    }
    for (const q of [HIST, SUM])
      expect(resultToJson(await cluster.query(q, { files: FILES }))).toEqual(
        resultToJson(await local.query(q, { files: FILES })),
      );
    const busy = workers.filter((w) => /morsel /.test(w.out())).length;
    expect(busy).toBeGreaterThanOrEqual(2);
    expect(await cluster.explain(HIST, { files: FILES })).toMatch(
      /Target: cluster redis:\/\/127\.0\.0\.1:\d+: \d+ workers/,
    );
  });

  it('a categorised AGC-style query (regions × weights × a variation, one pass) over 30 files equals the local result', async () => {
    const q = `Select(lambda e: {'jets': e.Jet_pt, 'nmu': e.nMuon, 'met': e.MET_pt})
      .Hist(lambda e: e.jets.Sum() + e.met, edges=[0, 50, 100, 200, 500],
            category={'region': {'one_mu': lambda e: e.nmu == 1, 'two_mu': lambda e: e.nmu >= 2}},
            weight={'nominal': lambda e: xsec * lumi, 'up': lambda e: 1.1 * xsec * lumi},
            variation={'jes_up': lambda e: {'jets': e.jets.Select(lambda p: p * 1.03)}})`;
    const params = { xsec: 0.5, lumi: 2.0 };
    const p = await cluster.prepare(q, { files: FILES, params });
    expect((await cluster.physical(p)).target.kind).toBe('cluster');
    // Weighted sums carry their rounding errors across morsels (exec/sinks): the same bits as one process.
    const here = resultToJson(await local.query(q, { files: FILES, params }));
    expect(resultToJson(await cluster.query(q, { files: FILES, params }))).toEqual(here);
    expect(JSON.stringify(here)).toMatch(/jes_up/);
  });

  it('rows come back in entry order, as on one machine', async () => {
    const q = 'Where(lambda e: e.nMuon >= 2).Select(lambda e: e.MET_pt)';
    const files = FILES.slice(0, 5);
    expect(resultToJson(await cluster.query(q, { files }))).toEqual(
      resultToJson(await local.query(q, { files })),
    );
  });

  it('a worker killed mid-morsel: its morsel runs elsewhere and counts once', async () => {
    const slow = await worker('slow', '--throttle-ms', '3000');
    const run = cluster.query(HIST, { files: FILES });
    await slow.waitFor(/morsel \S+ \(/, 120_000); // it has taken a morsel and sleeps on it
    await slow.kill('SIGKILL');
    expect(resultToJson(await run)).toEqual(resultToJson(await local.query(HIST, { files: FILES })));
  });

  it('Redis restarted mid-query (no persistence: the jobs are gone) — the client re-enqueues, nothing lost', async () => {
    const slow = await worker('slow2', '--throttle-ms', '1000');
    const run = cluster.query(SUM, { files: FILES });
    await slow.waitFor(/morsel \S+ \(/, 120_000);
    await redis.kill('SIGKILL');
    redis = await startRedis(port);
    expect(resultToJson(await run)).toEqual(resultToJson(await local.query(SUM, { files: FILES })));
    await slow.kill('SIGKILL');
  });

  it('a cancelled query rejects and leaves none of its morsels waiting', async () => {
    const ac = new AbortController();
    const slowAll = new Session({ threads: 1, device: 'cpu', cluster: url, clusterMinBytes: 0 });
    const run = slowAll.query(HIST, { files: [...FILES, ...FILES, ...FILES], signal: ac.signal });
    const clients = new Set<Parameters<typeof closeRedisFamily>[0] extends Set<infer C> ? C : never>();
    const queue = new Queue('hepq-query', { connection: redisConnection(url, clients) });
    for (let i = 0; i < 200 && (await queue.getWaitingCount()) === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    ac.abort();
    await expect(run).rejects.toThrow();
    expect(await queue.getWaitingCount()).toBe(0);
    await queue.close();
    closeRedisFamily(clients);
    await slowAll.close();
  });

  it("a user's error in a morsel comes back located under the query, naming the morsel", async () => {
    const q = 'Select(lambda e: e.Jet_pt.ElementAt(50))'; // past the end of every event's jets
    await expect(cluster.query(q, { files: FILES.slice(0, 3) })).rejects.toMatchObject({
      code: 'exec/index-range',
      source: q,
      hint: expect.stringMatching(/morsel \d+ of \d+ \(.*entries \d+\.\.\d+\) on worker/),
    });
  });

  it('a 64-patch patchset through the cluster (hepq cls --cluster) equals the local results, patch for patch', async () => {
    const dir = `${SHARED}data/stats/workspaces/atlas_3L_eRJR`;
    const bkg = Workspace.fromJSON(JSON.parse(readFileSync(`${dir}/BkgOnly.json`, 'utf8')));
    const patchset = Patchset.fromJSON(JSON.parse(readFileSync(`${dir}/patchset.json`, 'utf8')));
    expect(patchset.names.length).toBeGreaterThanOrEqual(60);
    const local = await hypotestPatchset(bkg, patchset, { threads: 2 });
    const r = await runCli(
      'cls',
      `${dir}/BkgOnly.json`,
      '--patch',
      `${dir}/patchset.json`,
      '--json',
      '--cluster',
      url,
    );
    const rows = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { patch: string; cls_obs: number; cls_exp: number[] });
    expect(rows.map((x) => x.patch)).toEqual(local.map((x) => x.patch));
    rows.forEach((row, i) => {
      expect(row.cls_obs).toBe(local[i]!.result.clsObs);
      expect(row.cls_exp).toEqual(local[i]!.result.clsExp);
    });
    expect(workers.filter((w) => /stats job /.test(w.out())).length).toBeGreaterThanOrEqual(2);
  });

  it('an upper-limit scan with one job per μ point (hepq limit --scan --cluster) equals the local scan', async () => {
    const ws = `${SHARED}data/stats/workspaces/pyhf_examples/2-bin_1-channel.json`;
    const args = ['limit', ws, '--scan', '0:5:21', '--json'];
    const plain = await runCli(...args);
    const spread = await runCli(...args, '--cluster', url);
    expect(spread.code).toBe(plain.code);
    expect(JSON.parse(spread.out)).toEqual(JSON.parse(plain.out));
    expect(JSON.parse(plain.out)).toHaveProperty('scan');
    expect(workers.filter((w) => /stats job /.test(w.out())).length).toBeGreaterThanOrEqual(2);
  });

  it('SQL: hypotest_patchset(…, cluster := URL) gives the rows it gives on this machine', async () => {
    const dir = `${SHARED}data/stats/workspaces/atlas_3L_eRJR`;
    const q = (extra: string) =>
      `SELECT * FROM hypotest_patchset('${dir}/BkgOnly.json', '${dir}/patchset.json'${extra}) ORDER BY patch`;
    const here = await local.sql(q(''));
    const there = await local.sql(q(`, cluster := '${url}'`));
    expect(there.rowCount).toBe(64);
    expect(there.names).toEqual(here.names);
    expect(there.columns).toEqual(here.columns);
  });

  it('hepq query --cluster prints exactly what it prints without', async () => {
    const args = [HIST, ...FILES.slice(0, 10), '--format', 'json', '--threads', '1'];
    const plain = await runCli('query', ...args);
    const spread = await runCli('query', ...args, '--cluster', url, '--cluster-min-bytes', '0');
    expect(plain.code).toBe(0);
    expect(spread.code).toBe(0);
    expect(spread.out).toBe(plain.out);
  });
});
