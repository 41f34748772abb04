// Queries on a cluster of `hepq worker` processes over a local redis-server (this machine: 2 cores, so the point
// is the overhead, not the speed-up): a histogram query over generated files on 1, 2 and 3 workers against the
// same query on this thread, interleaved, and the per-morsel overhead measured on many tiny morsels.
// BENCH_CLUSTER_EVENTS (default 200000 per file), BENCH_CLUSTER_FILES (default 8), reps 3.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from '../server/index.js';
import { freePort, type Proc, spawnHepq, startRedis } from '../test/server/servicex/procs.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const here = import.meta.dirname;
const out = join(here, 'out');
mkdirSync(out, { recursive: true });
const events = Number(process.env.BENCH_CLUSTER_EVENTS ?? 200_000);
const nfiles = Number(process.env.BENCH_CLUSTER_FILES ?? 8);
const file = join(out, `cluster-adl-${events}.root`);
if (!existsSync(file))
  execFileSync(
    process.execPath,
    [
      join(here, '../bin/hepq.mjs'),
      'generate',
      '--schema',
      'adl',
      '--events',
      String(events),
      '--out',
      file,
      '--compression',
      'zstd:5',
    ],
    { stdio: 'inherit' },
  );
const files = Array.from({ length: nfiles }, () => file);
const tiny = join(here, '../../shared/conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root');
const QUERY =
  'Where(lambda e: e.nJet >= 2).SelectMany(lambda e: e.Jet_pt).Hist(lambda pt: pt, bins=50, range=(0, 250))';
const TINY = 'Select(lambda e: e.nMuon).Count()';

const port = await freePort();
const redis = await startRedis(port);
const url = `redis://127.0.0.1:${port}`;
const workers: Proc[] = [];
const local = new Session({ threads: 1, device: 'cpu' });
const cluster = new Session({ threads: 1, device: 'cpu', cluster: url, clusterMinBytes: 0 });
const time = async (f: () => Promise<unknown>) => {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
};
try {
  const total = events * nfiles;
  const mb = (statSync(file).size * nfiles) / 1e6;
  console.log(
    `${nfiles} files × ${events.toLocaleString('en-US')} events (${mb.toFixed(0)} MB zstd), query: ${QUERY}`,
  );
  console.log(
    'workers  local 1 thread (ms)  cluster (ms)  ratio  events/s on the cluster  morsels  MB read per morsel',
  );
  await local.query(QUERY, { files }); // warm the page cache and the compiled loop
  for (let n = 1; n <= 3; n++) {
    const w = spawnHepq('worker', '--queue', url, '--name', `b${n}`);
    workers.push(w);
    await w.waitFor(/ready on/, 120_000);
    await cluster.query(QUERY, { files }); // warm the workers (files open, loops compiled)
    const p = await cluster.prepare(QUERY, { files });
    const physical = await cluster.physical(p);
    const morsels = physical.target.kind === 'cluster' ? physical.target.morsels.length : 0;
    const read = physical.scan.columns.reduce((a, c) => a + c.compressedBytes, 0);
    const l: number[] = [];
    const c: number[] = [];
    for (let r = 0; r < 3; r++) {
      l.push(await time(() => local.query(QUERY, { files })));
      c.push(await time(() => cluster.query(QUERY, { files })));
    }
    const lm = median(l);
    const cm = median(c);
    console.log(
      `${String(n).padStart(7)}  ${lm.toFixed(0).padStart(19)}  ${cm.toFixed(0).padStart(12)}  ${(lm / cm).toFixed(2).padStart(5)}  ${((total / cm) * 1e3).toExponential(2).padStart(23)}  ${String(morsels).padStart(7)}  ${(read / 1e6 / Math.max(1, morsels)).toFixed(2).padStart(18)}`,
    );
  }
  // Overhead: 3 workers, 60 morsels of 1,000 events each (nothing to do): the time per morsel is the queue's.
  if (existsSync(tiny)) {
    const many = Array.from({ length: 60 }, () => tiny);
    await cluster.query(TINY, { files: many });
    const c: number[] = [];
    const l: number[] = [];
    for (let r = 0; r < 3; r++) {
      l.push(await time(() => local.query(TINY, { files: many })));
      c.push(await time(() => cluster.query(TINY, { files: many })));
    }
    const p = await cluster.prepare(TINY, { files: many });
    const physical = await cluster.physical(p);
    const morsels = physical.target.kind === 'cluster' ? physical.target.morsels.length : 1;
    console.log(
      `per-morsel overhead (3 workers, ${morsels} morsels of ~${Math.round(60000 / morsels)} events): cluster ${median(c).toFixed(0)} ms vs this thread ${median(l).toFixed(0)} ms → ${((median(c) * 3) / morsels).toFixed(1)} ms of a worker per morsel`,
    );
  }
} finally {
  await Promise.all([local.close(), cluster.close()]);
  for (const w of workers) await w.kill('SIGKILL');
  await redis.kill('SIGKILL');
}
