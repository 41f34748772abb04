/** The optimizer fed from a table: sampled selectivities decide the filter order, results are unchanged. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ConnectorTable } from '../../connectors/api.js';
import { openRootTable } from '../../connectors/root/index.js';
import { resultToJson } from '../../exec/index.js';
import { optimize, optimizeForTable } from '../../planner/index.js';
import { explain } from '../../planner/ir/index.js';
import { parseQuery } from '../../query/index.js';
import { ADL_DIR, HAVE_ADL, loadAdlEvents } from '../func-adl/adl-events.js';
import { executePlan } from '../helpers/bound-exec.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../helpers/shared-data.js';

describe.skipIf(!HAVE_ADL)('optimizeForTable over the ADL sample (clusters of 256 events)', () => {
  it('samples the first cluster and orders by what it finds: MET > 0.5 keeps every event, so it goes last', async () => {
    const t = loadAdlEvents(256);
    const q = 'ds.Where(lambda e: e.MET_pt > 0.5 and e.nMuon >= 2).Count()';
    const estimated = optimize(parseQuery(q), { schema: t.schema(), statistics: t.statistics() });
    // From estimates alone (a range comparison keeps 1/3) the MET cut looks the better first filter...
    expect(explain(estimated.plan)).toMatch(/nMuon >= 2\n\s+Where lambda e: e\.MET_pt > 0\.5/);
    const r = await optimizeForTable(parseQuery(q), t);
    expect(r.sampledEvents).toBe(256);
    expect(explain(r.plan)).toMatch(/MET_pt > 0\.5\n\s+Where lambda e: e\.nMuon >= 2/);
    const events = readFileSync(`${ADL_DIR}Run2012B_SingleMu_1000_native.jsonl`, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as { Muon: unknown[]; MET: { pt: number } });
    const expected = events.filter((e) => e.MET.pt > 0.5 && e.Muon.length >= 2).length;
    expect(resultToJson(await executePlan(r.plan, t))).toBe(expected);
  });

  it("reads only the filters' columns of the first cluster for the sample", async () => {
    const t = loadAdlEvents(256);
    const scans: Array<{ columns?: readonly string[]; range?: { start: number; stop: number } }> = [];
    const spy: ConnectorTable = {
      name: t.name,
      schema: () => t.schema(),
      statistics: () => t.statistics(),
      supportsFilter: (f) => t.supportsFilter(f),
      scan: (o) => {
        scans.push({
          ...(o?.columns ? { columns: o.columns } : {}),
          ...(o?.range ? { range: o.range } : {}),
        });
        return t.scan(o);
      },
    };
    const q = 'ds.Where(lambda e: e.MET_pt > 0.5 and e.nMuon >= 2).Select(lambda e: e.Jet_pt)';
    const r = await optimizeForTable(parseQuery(q), spy);
    expect(r.sampledEvents).toBe(256);
    expect(scans).toEqual([{ columns: ['MET_pt', 'nMuon'], range: { start: 0, stop: 256 } }]);
  });

  it('reads nothing when there is no order to choose, or when asked not to sample', async () => {
    const t = loadAdlEvents(256);
    expect(
      (await optimizeForTable(parseQuery('ds.Where(lambda e: e.nMuon >= 2).Count()'), t)).sampledEvents,
    ).toBe(0);
    const q = parseQuery('ds.Where(lambda e: e.MET_pt > 0.5 and e.nMuon >= 2).Count()');
    expect((await optimizeForTable(q, t, { sample: false })).sampledEvents).toBe(0);
  });
});

describe.skipIf(!HAVE_ROOT_DATA)('optimizeForTable over a ROOT tree of 100 clusters', () => {
  it('filters written after a dict Select run on the branches first, with the same count', async () => {
    const t = await openRootTable(`${ROOT_DATA}uproot-issue412.root`);
    try {
      const plan = parseQuery(
        "ds.Select(lambda e: {'x': e.b1, 'flag': e.b2}).Where(lambda r: r.flag and r.x < 100).Count()",
      );
      const r = await optimizeForTable(plan, t);
      expect(r.sampledEvents).toBe(10_000);
      expect(explain(r.plan)).toMatch(
        /^Reduce Count\n {2}Select .*\n {4}Where lambda e: e\.(b1 < 100|b2)\n {6}Where lambda e: e\.(b1 < 100|b2)\n/,
      );
      // The reference: the two branches read directly and counted here.
      let expected = 0;
      for await (const b of t.scan({ columns: ['b1', 'b2'] })) {
        const x = b.columns[0] as { values: BigInt64Array };
        const f = b.columns[1] as { values: Uint8Array };
        for (let i = 0; i < b.length; i++) if (f.values[i] && x.values[i]! < 100n) expected++;
      }
      expect(resultToJson(await executePlan(r.plan, t))).toBe(expected);
      expect(resultToJson(await executePlan(plan, t))).toBe(expected);
    } finally {
      await t.close();
    }
  });
});
