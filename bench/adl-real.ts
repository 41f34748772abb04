// The ADL benchmark on real events: the shared 1000-event Run2012B SingleMu sample (CMS open data, the file the
// func_adl benchmark and RDataFrame's published rates use in full) replicated N/1000 times by hepq's own ROOT
// writer with the sample's layout — one 1000-entry basket per branch per copy, ZLIB level 1 (fCompress 101) —
// then the 8 ADL tasks on one thread, events/s per core, beside RDataFrame's published per-core rates.
// Before anything is timed, every task's histogram on the replicated file must be exactly N/1000 × its
// histogram on the original sample (unweighted counts: exact), or the run fails.
//
//   npx tsx bench/adl-real.ts                          (200,000 events; the file is written once per N)
//   BENCH_ADL_REAL_EVENTS=10000000 npx tsx bench/adl-real.ts     (the 10 M run; BENCH_REPS=N, default 3)
//   BENCH_ADL_REAL_TASKS=q1,q6-1 …                     (a subset)
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { openRoot, openRootTable, writeRoot } from '../connectors/root/index.js';
import type { Batch, BatchStream } from '../exec/batch/index.js';
import type { HistogramResult } from '../exec/index.js';
import { Session } from '../server/session.js';
import { ADL_TASKS } from '../test/func-adl/adl-tasks.js';

const SAMPLE = join(
  import.meta.dirname,
  '../../shared/conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root',
);
const N = Number(process.env.BENCH_ADL_REAL_EVENTS ?? 200_000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const picked = process.env.BENCH_ADL_REAL_TASKS?.split(',');
const tasks = ADL_TASKS.filter((t) => !picked || picked.includes(t.name));

/**
 * RDataFrame's published per-core rates on the full Run2012B dataset (events/s/core), as issue 20 records
 * them; the other tasks' rates were not found in the material reachable from here (left blank, no ratio).
 */
const RDF_PER_CORE: Record<string, number> = { q1: 7.3e6, 'q6-1': 31e3, 'q6-2': 31e3 };

if (!existsSync(SAMPLE)) {
  console.error(`${SAMPLE} is absent: nothing to measure`);
  process.exit(1);
}

// 1. The replicated file, written once per N.
const sampleTable = await openRootTable(SAMPLE, 'Events');
const perCopy = sampleTable.tree.entries;
if (N % perCopy !== 0) throw new Error(`BENCH_ADL_REAL_EVENTS must be a multiple of ${perCopy}`);
const copies = N / perCopy;
const DIR = join(import.meta.dirname, 'out', `adl-real-${N}`);
mkdirSync(DIR, { recursive: true });
const FILE = join(DIR, `Run2012B_SingleMu_x${copies}.root`);
if (!existsSync(FILE)) {
  const names = sampleTable.tree.readable().map((b) => b.name);
  const batch: Batch = await sampleTable.tree.read(names);
  const t0 = performance.now();
  const stream: BatchStream = {
    schema: batch.schema,
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < copies; i++) yield batch;
    },
  };
  // Written under another name and renamed at the end: a run stopped midway leaves no file taken as complete.
  const summary = await writeRoot(`${FILE}.partial`, stream, {
    tree: 'Events',
    compression: 'zlib:1',
    clusterPerBatch: true,
  });
  if (summary.entries !== N) throw new Error(`wrote ${summary.entries} entries, wanted ${N}`);
  renameSync(`${FILE}.partial`, FILE);
  console.log(
    `wrote ${FILE}: ${summary.entries.toLocaleString('en')} events, ${summary.branches} branches, ${summary.baskets.toLocaleString('en')} baskets, ${(summary.bytes / 1e6).toFixed(0)} MB in ${((performance.now() - t0) / 1e3).toFixed(0)} s`,
  );
}
await sampleTable.close();

// 2. The layout is the sample's: the same branches, one basket of `perCopy` entries per copy, ZLIB 1.
{
  const [a, b] = await Promise.all([openRoot(SAMPLE), openRoot(FILE)]);
  const [ta, tb] = await Promise.all([a.tree('Events'), b.tree('Events')]);
  const bad: string[] = [];
  for (const x of ta.readable()) {
    const y = tb.info(x.name);
    const sizes = new Set(
      y.branch.basketEntry.slice(1, y.branch.writeBasket).map((e, i) => e - y.branch.basketEntry[i]!),
    );
    if (y.branch.writeBasket !== copies || sizes.size > 1 || (sizes.size === 1 && !sizes.has(perCopy)))
      bad.push(`${x.name}: ${y.branch.writeBasket} baskets`);
    if (x.interpretation.rootType !== y.interpretation.rootType)
      bad.push(`${x.name}: ${x.interpretation.rootType} → ${y.interpretation.rootType}`);
  }
  const setting = `${a.file.header.compress} → ${b.file.header.compress}`;
  if (bad.length || a.file.header.compress !== b.file.header.compress)
    throw new Error(`the copy's layout differs (${setting}): ${bad.slice(0, 5).join('; ')}`);
  console.log(
    `layout: ${ta.readable().length} branches, ${copies.toLocaleString('en')} baskets of ${perCopy} entries each, fCompress ${b.file.header.compress} (as the sample); ${(statSync(FILE).size / 1e6).toFixed(0)} MB`,
  );
  await Promise.all([a.close(), b.close()]);
}

// 3. Every task: the copy's histogram = copies × the sample's, bin for bin (flows too).
const session = new Session({ threads: 1, device: 'cpu' });
const hist = (t: (typeof ADL_TASKS)[number]) =>
  `${t.query}.Hist(lambda x: x, bins=100, range=(${t.lo}, ${t.hi}))`;
const run = async (t: (typeof ADL_TASKS)[number], file: string): Promise<HistogramResult> => {
  const r = await session.query(hist(t), { files: [file] });
  if (r.kind !== 'histogram') throw new Error(`${t.name}: expected a histogram`);
  return r.histogram;
};
const flat = (h: HistogramResult) => [h.underflow, ...h.counts, h.overflow];
for (const t of tasks) {
  const [one, many] = [flat(await run(t, SAMPLE)), flat(await run(t, FILE))];
  const off = one.findIndex((c, i) => c * copies !== many[i]);
  if (off >= 0)
    throw new Error(`${t.name}: bin ${off} holds ${many[off]} on the copy, ${copies} × ${one[off]} expected`);
  if (one.reduce((a, b) => a + b, 0) === 0) throw new Error(`${t.name}: empty histogram on the sample`);
}
console.log(`every task's histogram on the copy = ${copies} × the sample's, bin for bin (flows included)\n`);

// 4. Timing: one thread, the tasks interleaved round by round (a busy neighbour slows them alike).
const times = new Map<string, number[]>(tasks.map((t) => [t.name, []]));
for (let r = 0; r < REPS; r++)
  for (const t of tasks) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await run(t, FILE);
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    times.get(t.name)!.push(wall, (c.user + c.system) / 1e3);
  }
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
console.log(
  `ADL tasks on ${N.toLocaleString('en')} real events (Run2012B SingleMu sample × ${copies}), hepq 1 thread, median of ${REPS} (range); node ${process.version}, ${cpus()[0]?.model ?? '?'}`,
);
console.log(
  '| task | hepq wall s | hepq M events/s (range) | CPU s | RDataFrame published M events/s/core | hepq ÷ RDataFrame |',
);
console.log('|---|---:|---:|---:|---:|---:|');
for (const t of tasks) {
  const xs = times.get(t.name)!;
  const wall = xs.filter((_, i) => i % 2 === 0);
  const cpu = xs.filter((_, i) => i % 2 === 1);
  const rate = (ms: number) => N / 1e3 / ms; // M events/s
  const rdf = RDF_PER_CORE[t.name];
  const ratio = rdf
    ? `${((rate(med(wall)) * 1e6) / rdf).toFixed(2)}×; ${((rate(med(cpu)) * 1e6) / rdf).toFixed(2)}×`
    : '—';
  console.log(
    `| ${t.name} | ${(med(wall) / 1e3).toFixed(2)} | ${rate(med(wall)).toFixed(2)} (${rate(Math.max(...wall)).toFixed(2)}–${rate(Math.min(...wall)).toFixed(2)}) | ${(med(cpu) / 1e3).toFixed(2)} | ${rate(med(cpu)).toFixed(2)} | ${rdf ? (rdf / 1e6).toPrecision(2) : '—'} | ${ratio} |`,
  );
}
await session.close();
