// func_adl engine throughput on the 8 ADL tasks, beside hand-written TypeScript loops over the same typed
// arrays (the floor), on the 1000-event sample replicated in memory. Run: npx tsx bench/func-adl-bench.ts [Mevents]
import { MemoryTable } from '../connectors/memory/index.js';
import type { Column, TypedArray } from '../exec/batch/index.js';
import { executePlan } from '../exec/run-query.js';
import { analyzePlan } from '../planner/analyze/index.js';
import { parseQuery } from '../query/index.js';
import { loadAdlEvents } from '../test/func-adl/adl-events.js';
import { ADL_TASKS } from '../test/func-adl/adl-tasks.js';
import { HAND_LOOPS } from './func-adl-hand-loops.js';

const MEVENTS = Number(process.argv[2] ?? 2);
const BATCH = 65536;

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

const base = loadAdlEvents();
const times = Math.ceil((MEVENTS * 1e6) / base.length);
const schema = base.schema();
const cols: Column[] = [];
for await (const b of base.scan({ batchSize: base.length }))
  cols.push(...b.columns.map((c) => tile(c, times)));
const table = new MemoryTable('Events', schema, cols, { batchSize: BATCH });
const n = table.length;
console.log(`${(n / 1e6).toFixed(1)} M events in memory, batches of ${BATCH}\n`);
console.log('task    hepq Mev/s   hand Mev/s   ratio');

const time = async (f: () => Promise<unknown> | unknown) => {
  await f();
  const ts: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    await f();
    ts.push(performance.now() - t0);
  }
  return ts.sort((a, b) => a - b)[2]!;
};

for (const t of ADL_TASKS) {
  const text = `${t.query}.Hist(lambda x: x, bins=100, range=(${t.lo}, ${t.hi}))`;
  const plan = analyzePlan(parseQuery(text), table.schema()).plan;
  const ms = await time(() => executePlan(plan, table));
  const hand = HAND_LOOPS[t.name];
  if (hand) {
    // The floor must compute the same histogram, or the comparison means nothing.
    const ours = (await executePlan(plan, table)) as { histogram: { counts: number[] } };
    const theirs = (await hand(table, t.lo, t.hi)) as { counts: Float64Array };
    if (ours.histogram.counts.some((c, i) => c !== theirs.counts[i]))
      throw new Error(`hand loop ${t.name} disagrees`);
  }
  const hms = hand ? await time(() => hand(table, t.lo, t.hi)) : Number.NaN;
  const rate = (x: number) => (n / x / 1e3).toFixed(1).padStart(10);
  console.log(
    `${t.name.padEnd(6)} ${rate(ms)}   ${hand ? rate(hms) : '         -'}   ${hand ? (ms / hms).toFixed(2) : '-'}`,
  );
}
