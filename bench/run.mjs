// `npm run bench`: reader throughput on every numeric branch against bare decompression of the same baskets,
// both measured in this run, plus open + metadata time of the 1,479-branch NanoAOD file. Medians of repetitions.
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { openRoot } from '../dist/index.js';
import { bareDecompress, readBaskets } from './bare-decompress.mjs';
import { timeIt as timeReps } from './timing.mjs';

const DATA = join(import.meta.dirname, '../../shared/data/root');
if (!existsSync(DATA)) {
  console.error(`${DATA} is absent: nothing to measure`);
  process.exit(1);
}
const REPS = Number(process.env.BENCH_REPS ?? 11);
const FILES = [
  ['NanoAODv5_sample.root', 'Events'],
  ['uproot-HZZ-zlib.root', 'events'],
  ['uproot-HZZ-lz4.root', 'events'],
  ['uproot-HZZ-zstd.root', 'events'],
  ['uproot-HZZ-lzma.root', 'events'],
  ['uproot-HZZ-uncompressed.root', 'events'],
];

const now = () => Number(process.hrtime.bigint()) / 1e6; // ms
const timeIt = (fn, reps = REPS) => timeReps(fn, reps);

const isNumeric = (t) =>
  t?.kind === 'primitive' || ((t?.kind === 'list' || t?.kind === 'fixed-list') && isNumeric(t.item));

console.log(
  `hepq bench: node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), one thread`,
);
console.log(`median of ${REPS} repetitions after a warm-up; MB = 1e6 bytes of uncompressed basket data\n`);
console.log(
  'file                          branches entries baskets basket MB | readBranch each: MB/s  events/s  ratio | read(all): MB/s  events/s  ratio | bare MB/s',
);
const rows = [];
for (const [file, treePath] of FILES) {
  const path = join(DATA, file);
  if (!existsSync(path)) {
    console.log(`${file.padEnd(30)}absent, skipped`);
    continue;
  }
  const handle = await openRoot(path);
  const tree = await handle.tree(treePath);
  const numeric = tree.branches.filter((b) => isNumeric(b.interpretation.type));
  const names = numeric.map((b) => b.name);

  // The same baskets, read from the file once and split into blocks, for the bare reference.
  const { baskets, bytes: outBytes } = readBaskets(
    path,
    numeric.map((b) => b.branch),
  );
  const readerMs = await timeIt(async () => {
    for (const n of names) await tree.readBranch(n);
  });
  const batchMs = await timeIt(() => tree.read(names));
  const bareMs = await timeIt(() => {
    let n = 0;
    for (const blocks of baskets) n += bareDecompress(blocks);
    return n;
  });
  const row = {
    file,
    branches: names.length,
    entries: tree.entries,
    baskets: baskets.length,
    mb: outBytes / 1e6,
    readerMBs: outBytes / 1e3 / readerMs,
    eventsPerS: (tree.entries * 1e3) / readerMs,
    batchMBs: outBytes / 1e3 / batchMs,
    batchEventsPerS: (tree.entries * 1e3) / batchMs,
    bareMBs: outBytes / 1e3 / bareMs,
  };
  row.ratio = row.readerMBs / row.bareMBs;
  row.batchRatio = row.batchMBs / row.bareMBs;
  rows.push(row);
  const f = (x, w, d = 0) => x.toFixed(d).padStart(w);
  const e = (x, w) => x.toExponential(2).padStart(w);
  console.log(
    `${file.padEnd(30)}${String(row.branches).padStart(8)} ${String(row.entries).padStart(7)} ${String(row.baskets).padStart(7)} ${f(row.mb, 9, 2)} | ${f(row.readerMBs, 21)} ${e(row.eventsPerS, 9)} ${f(row.ratio, 6, 2)} | ${f(row.batchMBs, 15)} ${e(row.batchEventsPerS, 9)} ${f(row.batchRatio, 6, 2)} | ${f(row.bareMBs, 9)}`,
  );
  await handle.close();
}

// Open + metadata of the 1,479-branch NanoAOD file: header, streamers, keys, the TTree and every branch's
// interpretation (what `openRoot(f)` then `tree('Events')` costs before any basket is read).
const nano = join(DATA, 'NanoAODv5_sample.root');
if (existsSync(nano)) {
  let cold;
  {
    const t0 = now();
    const h = await openRoot(nano);
    const t = await h.tree('Events');
    cold = now() - t0;
    if (t.branches.length < 1000) throw new Error(`expected ~1,479 branches, got ${t.branches.length}`);
    await h.close();
  }
  const openMs = await timeIt(async () => {
    const h = await openRoot(nano);
    await h.close();
  }, 15);
  const openTreeMs = await timeIt(async () => {
    const h = await openRoot(nano);
    await h.tree('Events');
    await h.close();
  }, 15);
  const inspectMs = await timeIt(async () => {
    const h = await openRoot(nano);
    await h.inspect();
    await h.close();
  }, 15);
  console.log(`\nNanoAODv5_sample.root open + metadata (1,479 branches), median of 15 after a warm-up:`);
  console.log(`  openRoot (header, streamers, keys)           ${openMs.toFixed(1)} ms`);
  console.log(
    `  openRoot + tree('Events')                    ${openTreeMs.toFixed(1)} ms   (target < 50 ms: ${openTreeMs < 50 ? 'met' : 'MISSED'})`,
  );
  console.log(`  openRoot + inspect()                         ${inspectMs.toFixed(1)} ms`);
  console.log(`  first open + tree in this process (cold JIT) ${cold.toFixed(1)} ms`);
}
