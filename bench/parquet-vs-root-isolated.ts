// Parquet ÷ ROOT-LZ4 like bench/parquet-vs-root.ts, but each file is queried in its own child process (its own
// V8 heap): the compiled query loops are cached by source text per isolate (exec/compile/compile-plan.ts), so
// one process that alternates the two files feeds one loop both files' column types and times the mix.
// Interleaved (ROOT, Parquet, ROOT, …), one thread each, histograms checked equal before timing.
//
//   npx tsx bench/parquet-vs-root-isolated.ts --dir bench/out/adl-N [--parquet FILE] [--reps 7] [--tasks q2,q3]

import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ADL_TASKS } from '../test/func-adl/adl-tasks.js';

const child = process.argv[2] === '--serve' ? process.argv[3] : undefined;
if (child) {
  const { Session } = await import('../server/session.js');
  const s = new Session({ threads: 1, device: 'cpu' });
  process.on('message', async (name: string) => {
    const t = ADL_TASKS.find((x) => x.name === name)!;
    const t0 = performance.now();
    const r = await s.query(`${t.query}.Hist(lambda x: x, bins=100, range=(${t.lo}, ${t.hi}))`, {
      files: [child],
    });
    const ms = performance.now() - t0;
    process.send!({ ms, hist: JSON.stringify(r.kind === 'histogram' ? r.histogram : r) });
  });
} else {
  const { fmtRatio, interleaved, ratio } = await import('./timing.mjs');
  const { values } = parseArgs({
    strict: true,
    options: {
      dir: { type: 'string' },
      parquet: { type: 'string' },
      reps: { type: 'string', default: '7' },
      tasks: { type: 'string' },
    },
  });
  if (!values.dir) throw new Error('usage: npx tsx bench/parquet-vs-root-isolated.ts --dir DIR');
  const parquet = values.parquet ?? join(values.dir, 'adl.parquet');
  const spawn = (file: string) =>
    fork(new URL(import.meta.url).pathname, ['--serve', file], { execArgv: ['--import', 'tsx'] });
  const workers = { root: spawn(join(values.dir, 'adl-lz4.root')), parquet: spawn(parquet) };
  const ask = (w: ChildProcess, name: string) =>
    new Promise<{ ms: number; hist: string }>((resolve) => {
      w.once('message', resolve);
      w.send(name);
    });
  const tasks = ADL_TASKS.filter((t) => !values.tasks || values.tasks.split(',').includes(t.name));
  console.log(
    `\n${parquet.split('/').pop()} ÷ ROOT-LZ4, one process per file, ${values.reps} rounds interleaved`,
  );
  console.log('| task | ROOT-LZ4 ms | Parquet ms | Parquet ÷ ROOT-LZ4 (median, range) |');
  console.log('|---|---|---|---|');
  for (const t of tasks) {
    const [a, b] = [await ask(workers.root, t.name), await ask(workers.parquet, t.name)];
    if (a.hist !== b.hist) throw new Error(`${t.name}: histograms differ`);
    const r = await interleaved(
      { root: () => ask(workers.root, t.name), parquet: () => ask(workers.parquet, t.name) },
      Number(values.reps),
    );
    console.log(
      `| ${t.name} | ${r.root.median.toFixed(0)} | ${r.parquet.median.toFixed(0)} | ${fmtRatio(ratio(r, 'parquet', 'root'))} |`,
    );
  }
  workers.root.kill();
  workers.parquet.kill();
}
