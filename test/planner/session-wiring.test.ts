/**
 * The wiring the session will use, checked before it lands: a prepared query (real ROOT files, the session's
 * function registry, a union of two files) optimized with optimizeForTable gives the session's own result.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { executePlan, resultToJson } from '../../exec/index.js';
import { DEFAULT_RATES } from '../../planner/cost/index.js';
import { explainCost, explainTrace, optimizeForTable } from '../../planner/index.js';
import { explain } from '../../planner/ir/index.js';
import { Session } from '../../src/session.js';
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
      const p = await session.prepare(q, { files });
      const r = await optimizeForTable(p.plan, p.table, {
        functions: session.functions,
        rates: DEFAULT_RATES,
      });
      expect(explain(r.plan)).not.toBe(explain(p.plan));
      const ours = resultToJson(
        await executePlan(r.plan, p.table, { functions: session.functions, source: q }),
      );
      expect(ours).toEqual(resultToJson(await session.query(q, { files })));
      const lines = [
        ...explainTrace(r.trace),
        explainCost(r.plan, {
          schema: p.table.schema(),
          statistics: p.table.statistics(),
          rates: DEFAULT_RATES,
          threads: 2,
        }),
      ];
      expect(lines.join('\n')).toMatch(/reads \d+ columns of 4,842 entries/);
    });
});
