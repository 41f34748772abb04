// Query parameters are run-time values of the compiled loop: the generated code is the same whatever the values
// (one compiled function for every dataset of a fileset), results equal the query with the values written in,
// on one thread and on worker threads, and the planner still uses the values (a pushed filter).
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { compilePlan, type HistogramResult, type QueryResult } from '../../exec/index.js';
import { Session } from '../../server/index.js';
import { SHARED } from '../helpers/shared-data.js';

const FILE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
const HAVE = existsSync(FILE);
const serial = new Session({ threads: 1 });
const parallel = new Session({ threads: 2, parallelMinBytes: 0 });
afterAll(async () => {
  await serial.close();
  await parallel.close();
});

const QUERY = `EventDataset()
  .Where(lambda e: e.MET_pt > cut)
  .Hist(lambda e: e.MET_pt * scale, bins=20, range=(0, 200),
        weight=lambda e: xsec * lumi / nevts if weighted else 1.0)`;

/** The query with the values written in as literals (the route without parameters). */
const written = (p: Record<string, number | boolean>) =>
  Object.entries(p).reduce(
    (q, [k, v]) =>
      q.replace(new RegExp(`\\b${k}\\b`, 'g'), typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v)),
    QUERY,
  );

const hist = (r: QueryResult): HistogramResult => {
  if (r.kind !== 'histogram') throw new Error(`expected a histogram, got ${r.kind}`);
  return r.histogram;
};

const SETS: Record<string, number | boolean>[] = [
  { cut: 20, scale: 1.5, xsec: 729.84, lumi: 3378, nevts: 1000, weighted: true },
  { cut: 35.5, scale: 0.75, xsec: 2.5, lumi: 10, nevts: 331, weighted: true },
  { cut: 0, scale: 1, xsec: 1, lumi: 1, nevts: 7, weighted: false },
];

describe('query parameters at run time', () => {
  it.skipIf(!HAVE)('compile to the same code for every value, which the code does not contain', async () => {
    const sources = await Promise.all(
      SETS.slice(0, 2).map(async (params) => {
        const p = await serial.prepare(QUERY, { files: [FILE], params });
        return compilePlan(p.plan, p.table.schema()).source;
      }),
    );
    expect(sources[0]).toBe(sources[1]);
    for (const v of ['729.84', '3378', '35.5', '0.75', '331']) expect(sources[0]).not.toContain(v);
    // The literal route embeds them: the parameters really are what differs.
    const lit = await serial.prepare(written(SETS[1]!), { files: [FILE] });
    expect(compilePlan(lit.plan, lit.table.schema()).source).toContain('0.75');
  });

  it.skipIf(!HAVE)(
    'give the histograms of the query with the values written in, on one thread and on workers',
    async () => {
      for (const params of SETS) {
        const expected = hist(await serial.query(written(params), { files: [FILE] }));
        const one = hist(await serial.query(QUERY, { files: [FILE], params }));
        const two = hist(await parallel.query(QUERY, { files: [FILE, FILE], params }));
        expect(expected.counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
        expect(one.counts).toEqual(expected.counts);
        expect(one.sumw2).toEqual(expected.sumw2);
        // Two copies of the file on worker threads: twice the counts of one.
        two.counts.forEach((c, i) => {
          expect(c).toBeCloseTo(2 * expected.counts[i]!, 9);
        });
        expect(two.overflow).toBeCloseTo(2 * expected.overflow, 9);
      }
    },
  );

  it.skipIf(!HAVE)('still reach the planner as values: a cut parameter is a pushed scan filter', async () => {
    const p = await serial.prepare(QUERY, { files: [FILE], params: SETS[1]! });
    const physical = await serial.physical(p);
    expect(physical.scan.filters.map((f) => `${f.column} ${f.op} ${f.value}`)).toContain('MET_pt > 35.5');
  });
});
