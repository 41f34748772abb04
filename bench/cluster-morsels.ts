// Morsels per second through the cluster client: N tiny morsels (one entry each of the 1,000-event sample, so the
// queue's bookkeeping is the whole cost) on W `hepq worker` processes over a local redis-server. With a copy of an
// earlier client at bench/out/client-base.ts (its imports pointed at the repository, see BENCHMARKS.md) the two
// clients run interleaved (A, B, A, B) on the same workers, and their results must be equal.
// BENCH_MORSELS (default 5000), BENCH_WORKERS (default 2), BENCH_REPS (default 5).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { resultToJson } from '../exec/index.js';
import { ClusterClient, Session } from '../server/index.js';
import type { MorselTask } from '../server/parallel/index.js';
import { freePort, type Proc, spawnHepq, startRedis } from '../test/server/servicex/procs.js';
import { fmtRatio, interleaved, median, ratio } from './timing.mjs';

interface Client {
  run(tasks: readonly MorselTask[]): Promise<unknown[]>;
  close(): Promise<void>;
}

const here = import.meta.dirname;
const tiny = join(here, '../../shared/conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root');
const n = Number(process.env.BENCH_MORSELS ?? 5000);
const nworkers = Number(process.env.BENCH_WORKERS ?? 2);
const reps = Number(process.env.BENCH_REPS ?? 5);
const basePath = join(here, 'out/client-base.ts');
const Base =
  existsSync(basePath) && process.env.BENCH_BASE !== '0'
    ? ((await import(basePath)) as { ClusterClient: new (url: string) => Client }).ClusterClient
    : undefined;

const session = new Session({ threads: 1, device: 'cpu' });
const p = await session.prepare('Select(lambda e: e.nMuon).Sum()', { files: [tiny] });
const physical = await session.physical(p);
const tasks: MorselTask[] = Array.from({ length: n }, (_, i) => ({
  text: p.text,
  plan: p.plan,
  files: p.files,
  tree: p.table.name,
  range: { start: i % 1000, stop: (i % 1000) + 1 },
  filters: physical.scan.filters,
  sink: physical.sink,
}));

const port = await freePort();
const redis = await startRedis(port);
const url = `redis://127.0.0.1:${port}`;
const workers: Proc[] = [];
const clients: Client[] = [];
const probe = new Redis(url);
try {
  for (let w = 0; w < nworkers; w++) workers.push(spawnHepq('worker', '--queue', url, '--name', `m${w}`));
  for (const w of workers) await w.waitFor(/ready on/, 120_000);
  const after = new ClusterClient(url);
  clients.push(after);
  const variants: Record<string, () => Promise<unknown>> = {};
  const answers: Record<string, string> = {};
  // Per run: this process's CPU time (the client's) and the commands Redis processed (workers' included: the
  // same for both clients, so the difference is the client's).
  // And the tail: from the last job's end (its finishedOn, the completed set's top score) to run() returning —
  // how late the client notices the end.
  const cost: Record<string, { cpu: number[]; commands: number[]; tail: number[] }> = {};
  const commands = async () => Number(/total_commands_processed:(\d+)/.exec(await probe.info('stats'))![1]);
  const add = (name: string, c: Client) => {
    cost[name] = { cpu: [], commands: [], tail: [] };
    variants[name] = async () => {
      const cpu0 = process.cpuUsage();
      const cmd0 = await commands();
      const results = await c.run(tasks);
      const end = Date.now();
      const cpu = process.cpuUsage(cpu0);
      const last = await probe.zrange('bull:hepq-query:completed', -1, -1, 'WITHSCORES');
      cost[name]!.tail.push(end - Number(last[1]));
      answers[name] = JSON.stringify(results.map((r) => resultToJson(r as never)));
      cost[name]!.cpu.push((cpu.user + cpu.system) / 1e3);
      cost[name]!.commands.push((await commands()) - cmd0 - 3);
    };
  };
  if (Base) {
    const before = new Base(url);
    clients.push(before);
    add('before', before);
  }
  add('after', after);
  const t = await interleaved(variants, reps);
  console.log(`${n} morsels of one entry, ${nworkers} workers, ${reps} interleaved runs each`);
  for (const [name, timing] of Object.entries(t))
    console.log(
      `${name.padEnd(7)} median ${(timing.median / 1e3).toFixed(2)} s (${timing.min.toFixed(0)}–${timing.max.toFixed(0)} ms) → ${(n / (timing.median / 1e3)).toFixed(0)} morsels/s; client CPU ${median(cost[name]!.cpu).toFixed(0)} ms, Redis commands ${median(cost[name]!.commands).toLocaleString('en-US')}, last job's end → results ${median(cost[name]!.tail).toFixed(0)} ms (medians)`,
    );
  if (Base) {
    console.log(
      `before ÷ after: ${fmtRatio(ratio(t as Record<'before' | 'after', never>, 'before', 'after'))}`,
    );
    if (answers.before !== answers.after) throw new Error('the two clients gave different results');
    console.log('results identical');
  }
} finally {
  for (const c of clients) await c.close();
  probe.disconnect();
  await session.close();
  for (const w of workers) await w.kill('SIGKILL');
  await redis.kill('SIGKILL');
}
