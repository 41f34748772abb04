/**
 * Speed-up from the optimizer's filter ordering and pushdown: queries timed as written and optimized over the
 * ADL benchmark sample (1000 CMS events repeated), results checked equal. `npx tsx bench/planner-reorder.ts [copies]`
 */
import { MemoryTable } from '../connectors/memory/index.js';
import type { Batch } from '../exec/batch/index.js';
import { concatColumns, executePlan, resultToJson } from '../exec/index.js';
import { analyzePlan } from '../planner/analyze/index.js';
import { explain, type LogicalPlan } from '../planner/ir/index.js';
import { optimize } from '../planner/optimizer.js';
import { parseQuery } from '../query/index.js';
import { loadAdlEvents } from '../test/func-adl/adl-events.js';
import { ADL_TASKS } from '../test/func-adl/adl-tasks.js';

const copies = Number(process.argv[2] ?? 100);
const reps = 7;
/** The 1000 events repeated `copies` times, in batches of 10,000 (so compilation is a small part). */
async function bigTable(): Promise<MemoryTable> {
  const one = loadAdlEvents(1000);
  const batches: Batch[] = [];
  for await (const b of one.scan()) batches.push(b);
  const b = batches[0]!;
  const columns = b.columns.map((c) => concatColumns(Array.from({ length: copies }, () => c)));
  return new MemoryTable('Events', b.schema, columns, { batchSize: 10_000 });
}
const table = await bigTable();

const QUERIES: Array<[string, string]> = [
  [
    'expensive Choose(3) mass filter written before nMuon >= 3',
    'ds.Where(lambda e: e.Jet.Choose(3).Any(lambda t: (t[0].ToFourMomentum() + t[1].ToFourMomentum() + t[2].ToFourMomentum()).mass > 150) and e.nMuon >= 3).Select(lambda e: e.MET_pt).Hist(lambda x: x, bins=50, range=(0, 200))',
  ],
  [
    'opposite-charge dimuon search written before MET > 60',
    'ds.Where(lambda e: e.Muon.Choose(2).Any(lambda p: p[0].charge != p[1].charge and 60 < (p[0].ToFourMomentum() + p[1].ToFourMomentum()).mass < 120) and e.MET_pt > 60).Count()',
  ],
  ...ADL_TASKS.map((t): [string, string] => [
    `ADL ${t.name}`,
    `${t.query}.Hist(lambda x: x, bins=100, range=(${t.lo}, ${t.hi}))`,
  ]),
];

/** Best of `reps` interleaved runs of each plan (the minimum is the least disturbed by other load). */
async function race(a: LogicalPlan, b: LogicalPlan): Promise<{ a: number; b: number; same: boolean }> {
  const outA = JSON.stringify(resultToJson(await executePlan(a, table)));
  const outB = JSON.stringify(resultToJson(await executePlan(b, table)));
  let ta = Number.POSITIVE_INFINITY;
  let tb = Number.POSITIVE_INFINITY;
  for (let i = 0; i < reps; i++) {
    let t0 = performance.now();
    await executePlan(a, table);
    ta = Math.min(ta, performance.now() - t0);
    t0 = performance.now();
    await executePlan(b, table);
    tb = Math.min(tb, performance.now() - t0);
  }
  return { a: ta, b: tb, same: outA === outB };
}

for (const [name, q] of QUERIES) {
  const plan = analyzePlan(parseQuery(q), table.schema()).plan;
  const o = optimize(plan, { schema: table.schema(), statistics: table.statistics() }).plan;
  const r = await race(plan, o);
  if (!r.same) throw new Error(`${name}: results differ`);
  const unchanged = explain(o) === explain(plan);
  console.log(
    `${name.padEnd(58)} as written ${r.a.toFixed(1).padStart(7)} ms  optimized ${r.b.toFixed(1).padStart(7)} ms  ×${(r.a / r.b).toFixed(2)}${unchanged ? '  (plan unchanged)' : ''}`,
  );
}
