// Fits and CLs over query results in ONE SQL statement: `hypotest_from('SELECT …', config)` reads histogram rows
// through the statement's own connection, builds the workspace (stats/builder) and tests it; checked against
// pyhf 0.7.6's numbers for the 2-bin example taken apart into histograms.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { HepqError } from '../../../exec/batch/index.js';
import { Session } from '../../../server/index.js';
import { SHARED } from '../../helpers/shared-data.js';

const STATS_DIR = `${SHARED}data/stats/`;
const HAVE = existsSync(`${STATS_DIR}expected/pyhf_2bin_1channel.json`);
const ADL = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;

// The 2-bin workspace as histograms: signal, background, the background's absolute per-bin uncertainty (a
// shapesys), and the observed data.
const ROWS = `SELECT * FROM (VALUES
  ('singlechannel', 'signal', '', 0, 5.0), ('singlechannel', 'signal', '', 1, 10.0),
  ('singlechannel', 'background', '', 0, 50.0), ('singlechannel', 'background', '', 1, 60.0),
  ('singlechannel', 'background', 'bkg_abs_unc', 0, 5.0), ('singlechannel', 'background', 'bkg_abs_unc', 1, 12.0),
  ('singlechannel', 'data', '', 0, 50.0), ('singlechannel', 'data', '', 1, 60.0))
  AS t(region, sample, variation, bin, content)`;
const CONFIG = JSON.stringify({
  regions: ['singlechannel'],
  samples: [
    { name: 'signal', signal: true, staterror: false },
    { name: 'background', staterror: false },
  ],
  systematics: [
    { name: 'uncorr_bkguncrt', type: 'shapesys', uncertainty: 'bkg_abs_unc', samples: ['background'] },
  ],
});
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

describe.skipIf(!HAVE)('histfactory_fit_from / hypotest_from / upper_limit_from', () => {
  const session = new Session({ threads: 1 });
  afterAll(() => session.close());
  const exp = HAVE ? JSON.parse(readFileSync(`${STATS_DIR}expected/pyhf_2bin_1channel.json`, 'utf8')) : {};

  it('test a workspace built from histogram rows of a table, in one statement', async () => {
    await session.sql(`CREATE OR REPLACE TEMP TABLE h AS ${ROWS}`);
    const r = await session.sql(
      `SELECT mu, cls_obs, cls_exp_median FROM hypotest_from('SELECT * FROM h', ${lit(CONFIG)}, mu := 1.0)`,
    );
    expect(r.rowCount).toBe(1);
    expect(Math.abs(Number(r.columns[1]![0]) - exp.cls.CLs_obs)).toBeLessThan(1e-4 * exp.cls.CLs_obs);
    expect(Math.abs(Number(r.columns[2]![0]) - exp.cls.CLs_exp[2])).toBeLessThan(1e-4 * exp.cls.CLs_exp[2]);
    const fit = await session.sql(
      `SELECT parameter, value, twice_nll FROM histfactory_fit_from(${lit(ROWS)}, ${lit(CONFIG)}) ORDER BY parameter`,
    );
    const k = fit.columns[0]!.indexOf('mu');
    expect(Math.abs(Number(fit.columns[1]![k]))).toBeLessThan(1e-2);
    expect(Number(fit.columns[2]![0])).toBeCloseTo(exp.mle.twice_nll, 4);
  });

  it('reads the table as it is when the statement runs, not a cached copy', async () => {
    await session.sql(`CREATE OR REPLACE TEMP TABLE h AS ${ROWS}`);
    const q = `SELECT cls_obs FROM hypotest_from('SELECT * FROM h', ${lit(CONFIG)}, mu := 1.0)`;
    const before = Number((await session.sql(q)).columns[0]![0]);
    await session.sql("UPDATE h SET content = content * 2 WHERE sample = 'signal'");
    const after = Number((await session.sql(q)).columns[0]![0]);
    expect(after).toBeLessThan(before); // a larger signal is excluded more strongly
  });

  it.skipIf(!existsSync(ADL))('fits histograms a func_adl query fills, all in one statement', async () => {
    // signal: events with two muons; background: the rest, by MET bin; data = their sum (so mu_hat = 1).
    const inner = (cut: string) =>
      `SELECT lo, count FROM func_adl(${lit(
        `EventDataset().Where(lambda e: ${cut}).Hist(lambda e: e.MET_pt, bins=4, range=(0, 80))`,
      )}, ${lit(ADL)})`;
    const rows = `
      WITH s AS (SELECT 'SR' AS region, 'signal' AS sample, '' AS variation, row_number() OVER (ORDER BY lo) - 1 AS bin,
                        count AS content FROM (${inner('e.nMuon >= 2')})),
           b AS (SELECT 'SR' AS region, 'background' AS sample, '' AS variation,
                        row_number() OVER (ORDER BY lo) - 1 AS bin, count AS content FROM (${inner('e.nMuon < 2')}))
      SELECT * FROM s UNION ALL SELECT * FROM b
      UNION ALL SELECT 'SR', 'data', '', s.bin, s.content + b.content FROM s JOIN b USING (bin)`;
    const config = JSON.stringify({
      regions: ['SR'],
      samples: [{ name: 'signal', signal: true }, { name: 'background' }],
    });
    const fit = await session.sql(
      `SELECT parameter, value, error FROM histfactory_fit_from(${lit(rows)}, ${lit(config)}) WHERE parameter = 'mu'`,
    );
    expect(fit.rowCount).toBe(1);
    expect(Number(fit.columns[1]![0])).toBeCloseTo(1, 3);
    expect(Number(fit.columns[2]![0])).toBeGreaterThan(0);
  });

  it('says which columns the histogram query lacks', async () => {
    const e = await session
      .sql(`SELECT * FROM hypotest_from('SELECT 1 AS region', ${lit(CONFIG)})`)
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HepqError);
    expect((e as HepqError).message).toMatch(/no column sample, bin, content/);
  });
});
