// The Parquet copy read by this build against another build of hepq (BASE, a checkout of an earlier commit with
// node_modules), with the ROOT-LZ4 copy as the yardstick, one thread, interleaved (ROOT, before, after, ROOT, …):
// per task the per-round ratios after ÷ before and after ÷ ROOT-LZ4, median and range. Histograms are checked
// equal across the three before timing. Wall-time and CPU-time ratios (the CPU time of this one process, the
// steadier figure on a shared machine).
//
//   BASE=/tmp/hepq-base npx tsx bench/parquet-ab.ts --dir bench/out/adl-N [--parquet FILE] [--reps 7] [--tasks q2,q3]
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Session } from '../server/session.js';
import { ADL_TASKS } from '../test/func-adl/adl-tasks.js';
import { fmtRatio, interleaved, ratio } from './timing.mjs';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    parquet: { type: 'string' },
    reps: { type: 'string', default: '7' },
    tasks: { type: 'string' },
  },
});
const base = process.env.BASE;
if (!base || !values.dir)
  throw new Error('usage: BASE=/path/to/other/checkout npx tsx bench/parquet-ab.ts --dir DIR');
const { Session: BaseSession } = (await import(join(base, 'server/session.ts'))) as {
  Session: typeof Session;
};
const lz4 = join(values.dir, 'adl-lz4.root');
const parquet = values.parquet ?? join(values.dir, 'adl.parquet');
const tasks = ADL_TASKS.filter((t) => !values.tasks || values.tasks.split(',').includes(t.name));
// Each variant has its own session: a session's compiled kernels, fed both files' column types in turn, would
// otherwise time the mix (see BENCHMARKS.md).
const after = new Session({ threads: 1, device: 'cpu' });
const yard = new Session({ threads: 1, device: 'cpu' });
const before = new BaseSession({ threads: 1, device: 'cpu' });
const run = (s: Session, file: string, t: (typeof ADL_TASKS)[number]) => async () => {
  const r = await s.query(`${t.query}.Hist(lambda x: x, bins=100, range=(${t.lo}, ${t.hi}))`, {
    files: [file],
  });
  if (r.kind !== 'histogram') throw new Error('expected a histogram');
  return JSON.stringify(r.histogram);
};

console.log(
  `\n${parquet.split('/').pop()}: this build (after) vs ${base} (before), ROOT-LZ4 as yardstick, ${values.reps} rounds`,
);
console.log(
  '| task | ROOT-LZ4 ms | before ms | after ms | after ÷ before | after ÷ ROOT-LZ4 | before ÷ ROOT-LZ4 |',
);
console.log('|---|---|---|---|---|---|---|');
const cpuRows: string[] = [];
for (const t of tasks) {
  const [a, b, c] = [
    await run(after, lz4, t)(),
    await run(before, parquet, t)(),
    await run(after, parquet, t)(),
  ];
  if (a !== b || a !== c) throw new Error(`${t.name}: histograms differ`);
  const r = await interleaved(
    { root: run(yard, lz4, t), before: run(before, parquet, t), after: run(after, parquet, t) },
    Number(values.reps),
  );
  console.log(
    `| ${t.name} | ${r.root.median.toFixed(0)} | ${r.before.median.toFixed(0)} | ${r.after.median.toFixed(0)} | ${fmtRatio(ratio(r, 'after', 'before'))} | ${fmtRatio(ratio(r, 'after', 'root'))} | ${fmtRatio(ratio(r, 'before', 'root'))} |`,
  );
  cpuRows.push(
    `| ${t.name} | ${r.root.cpuMedian.toFixed(0)} | ${r.before.cpuMedian.toFixed(0)} | ${r.after.cpuMedian.toFixed(0)} | ${fmtRatio(ratio(r, 'after', 'before', 'cpu'))} | ${fmtRatio(ratio(r, 'after', 'root', 'cpu'))} | ${fmtRatio(ratio(r, 'before', 'root', 'cpu'))} |`,
  );
}
console.log('\nCPU time (this process, per run):');
console.log(
  '| task | ROOT-LZ4 CPU ms | before CPU ms | after CPU ms | after ÷ before | after ÷ ROOT-LZ4 | before ÷ ROOT-LZ4 |',
);
console.log('|---|---|---|---|---|---|---|');
for (const row of cpuRows) console.log(row);
await after.close();
await before.close();
await yard.close();
