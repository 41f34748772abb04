import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openRootTable } from '../../connectors/root/index.js';
import { HepqError } from '../../exec/batch/index.js';
import { resultToJson } from '../../exec/index.js';
import { analyzePlan } from '../../planner/analyze/index.js';
import { parseQuery } from '../../query/index.js';
import { executePlan } from '../helpers/bound-exec.js';
import { type LogicRecord, readLogicFile, updating, writeLogicFile } from '../helpers/logic-test.js';
import { readReference } from './adl-events.js';
import { ADL_TASKS } from './adl-tasks.js';

const CONF = fileURLToPath(new URL('../../../shared/conformance-data/func_adl_uproot/', import.meta.url));
const PHYSLITE = fileURLToPath(new URL('../../../shared/data/root/PHYSLITE_example.root', import.meta.url));
const HAVE = existsSync(CONF);
if (!HAVE)
  process.stderr.write(
    '\n*** ../shared/conformance-data/func_adl_uproot is absent: ROOT func_adl tests SKIPPED ***\n\n',
  );

async function json(text: string, file: string, tree: string): Promise<unknown> {
  const table = await openRootTable(file, tree);
  const plan = parseQuery(text);
  analyzePlan(plan, table.schema(), { source: text });
  return resultToJson(await executePlan(plan, table));
}

describe.skipIf(!HAVE)('func_adl over ROOT files (ROOT reader → executor)', () => {
  for (const t of ADL_TASKS) {
    it(`ADL task ${t.name} on Run2012B_SingleMu_1000.root reproduces the reference`, async () => {
      const h = (await json(
        `${t.query}.Hist(lambda x: x, bins=100, range=(${t.lo}, ${t.hi}))`,
        `${CONF}Run2012B_SingleMu_1000.root`,
        'Events',
      )) as { counts: number[]; underflow: number; overflow: number };
      const w = (t.hi - t.lo) / 100;
      const key = (x: number) => Math.round(x * 1e6) / 1e6;
      const got: Record<number, number> = {};
      const put = (x: number, n: number) => {
        if (n) got[key(x)] = n;
      };
      put(t.lo - w / 2, h.underflow);
      for (let i = 0; i < 100; i++) put(t.lo + (i + 0.5) * w, h.counts[i]!);
      put(t.hi + w / 2, h.overflow);
      expect(got).toEqual(Object.fromEntries([...readReference(t.name)].map(([x, n]) => [key(x), n])));
    });
  }

  const file = fileURLToPath(new URL('./testdata/func-adl-uproot.test', import.meta.url));
  const records = readLogicFile(file);
  const run = async (r: LogicRecord) => {
    const name = r.title.split(':')[0]!;
    try {
      const out = await json(r.input, `${CONF}${name}.root`, 'tree');
      const text =
        Array.isArray(out) && out.length ? out.map((x) => JSON.stringify(x)).join('\n') : JSON.stringify(out);
      return r.kind === 'error' ? `unexpected success:\n${text}` : text;
    } catch (err) {
      if (!(err instanceof HepqError)) throw err;
      return err.render();
    }
  };
  if (updating()) {
    it('regenerates the conformance expectations', async () => {
      const out = [];
      for (const r of records) out.push({ ...r, expected: await run(r) });
      writeLogicFile(file, out);
    });
  } else {
    for (const r of records) {
      it(`${r.kind}: ${r.title}`, async () => {
        const got = await run(r);
        if (r.kind === 'error') expect(got).toMatch(/^error\[/);
        else expect(got).not.toMatch(/^error\[/);
        expect(got).toBe(r.expected);
      });
    }
  }

  it.skipIf(!existsSync(PHYSLITE))(
    'PHYSLITE in xAOD style: jet counts match the AuxDyn vectors, pT in GeV',
    async () => {
      const out = (await json(
        `ds.Select(lambda e: {'n': e.Jets('AnalysisJets').Count(), 'raw': e['AnalysisJetsAuxDyn.pt'],
         'pt': e.Jets('AnalysisJets').Select(lambda j: j.pt() / 1000.0), 'run': e.EventInfo('EventInfo').runNumber()})`,
        PHYSLITE,
        'CollectionTree',
      )) as { n: number; raw: number[]; pt: number[]; run: number }[];
      expect(out).toHaveLength(100);
      for (const ev of out) {
        expect(ev.n).toBe(ev.raw.length);
        ev.pt.forEach((pt, i) => {
          expect(pt).toBeCloseTo(ev.raw[i]! / 1000, 9);
          expect(pt).toBeGreaterThan(0);
          expect(pt).toBeLessThan(10_000);
        });
        expect(ev.run).toBeGreaterThan(0);
      }
    },
  );
});
