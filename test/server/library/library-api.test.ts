/**
 * The library as a TypeScript user reaches it from the package entry: queries built with `from()` and lambdas,
 * SQL results as rows of plain numbers, and HistFactory workspaces with CLs, fits and upper limits. Expected
 * numbers: jsroot's reading of the file and pyhf's reference values.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  fitModel,
  from,
  hypotest,
  loadWorkspace,
  queryText,
  resultToJson,
  Session,
  sqlRows,
  upperLimit,
} from '../../../server/index.js';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';
import { SHARED } from '../../helpers/shared-data.js';

const FILE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
const STATS = `${SHARED}data/stats/`;
const session = new Session({ threads: 1 });
afterAll(() => session.close());

describe.skipIf(!existsSync(FILE))('queries from TypeScript', () => {
  it('from() with lambdas runs through queryText, as the text query does', async () => {
    const nMuon = (await (await openJsrootTree(FILE, 'Events')).read('nMuon')) as number[];
    const q = from(FILE)
      .Where((e: { nMuon: number }) => e.nMuon >= 2)
      .Count();
    const r = await session.query(queryText(q));
    expect(resultToJson(r)).toBe(nMuon.filter((n) => n >= 2).length);
  });

  it('sqlRows gives row objects with plain numbers for count(*) (BIGINT)', async () => {
    const nMuon = (await (await openJsrootTree(FILE, 'Events')).read('nMuon')) as number[];
    const r = await session.sql(
      `SELECT nMuon, count(*) AS n FROM root('${FILE}', 'Events') GROUP BY nMuon ORDER BY nMuon`,
    );
    const rows = sqlRows(r);
    expect(rows.every((row) => typeof row.n === 'number')).toBe(true);
    const counts = new Map<number, number>();
    for (const n of nMuon) counts.set(n, (counts.get(n) ?? 0) + 1);
    expect(rows.map((row) => [row.nMuon, row.n])).toEqual([...counts].sort((a, b) => a[0] - b[0]));
    // beyond 2^53 a bigint stays exact
    const big = sqlRows(await session.sql('SELECT 9007199254740993::BIGINT AS x'));
    expect(big[0]!.x).toBe(9007199254740993n);
    expect(
      sqlRows(await session.sql('SELECT 9007199254740993::BIGINT AS x'), { bigint: 'string' })[0]!.x,
    ).toBe('9007199254740993');
  });
});

describe.skipIf(!existsSync(STATS))('HistFactory from the package entry', () => {
  const ref = existsSync(STATS)
    ? JSON.parse(readFileSync(`${STATS}expected_values.json`, 'utf8')).cases.pyhf_2bin_1channel
    : undefined;

  it("CLs at μ = 1, the fit and the upper limit: pyhf's reference values", () => {
    const ws = loadWorkspace(`${STATS}${ref.workspace_file}`);
    const model = ws.model();
    const data = ws.data(model);
    const h = hypotest(1, model, data);
    expect(h.clsObs).toBeCloseTo(ref.cls.CLs_obs, 5);
    h.clsExp.forEach((v, k) => {
      expect(v).toBeCloseTo(ref.cls.CLs_exp[k], 5);
    });
    const fit = fitModel(model, data);
    expect(fit.twiceNll).toBeCloseTo(ref.mle.twice_nll, 4);
    const limit = upperLimit(model, data);
    expect(Math.abs(limit.obs - ref.upper_limit_toms748.obs)).toBeLessThan(
      2e-3 * ref.upper_limit_toms748.obs,
    );
  });
});
