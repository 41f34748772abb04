// The 8 ADL tasks through executePlan of two checkouts in one process, interleaved A,B,A,B (so a busy
// neighbour slows both alike): the speed of a refactor against its base. The 1000-event sample is replicated
// in memory as in func-adl-bench.ts; both checkouts' histograms must agree before anything is timed.
//   npx tsx bench/func-adl-ab.ts <baseline checkout> [Mevents] [rounds]
// e.g. git worktree-free: `mkdir /tmp/base && git archive <commit> | tar -x -C /tmp/base &&
// ln -s $PWD/node_modules /tmp/base/node_modules`.
import { resolve } from 'node:path';
import { MemoryTable } from '../connectors/memory/index.js';
import type { Column, TypedArray } from '../exec/batch/index.js';
import { executePlan } from '../exec/run-query.js';
import { analyzePlan } from '../planner/analyze/index.js';
import { parseQuery } from '../query/index.js';
import { loadAdlEvents } from '../test/func-adl/adl-events.js';
import { ADL_TASKS } from '../test/func-adl/adl-tasks.js';
import { fmtRatio, interleaved, ratio } from './timing.mjs';

const BASE = resolve(process.argv[2] ?? '');
const MEVENTS = Number(process.argv[3] ?? 1);
const ROUNDS = Number(process.argv[4] ?? 7);
const base = (await import(`${BASE}/exec/run-query.ts`)) as { executePlan: typeof executePlan };
const baseQuery = (await import(`${BASE}/query/index.ts`)) as { parseQuery: typeof parseQuery };
// Both checkouts' plans are analyzed (bound) once, outside the timed runs, as the Session does before running.
const baseAnalyze = (await import(`${BASE}/planner/analyze/index.ts`)) as { analyzePlan: typeof analyzePlan };

function tile(c: Column, times: number): Column {
  if (c.kind === 'primitive') {
    const out = new (c.values.constructor as new (n: number) => TypedArray)(c.values.length * times);
    for (let t = 0; t < times; t++) out.set(c.values as never, t * c.values.length);
    return { ...c, values: out };
  }
  if (c.kind === 'list') {
    const rows = c.offsets.length - 1;
    const inner = c.offsets[rows]!;
    const offsets = new Int32Array(rows * times + 1);
    for (let t = 0; t < times; t++)
      for (let i = 1; i <= rows; i++) offsets[t * rows + i] = t * inner + c.offsets[i]!;
    return { kind: 'list', offsets, child: tile(c.child, times) };
  }
  throw new Error(`cannot tile ${c.kind}`);
}

const sample = loadAdlEvents();
const times = Math.ceil((MEVENTS * 1e6) / sample.length);
const cols: Column[] = [];
for await (const b of sample.scan({ batchSize: sample.length }))
  cols.push(...b.columns.map((c) => tile(c, times)));
const table = new MemoryTable('Events', sample.schema(), cols, { batchSize: 65536 });
console.log(
  `${(table.length / 1e6).toFixed(1)} M events in memory; ${ROUNDS} interleaved rounds; base ${BASE}\n`,
);
console.log('task    base ms   this ms   base/this (median, min–max over rounds)');
for (const t of ADL_TASKS) {
  const text = `${t.query}.Hist(lambda x: x, bins=100, range=(${t.lo}, ${t.hi}))`;
  const counts = async (f: () => Promise<unknown>) =>
    JSON.stringify(((await f()) as { histogram: { counts: number[] } }).histogram.counts);
  const planA = baseAnalyze.analyzePlan(baseQuery.parseQuery(text), table.schema()).plan;
  const planB = analyzePlan(parseQuery(text), table.schema()).plan;
  const a = () => base.executePlan(planA, table as never);
  const b = () => executePlan(planB, table);
  if ((await counts(a)) !== (await counts(b))) throw new Error(`${t.name}: the two checkouts disagree`);
  const r = await interleaved({ base: a, this: b }, ROUNDS);
  console.log(
    `${t.name.padEnd(6)} ${r.base.median.toFixed(1).padStart(8)} ${r.this.median.toFixed(1).padStart(9)}   ${fmtRatio(ratio(r, 'base', 'this'))}`,
  );
}
