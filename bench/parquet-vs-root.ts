// hepq on the Parquet copy against hepq on the ROOT-LZ4 copy of the same generated ADL events, one thread,
// interleaved (LZ4, Parquet, LZ4, Parquet, …): per task the ratio Parquet ÷ ROOT-LZ4 of the per-round times,
// median and range (issue 20's goal: ≤ 1.3×). Every task's histograms are checked equal before timing.
//
//   npx tsx bench/parquet-vs-root.ts [--events 1000000] [--reps 5] [--tasks q1,q2,…] [--dir bench/out/adl-N]
//                                 [--parquet FILE]  (another Parquet copy of the same events, e.g. LZ4_RAW)
//
// Data is generated once per N into bench/out/adl-N/ by `hepq generate` (the same files as adl-scale.ts).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Session } from '../server/session.js';
import { ADL_TASKS } from '../test/func-adl/adl-tasks.js';
import { fmtRatio, interleaved, ratio } from './timing.mjs';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    reps: { type: 'string', default: '5' },
    tasks: { type: 'string' },
    dir: { type: 'string' },
    parquet: { type: 'string' },
  },
});
const N = Number(values.events);
const tasks = ADL_TASKS.filter((t) => !values.tasks || values.tasks.split(',').includes(t.name));
const ROOT_DIR = join(import.meta.dirname, '..');
const DIR = values.dir ?? join(ROOT_DIR, 'bench/out', `adl-${N}`);
mkdirSync(DIR, { recursive: true });
const files = { lz4: join(DIR, 'adl-lz4.root'), parquet: values.parquet ?? join(DIR, 'adl.parquet') };
for (const [out, format, compression] of [
  [files.lz4, 'root', 'lz4:4'],
  [files.parquet, 'parquet', 'zstd:5'],
] as const) {
  if (existsSync(out)) continue;
  const args = ['generate', '--schema', 'adl', '--events', String(N), '--seed', '1', '--out', out, '--quiet'];
  execFileSync(
    'node',
    [join(ROOT_DIR, 'bin/hepq.mjs'), ...args, '--format', format, '--compression', compression],
    {
      stdio: 'inherit',
    },
  );
}

const session = new Session({ threads: 1, device: 'cpu' });
const hist = (t: (typeof ADL_TASKS)[number]) =>
  `${t.query}.Hist(lambda x: x, bins=100, range=(${t.lo}, ${t.hi}))`;
const run = (file: string, t: (typeof ADL_TASKS)[number]) => async () => {
  const r = await session.query(hist(t), { files: [file] });
  if (r.kind !== 'histogram') throw new Error('expected a histogram');
  return r.histogram;
};

console.log(
  `\n${files.parquet.split('/').pop()} ÷ ROOT-LZ4, hepq 1 thread, ${(N / 1e6).toFixed(1)} M events, ${values.reps} rounds interleaved`,
);
console.log('| task | ROOT-LZ4 ms | Parquet ms | Parquet ÷ ROOT-LZ4 (median, range) |');
console.log('|---|---|---|---|');
for (const t of tasks) {
  const [a, b] = [await run(files.lz4, t)(), await run(files.parquet, t)()];
  const same =
    a.underflow === b.underflow && a.overflow === b.overflow && a.counts.every((c, i) => c === b.counts[i]);
  if (!same) throw new Error(`${t.name}: the Parquet histogram differs from the ROOT one`);
  const r = await interleaved(
    { lz4: run(files.lz4, t), parquet: run(files.parquet, t) },
    Number(values.reps),
  );
  console.log(
    `| ${t.name} | ${r.lz4.median.toFixed(0)} | ${r.parquet.median.toFixed(0)} | ${fmtRatio(ratio(r, 'parquet', 'lz4'))} |`,
  );
}
await session.close();
