// The plan a morsel carries to a worker thread (structured clone) or a cluster process (JSON through Redis):
// bytes of the ADL queries' bound plans against the same plans unbound (`unbindPlan`), and the per-morsel CPU
// of each way: A = the bound plan cloned (V8 serialize + deserialize) or JSON round-tripped, as before; B = the
// unbound plan the same way plus the worker's `analyzePlan` against the table's schema. Interleaved A, B, A, B.
// usage: npx tsx bench/plan-wire.ts [rounds, default 15] [morsels per round, default 200]
import { deserialize, serialize } from 'node:v8';
import { analyzePlan } from '../planner/analyze/index.js';
import { type LogicalPlan, unbindPlan } from '../planner/ir/index.js';
import { Session } from '../server/index.js';
import { ADL_TASKS } from '../test/func-adl/adl-tasks.js';
import { fmtRatio, interleaved, ratio } from './timing.mjs';

const rounds = Number(process.argv[2] ?? 15);
const morsels = Number(process.argv[3] ?? 200);
const file = `${import.meta.dirname}/../../shared/conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
const session = new Session({ threads: 1, device: 'cpu' });

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log('query  JSON bound → unbound   V8 bound → unbound');
const prepared = new Map<string, Awaited<ReturnType<Session['prepare']>>>();
for (const t of ADL_TASKS) {
  const text = `${t.query.replace(/^ds\./, '')}.Hist(lambda x: x, bins=50, range=(${t.lo}, ${t.hi}))`;
  const p = await session.prepare(text, { files: [file] });
  prepared.set(t.name, p);
  const wire = unbindPlan(p.plan);
  const [jb, ju] = [JSON.stringify(p.plan).length, JSON.stringify(wire).length];
  const [vb, vu] = [serialize(p.plan).length, serialize(wire).length];
  console.log(`${t.name.padEnd(6)} ${kb(jb)} → ${kb(ju)} (${(jb / ju).toFixed(1)}×)   ${kb(vb)} → ${kb(vu)}`);
}

let sink = 0;
for (const name of ['q5', 'q8']) {
  const p = prepared.get(name)!;
  const wire = unbindPlan(p.plan);
  const schema = p.table.schema();
  const bind = (plan: LogicalPlan) =>
    analyzePlan(plan, schema, { source: p.text, functions: session.functions });
  const r = await interleaved(
    {
      cloneBound: () => {
        for (let i = 0; i < morsels; i++) sink += (deserialize(serialize(p.plan)) as LogicalPlan).kind.length;
      },
      cloneUnboundBind: () => {
        for (let i = 0; i < morsels; i++)
          sink += bind(deserialize(serialize(wire)) as LogicalPlan).plan.kind.length;
      },
      jsonBound: () => {
        for (let i = 0; i < morsels; i++)
          sink += (JSON.parse(JSON.stringify(p.plan)) as LogicalPlan).kind.length;
      },
      jsonUnboundBind: () => {
        for (let i = 0; i < morsels; i++)
          sink += bind(JSON.parse(JSON.stringify(wire)) as LogicalPlan).plan.kind.length;
      },
    },
    rounds,
  );
  const per = (k: keyof typeof r) => `${((r[k].cpuMedian / morsels) * 1000).toFixed(0)} µs`;
  console.log(
    `${name}: per morsel CPU — clone bound ${per('cloneBound')}, clone unbound + bind ${per('cloneUnboundBind')} ` +
      `(${fmtRatio(ratio(r, 'cloneUnboundBind', 'cloneBound', 'cpu'))} of bound); JSON bound ${per('jsonBound')}, ` +
      `JSON unbound + bind ${per('jsonUnboundBind')} (${fmtRatio(ratio(r, 'jsonUnboundBind', 'jsonBound', 'cpu'))})`,
  );
}
if (sink < 0) console.log(sink);
await session.close();
