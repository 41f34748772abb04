// Many small branches: every flat branch (1,119) of the real NanoAODv5 sample (1000 events, one ZLIB basket per
// branch) read in one `RootTree.read` — where per-branch fixed costs (basket lookup, header, allocation,
// decoder set-up) dominate — interleaved with the bare library decompression of the same baskets (already in
// memory) in this run, one thread. uproot's numpy path is not installed here (not in Debian): issue 20 recorded
// hepq at 0.73× uproot on this read before the per-basket work of this change.
//
//   node bench/small-branches.mjs      (after npm run build; BENCH_REPS=N, default 15)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openRoot } from '../dist/index.js';
import { bareDecompress, readBaskets } from './bare-decompress.mjs';
import { fmtRatio, interleaved, ratio } from './timing.mjs';

const FILE = join(import.meta.dirname, '../../shared/data/root/NanoAODv5_sample.root');
if (!existsSync(FILE)) {
  console.error(`${FILE} is absent: nothing to measure`);
  process.exit(1);
}
const REPS = Number(process.env.BENCH_REPS ?? 15);
const INNER = 5; // reads per timed round (one read is ~10 ms)

const handle = await openRoot(FILE);
const tree = await handle.tree('Events');
const flat = tree.readable().filter((b) => b.interpretation.type?.kind === 'primitive');
const names = flat.map((b) => b.name);
const { baskets, bytes } = readBaskets(
  FILE,
  flat.map((b) => b.branch),
);
const cpu = { reader: 0, bare: 0 };
const timedCpu = (name, fn) => async () => {
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  cpu[name] += (c.user + c.system) / 1e3;
};
const r = await interleaved(
  {
    reader: timedCpu('reader', async () => {
      for (let i = 0; i < INNER; i++) {
        const b = await tree.read(names);
        if (b.columns.length !== names.length) throw new Error('short batch');
      }
    }),
    bare: timedCpu('bare', () => {
      for (let i = 0; i < INNER; i++) for (const blocks of baskets) bareDecompress(blocks);
    }),
  },
  REPS,
);
const per = (ms) => (ms / INNER).toFixed(2);
console.log(
  `NanoAODv5_sample.root: ${names.length} flat branches, ${tree.entries} events, ${(bytes / 1e6).toFixed(2)} MB of baskets; ${REPS} interleaved rounds of ${INNER} reads, one thread\n`,
);
console.log('| read | ms per read (median) | CPU ms per read (mean) |');
console.log('|---|---:|---:|');
console.log(`| hepq tree.read(all flat) | ${per(r.reader.median)} | ${per(cpu.reader / (REPS + 1))} |`);
console.log(`| bare zlib of the same baskets | ${per(r.bare.median)} | ${per(cpu.bare / (REPS + 1))} |`);
console.log(`\nhepq read time ÷ bare decompression time: ${fmtRatio(ratio(r, 'reader', 'bare'))}`);
await handle.close();
