/**
 * Morsels carry their plan unbound (issue 16): the ADL queries' bound plans repeat their record types on every
 * node (q8: 3× the JSON), so the wire gets the plan without types and the morsel binds it against its own table.
 * Binding it again must give the plan the session prepared, type for type, and the same result.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { resultToJson, sinkFor } from '../../exec/index.js';
import { analyzePlan } from '../../planner/analyze/index.js';
import { type Expr, type LogicalPlan, mapPlanExprs, unbindPlan, visitExpr } from '../../planner/ir/index.js';
import { wireTasks } from '../../server/cluster/index.js';
import { reduceOpOf, runMorselTask } from '../../server/parallel/index.js';
import { Session } from '../../server/session.js';
import { ADL_TASKS } from '../func-adl/adl-tasks.js';
import { SHARED } from '../helpers/shared-data.js';

const ADL = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;

/** Every expression node of a plan. */
function nodes(p: LogicalPlan): Expr[] {
  const out: Expr[] = [];
  mapPlanExprs(p, (e) => {
    visitExpr(e, (n) => out.push(n));
    return e;
  });
  return out;
}

describe('morsel plans on the wire', () => {
  const session = new Session({ threads: 1, device: 'cpu' });
  afterAll(() => session.close());

  for (const name of ['q5', 'q8']) {
    it(`${name}: the unbound plan has no types, binds back to the prepared plan, and gives its result`, async () => {
      const task = ADL_TASKS.find((t) => t.name === name)!;
      const text = `${task.query.replace(/^ds\./, '')}.Hist(lambda x: x, bins=50, range=(${task.lo}, ${task.hi}))`;
      const p = await session.prepare(text, { files: [ADL] });
      // The prepared plan is bound: every non-lambda node carries its type.
      expect(nodes(p.plan).filter((n) => n.kind !== 'lambda' && n.type === undefined)).toEqual([]);
      const wire = unbindPlan(p.plan);
      // What the cluster client puts on the queue: the unbound plan, marked for the worker to bind.
      const [queued] = wireTasks([{ text, plan: p.plan, files: p.files, range: { start: 0, stop: 1000 } }]);
      expect(queued!.unbound).toBe(true);
      expect(queued!.plan).toEqual(wire);
      expect(nodes(wire).filter((n) => n.type !== undefined)).toEqual([]);
      expect(nodes(wire).length).toBe(nodes(p.plan).length);
      expect(JSON.stringify(wire).length * 2).toBeLessThan(JSON.stringify(p.plan).length);
      const rebound = analyzePlan(wire, p.table.schema(), {
        source: text,
        functions: session.functions,
      }).plan;
      expect(rebound).toEqual(p.plan);

      const partial = await runMorselTask(session, {
        text,
        plan: JSON.parse(JSON.stringify(wire)) as LogicalPlan,
        unbound: true,
        files: p.files,
        tree: p.table.name,
        range: { start: 0, stop: 1000 },
        sink: p.sink,
      });
      const result = sinkFor(p.sink, reduceOpOf(p.plan)).finalize(partial);
      const local = await session.query(text, { files: [ADL] });
      expect(resultToJson(result)).toEqual(resultToJson(local));
      // Not vacuous: the histogram has entries.
      expect(JSON.stringify(resultToJson(local))).toMatch(/[1-9]/);
    });
  }
});
