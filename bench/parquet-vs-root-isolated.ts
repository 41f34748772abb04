// Parquet ÷ ROOT-LZ4 like bench/parquet-vs-root.ts, but each file is queried in its own child process (its own
// V8 heap): the compiled query loops are cached by source text per isolate (exec/compile/compile-plan.ts), so
// one process that alternates the two files feeds one loop both files' column types and times the mix.
// Interleaved (ROOT, Parquet, ROOT, …), one thread each, histograms checked equal before timing. Reports the
// wall-time ratio and the CPU-time ratio (each child's process.cpuUsage over its query: on a shared machine the
// CPU time is the steadier figure). With `--base DIR` (another checkout, node_modules linked) a third child
// reads the Parquet copy with that checkout's reader: before ÷ ROOT-LZ4 and after ÷ before as well.
//
//   npx tsx bench/parquet-vs-root-isolated.ts --dir bench/out/adl-N [--parquet FILE] [--reps 7] [--tasks q2,q3]
//                                             [--base /tmp/hepq-base]

import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ADL_TASKS } from '../test/func-adl/adl-tasks.js';
import type { Ratio } from './timing.mjs';

const child = process.argv[2] === '--serve' ? process.argv[3] : undefined;
if (child) {
  const from = process.argv[4] ? join(process.argv[4], 'server/session.ts') : '../server/session.js';
  const { Session } = (await import(from)) as typeof import('../server/session.js');
  const s = new Session({ threads: 1, device: 'cpu' });
  process.on('message', async (name: string) => {
    const t = ADL_TASKS.find((x) => x.name === name)!;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = await s.query(`${t.query}.Hist(lambda x: x, bins=100, range=(${t.lo}, ${t.hi}))`, {
      files: [child],
    });
    const c = process.cpuUsage(c0);
    const ms = performance.now() - t0;
    const cpu = (c.user + c.system) / 1000;
    process.send!({ ms, cpu, hist: JSON.stringify(r.kind === 'histogram' ? r.histogram : r) });
  });
} else {
  const { fmtRatio, interleaved, median, ratio } = await import('./timing.mjs');
  const { values } = parseArgs({
    strict: true,
    options: {
      dir: { type: 'string' },
      parquet: { type: 'string' },
      reps: { type: 'string', default: '7' },
      tasks: { type: 'string' },
      base: { type: 'string' },
    },
  });
  if (!values.dir) throw new Error('usage: npx tsx bench/parquet-vs-root-isolated.ts --dir DIR');
  const parquet = values.parquet ?? join(values.dir, 'adl.parquet');
  const spawn = (file: string, base?: string) =>
    fork(new URL(import.meta.url).pathname, ['--serve', file, ...(base ? [base] : [])], {
      execArgv: ['--import', 'tsx'],
    });
  type Name = 'root' | 'parquet' | 'before';
  const workers: Partial<Record<Name, ChildProcess>> = {
    root: spawn(join(values.dir, 'adl-lz4.root')),
    parquet: spawn(parquet),
    ...(values.base ? { before: spawn(parquet, values.base) } : {}),
  };
  const names = Object.keys(workers) as Name[];
  type Answer = { ms: number; cpu: number; hist: string };
  const ask = (w: ChildProcess, name: string) =>
    new Promise<Answer>((resolve) => {
      w.once('message', resolve);
      w.send(name);
    });
  /** Each child's CPU ms per round (the warm-up answer of interleaved() is dropped below). */
  const cpu: Record<Name, number[]> = { root: [], parquet: [], before: [] };
  const timed = (k: Name, name: string) => async () => {
    const a = await ask(workers[k]!, name);
    cpu[k].push(a.cpu);
  };
  const cpuRatio = (slow: Name, fast: Name): Ratio => {
    const [s, f] = [cpu[slow].slice(1), cpu[fast].slice(1)];
    const rs = s.map((x, i) => x / f[i]!).sort((x, y) => x - y);
    return { median: median(rs), min: rs[0]!, max: rs.at(-1)! };
  };
  const tasks = ADL_TASKS.filter((t) => !values.tasks || values.tasks.split(',').includes(t.name));
  console.log(
    `\n${parquet.split('/').pop()} ÷ ROOT-LZ4, one process per file, ${values.reps} rounds interleaved${values.base ? `, before = ${values.base}` : ''}`,
  );
  const extra = values.base ? ' before CPU ms | before ÷ ROOT-LZ4 CPU | after ÷ before CPU |' : '';
  console.log(
    `| task | ROOT-LZ4 ms | Parquet ms | Parquet ÷ ROOT-LZ4 wall | ROOT-LZ4 CPU ms | Parquet CPU ms | Parquet ÷ ROOT-LZ4 CPU |${extra}`,
  );
  console.log(`|---|---|---|---|---|---|---|${values.base ? '---|---|---|' : ''}`);
  for (const t of tasks) {
    const hists = await Promise.all(names.map(async (n) => (await ask(workers[n]!, t.name)).hist));
    if (hists.some((h) => h !== hists[0])) throw new Error(`${t.name}: histograms differ`);
    for (const n of names) cpu[n].length = 0;
    const r = await interleaved(
      Object.fromEntries(names.map((n) => [n, timed(n, t.name)])) as Record<Name, () => Promise<void>>,
      Number(values.reps),
    );
    const med = (n: Name) => median(cpu[n].slice(1)).toFixed(0);
    const more = values.base
      ? ` ${med('before')} | ${fmtRatio(cpuRatio('before', 'root'))} | ${fmtRatio(cpuRatio('parquet', 'before'))} |`
      : '';
    console.log(
      `| ${t.name} | ${r.root.median.toFixed(0)} | ${r.parquet.median.toFixed(0)} | ${fmtRatio(ratio(r, 'parquet', 'root'))} | ${med('root')} | ${med('parquet')} | ${fmtRatio(cpuRatio('parquet', 'root'))} |${more}`,
    );
  }
  for (const n of names) workers[n]!.kill();
}
