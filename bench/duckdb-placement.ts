/**
 * DuckDB as a placement of func_adl queries against the compiled loop, both on one thread, for the cost model's
 * DuckDB terms (planner/physical/place.ts: DUCKDB_START_S, DUCKDB_EVENT_S). ADL tasks (all translate; `--tasks`
 * picks some, default q1–q5 and q7 as in the first records) over generated ADL events as ROOT: `device: 'cpu'` vs `device: 'duckdb'` interleaved in one warm
 * session each (root() keeps the branches it read in memory, so the warm DuckDB time is its own work per event,
 * the decompression the loop repeats excluded), and a one-shot pair (fresh sessions: DuckDB's start included).
 * Run: npx tsx bench/duckdb-placement.ts [--events N] [--reps R] [--tasks q6-1,q6-2,q8]
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { main } from '../server/cli/main.js';
import { Session } from '../server/session.js';
import { ADL_TASKS } from '../test/func-adl/adl-tasks.js';
import { fmtRatio, interleaved, ratio } from './timing.mjs';

const { values } = parseArgs({
  options: { events: { type: 'string' }, reps: { type: 'string' }, tasks: { type: 'string' } },
});
const tasks = (values.tasks ?? 'q1,q2,q3,q4,q5,q7').split(',');
const events = Number(values.events ?? 500_000);
const reps = Number(values.reps ?? 5);
const file = `/tmp/hepq-bench-duckdb-adl-${events}.root`;
if (!existsSync(file)) {
  const io = { out: () => {}, err: (t: string) => process.stderr.write(t) };
  await main(['generate', '--schema', 'adl', '--events', String(events), '--seed', '1', '--out', file], io);
}

const rows = [
  `DuckDB placement vs the compiled loop, ${events.toLocaleString('en-US')} ADL events (ROOT, zstd), one thread, ${reps} interleaved rounds`,
  '| task | loop warm ms | DuckDB warm ms | DuckDB / loop | DuckDB ns/event (warm) | loop one-shot ms | DuckDB one-shot ms |',
  '|---|---:|---:|---|---:|---:|---:|',
];
for (const t of ADL_TASKS.filter((x) => tasks.includes(x.name))) {
  const text = `${t.query}.Hist(lambda x: x, bins=100, range=(${t.lo}, ${t.hi}))`;
  const cpu = new Session({ threads: 1, device: 'cpu' });
  const duck = new Session({ threads: 1, device: 'duckdb' });
  const explain = await duck.explain(text, { files: [file] });
  if (!/Target: the session's DuckDB/.test(explain)) throw new Error(`${t.name} is not placed on DuckDB`);
  const r = await interleaved(
    {
      loop: () => cpu.query(text, { files: [file] }),
      duckdb: () => duck.query(text, { files: [file] }),
    },
    reps,
  );
  await cpu.close();
  await duck.close();
  const once = async (device: 'cpu' | 'duckdb') => {
    const s = new Session({ threads: 1, device });
    const t0 = performance.now();
    await s.query(text, { files: [file] });
    const ms = performance.now() - t0;
    await s.close();
    return ms;
  };
  const oneShot = await interleaved({ loop: () => once('cpu'), duckdb: () => once('duckdb') }, 1);
  rows.push(
    `| ${t.name} | ${r.loop!.median.toFixed(1)} | ${r.duckdb!.median.toFixed(1)} | ${fmtRatio(ratio(r, 'duckdb', 'loop'))} | ${((r.duckdb!.median * 1e6) / events).toFixed(0)} | ${oneShot.loop!.median.toFixed(0)} | ${oneShot.duckdb!.median.toFixed(0)} |`,
  );
}
process.stdout.write(`${rows.join('\n')}\n`);
