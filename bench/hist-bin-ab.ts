/**
 * The fill loop with the binning printed from planner/ir/binning.ts (a compiled function per axis) against the
 * binning before it (a `Histogram1D.bin` method), on bench/hist-fill.ts's queries: this checkout against another
 * checkout of the project (an export of the commit before, `git archive <commit> | tar -x -C <dir>` with
 * node_modules linked), both loaded in one process and run interleaved A,B,A,B.
 * `npx tsx bench/hist-bin-ab.ts <before-dir> [copies]`
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConnectorTable } from '../connectors/api.js';
import * as rootNow from '../connectors/root/index.js';
import * as execNow from '../exec/index.js';
import * as analyzeNow from '../planner/analyze/index.js';
import * as queryNow from '../query/index.js';
import * as adlNow from '../test/func-adl/adl-events.js';
import { fmtRatio, interleaved, ratio } from './timing.mjs';

const beforeDir = process.argv[2];
if (!beforeDir) throw new Error('usage: npx tsx bench/hist-bin-ab.ts <before-dir> [copies]');
const copies = Number(process.argv[3] ?? 300);
const reps = 21;

type Mods = {
  exec: typeof execNow;
  query: typeof queryNow;
  analyze: typeof analyzeNow;
  root: typeof rootNow;
  adl: typeof adlNow;
  memory: typeof import('../connectors/memory/index.js');
};
const load = async (dir: string): Promise<Mods> => {
  const u = (p: string) => pathToFileURL(resolve(dir, p)).href;
  return {
    exec: await import(u('exec/index.ts')),
    query: await import(u('query/index.ts')),
    analyze: await import(u('planner/analyze/index.ts')),
    root: await import(u('connectors/root/index.ts')),
    adl: await import(u('test/func-adl/adl-events.ts')),
    memory: await import(u('connectors/memory/index.ts')),
  };
};
const now: Mods = {
  exec: execNow,
  query: queryNow,
  analyze: analyzeNow,
  root: rootNow,
  adl: adlNow,
  memory: await import('../connectors/memory/index.js'),
};
const before = await load(beforeDir);

async function tables(m: Mods): Promise<ConnectorTable[]> {
  const one = m.adl.loadAdlEvents(1000);
  const batches = [];
  for await (const b of one.scan()) batches.push(b);
  const b = batches[0]!;
  const columns = b.columns.map((c) => m.exec.concatColumns(Array.from({ length: copies }, () => c)));
  const mem = new m.memory.MemoryTable('Events', b.schema, columns, { batchSize: 100_000 });
  const file = new URL('../../shared/data/root/uproot-issue412.root', import.meta.url).pathname;
  return [mem, await m.root.openRootTable(file, 'test')];
}
const [tNow, tBefore] = [await tables(now), await tables(before)];

const QUERIES: Array<[string, string, number]> = [
  [
    'weighted jet pT (every jet)',
    'SelectMany(lambda e: e.Jet_pt).Hist(lambda x: x, bins=100, range=(0, 200), weight=lambda x: x * 0.01 + 0.5)',
    0,
  ],
  ['unweighted MET', 'Select(lambda e: e.MET_pt).Hist(lambda x: x, bins=100, range=(0, 200))', 0],
  [
    'variable edges, every jet',
    'SelectMany(lambda e: e.Jet_pt).Hist(lambda x: x, edges=[0, 10, 20, 25, 30, 40, 60, 100, 200])',
    0,
  ],
  [
    'uproot-issue412.root (1M entries, zlib)',
    'Select(lambda e: e.b1 / 8192.0).Hist(lambda x: x, bins=32, range=(0, 128), weight=lambda x: x * 0.1 + 0.37)',
    1,
  ],
];

console.log(
  `ADL sample: ${(1000 * copies).toLocaleString('en-US')} events in memory, ${reps} interleaved rounds`,
);
for (const [name, text, t] of QUERIES) {
  const cpu: Record<'now' | 'before', number[]> = { now: [], before: [] };
  const timed = (k: 'now' | 'before', m: Mods, table: ConnectorTable) => {
    const plan = m.analyze.analyzePlan(m.query.parseQuery(text), table.schema()).plan;
    return async () => {
      const c0 = process.cpuUsage();
      await m.exec.executePlan(plan, table);
      const d = process.cpuUsage(c0);
      cpu[k].push((d.user + d.system) / 1000);
    };
  };
  const r = await interleaved(
    { now: timed('now', now, tNow[t]!), before: timed('before', before, tBefore[t]!) },
    reps,
  );
  const c = { now: { ...r.now, runs: cpu.now.slice(1) }, before: { ...r.before, runs: cpu.before.slice(1) } };
  console.log(
    `${name}: wall now ${r.now.median.toFixed(1)} ms, before ${r.before.median.toFixed(1)} ms — now/before ${fmtRatio(ratio(r, 'now', 'before'))}; CPU time now/before ${fmtRatio(ratio(c, 'now', 'before'))}`,
  );
}
