/**
 * The session's wiring of the optimizer: on real ROOT files (a union of two), the session's optimized query
 * gives the result of the plan as written, and its explain shows the optimizer's trace and cost lines.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { resultToJson } from '../../exec/index.js';
import { DEFAULT_RATES } from '../../planner/cost/index.js';
import { explainCost, explainTrace, optimizeForTable } from '../../planner/index.js';
import { explain } from '../../planner/ir/index.js';
import { Session } from '../../server/session.js';
import { executePlan } from '../helpers/bound-exec.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../helpers/shared-data.js';

describe.skipIf(!HAVE_ROOT_DATA)('optimizer on prepared session queries', () => {
  const session = new Session({ threads: 1 });
  afterAll(() => session.close());
  const files = [`${ROOT_DATA}uproot-HZZ.root`, `${ROOT_DATA}uproot-HZZ-zlib.root`];

  for (const q of [
    "Select(lambda e: {'n': e.NMuon, 'px': e.Muon_Px, 'met': e.MET_px}).Where(lambda r: r.n >= 2 and r.met > 0).Hist(lambda r: r.px, bins=40, range=(-100, 100))",
    'Where(lambda e: e.Jet_Px.Where(lambda x: abs(x) > 20).Count() >= 1 and e.NJet >= 2 and 2 > 1).Select(lambda e: (e.NJet, e.MET_px)).Take(30)',
    "Select(lambda e: {'mu': e.Muon_Px, 'el': e.Electron_Px}).Where(lambda r: r.mu.Concat(r.el).Count() >= 2).Count()",
  ])
    it(`${q.slice(0, 80)}…`, async () => {
      const written = await session.prepare(q, { files, optimize: false });
      const optimized = await session.prepare(q, { files });
      expect(written.trace).toEqual([]);
      expect(optimized.trace.length).toBeGreaterThan(0);
      expect(explain(optimized.plan)).not.toBe(explain(written.plan));
      const asWritten = resultToJson(
        await executePlan(written.plan, written.table, { functions: session.functions, source: q }),
      );
      expect(resultToJson(await session.query(q, { files }))).toEqual(asWritten);
      const text = await session.explain(q, { files });
      expect(text).toContain(explainTrace(optimized.trace).join('\n'));
      expect(text).toMatch(/reads \d+ columns of 4,842 entries/);
      const r = await optimizeForTable(written.plan, written.table, {
        functions: session.functions,
        rates: DEFAULT_RATES,
      });
      expect(explain(r.plan)).toBe(explain(optimized.plan));
      expect(
        explainCost(r.plan, {
          schema: written.table.schema(),
          statistics: written.table.statistics(),
          rates: DEFAULT_RATES,
          threads: 2,
        }),
      ).toMatch(/reads \d+ columns of 4,842 entries/);
    });
});
