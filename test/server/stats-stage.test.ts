// A histogram result handed to a fit in the same func_adl call: `….Hist(…, category=…).Fit(config)` (and
// `.HypoTest(mu, config)`, `.UpperLimit(config)`) through the library, the CLI and HTTP. Checked against the
// separate route (query, then `fitHistograms`), against SQL's `*_from` functions over the same histogram rows,
// and, on Asimov data, against μ̂ = 1; errors name the stage with a caret.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fileset, loadFileset } from '../../connectors/index.js';
import { HepqError } from '../../exec/batch/index.js';
import type { HistogramSet } from '../../exec/index.js';
import { parseFuncAdl, planToQastle } from '../../query/index.js';
import { AGC_QUERY } from '../../server/agc/agc-query.js';
import { writeAgcSamples } from '../../server/agc/agc-samples.js';
import { agcBuilderConfig } from '../../server/agc/run-agc.js';
import { buildServer, type HepqServer } from '../../server/http/app.js';
import { fitHistograms, resultToJson, Session } from '../../server/index.js';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/shared-data.js';

const dir = mkdtempSync(join(tmpdir(), 'hepq-stage-'));
const PARAMS = { lumi: 3378, seed: 1 };
const CONFIG = agcBuilderConfig(false); // data: 'data' — the stage's asimov=True replaces it
const CONFIG_PATH = join(dir, 'agc-config.json');
writeFileSync(CONFIG_PATH, JSON.stringify(CONFIG));
/** A config as a Python dict literal in the query text. */
const pyDict = (x: unknown) =>
  JSON.stringify(x)
    .replace(/\btrue\b/g, 'True')
    .replace(/\bfalse\b/g, 'False');
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
/** A config as a qastle literal (dicts as `(dict (list keys…) (list values…))`). */
const qastleOf = (x: unknown): string => {
  if (x === null || x === undefined) return 'None';
  if (typeof x === 'boolean') return x ? 'True' : 'False';
  if (typeof x === 'number') return String(x);
  if (typeof x === 'string') return `'${x.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(x)) return `(list${x.map((v) => ` ${qastleOf(v)}`).join('')})`;
  const entries = Object.entries(x as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `(dict (list${entries.map(([k]) => ` ${qastleOf(k)}`).join('')}) (list${entries.map(([, v]) => ` ${qastleOf(v)}`).join('')}))`;
};
type Row = Record<string, unknown>;
const rowsOf = (r: unknown) => resultToJson(r as Parameters<typeof resultToJson>[0]) as Row[];
const param = (rows: Row[], name: string) => rows.find((r) => r.parameter === name)!;

/** The histograms as the SQL `*_from` functions read them: one row per bin. */
function histogramTable(set: HistogramSet): string {
  const rows = set.histograms.flatMap((h) =>
    Array.from(h.counts, (c, bin) => {
      const v = h.labels.variation === 'nominal' ? '' : h.labels.variation!;
      return `(${lit(h.labels.region!)}, ${lit(h.labels.dataset!)}, ${lit(v)}, ${bin}, ${c}, ${h.sumw2![bin]})`;
    }),
  );
  return `SELECT * FROM (VALUES ${rows.join(', ')}) AS t(region, sample, variation, bin, content, sumw2)`;
}

describe('a fit stage after a func_adl histogram query', () => {
  const session = new Session({ threads: 1 });
  let fileset: Fileset;
  let filesetPath: string;
  let separate: HistogramSet;
  beforeAll(async () => {
    const written = await writeAgcSamples({ dir, events: 2000, seed: 1 });
    filesetPath = written.path;
    fileset = loadFileset(filesetPath);
    separate = (await session.queryFileset(AGC_QUERY, fileset, { params: PARAMS })).histograms!;
  });
  afterAll(async () => {
    await session.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fits the AGC histograms of generated samples in the same call: the separate route and SQL agree, Asimov gives mu = 1', async () => {
    const r = await session.queryFileset(`${AGC_QUERY}.Fit(${pyDict(CONFIG)}, asimov=True)`, fileset, {
      params: PARAMS,
    });
    const rows = rowsOf(r.stats);
    const mu = param(rows, 'mu');
    expect(mu.converged).toBe(true);
    expect(Math.abs((mu.value as number) - 1)).toBeLessThan(1e-3);
    // the separate route: the query's histograms, then the library's fit
    const lib = fitHistograms(separate, { ...CONFIG, data: undefined, asimov: true });
    expect(mu.value).toBeCloseTo(lib.mu_hat, 9);
    expect(mu.error).toBeCloseTo(lib.mu_err, 9);
    expect(rows.map((x) => x.parameter)).toEqual(lib.parameters.map((p) => p.name));
    // SQL's histfactory_fit_from over the same histogram rows
    await session.sql(`CREATE OR REPLACE TEMP TABLE agc_h AS ${histogramTable(separate)}`);
    const sql = await session.sql(
      `SELECT value, error FROM histfactory_fit_from('SELECT * FROM agc_h', ${lit(JSON.stringify({ ...CONFIG, data: undefined, asimov: true }))}) WHERE parameter = 'mu'`,
    );
    expect(Number(sql.columns[0]![0])).toBeCloseTo(mu.value as number, 9);
    expect(Number(sql.columns[1]![0])).toBeCloseTo(mu.error as number, 9);
  });

  it('tests a POI value with .HypoTest(mu, config) as hypotest_from does, the config read from a file', async () => {
    const q = `${AGC_QUERY}.HypoTest(2.0, ${lit(CONFIG_PATH)}, asimov=True)`;
    const r = rowsOf((await session.queryFileset(q, fileset, { params: PARAMS })).stats);
    expect(r).toHaveLength(1);
    expect(r[0]!.mu).toBe(2);
    await session.sql(`CREATE OR REPLACE TEMP TABLE agc_h AS ${histogramTable(separate)}`);
    const sql = await session.sql(
      `SELECT cls_obs, cls_exp_median FROM hypotest_from('SELECT * FROM agc_h', ${lit(JSON.stringify({ ...CONFIG, data: undefined, asimov: true }))}, mu := 2.0)`,
    );
    expect(r[0]!.cls_obs).toBeCloseTo(Number(sql.columns[0]![0]), 9);
    expect(r[0]!.cls_exp_median).toBeCloseTo(Number(sql.columns[1]![0]), 9);
    // on the Asimov data of mu = 1, observed = expected median
    expect(r[0]!.cls_obs).toBeCloseTo(r[0]!.cls_exp_median as number, 4);
  });

  it('runs from the CLI: hepq query --fileset … prints the fit rows', async () => {
    const q = `${AGC_QUERY}.Fit(${lit(CONFIG_PATH)}, asimov=True)`;
    const r = await runCli(
      'query',
      q,
      '--fileset',
      filesetPath,
      '--param',
      'lumi=3378',
      '--param',
      'seed=1',
      '--format',
      'json',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as Row[];
    const lib = fitHistograms(separate, { ...CONFIG, data: undefined, asimov: true });
    expect(param(rows, 'mu').value).toBeCloseTo(lib.mu_hat, 9);
  });

  it('takes the AGC query and its .Fit stage as qastle: the histograms and the fit of the Python text', async () => {
    const qastle = planToQastle(parseFuncAdl(AGC_QUERY));
    expect(qastle).toContain("(keyword 'category'");
    const viaQastle = (await session.queryFileset(qastle, fileset, { params: PARAMS })).histograms!;
    const bins = (set: HistogramSet) => set.histograms.map((h) => [h.labels, h.counts, h.sumw2]);
    expect(viaQastle.histograms).toHaveLength(130);
    expect(bins(viaQastle)).toEqual(bins(separate));
    const fitRows = async (q: string) =>
      rowsOf((await session.queryFileset(q, fileset, { params: PARAMS })).stats);
    const python = await fitRows(`${AGC_QUERY}.Fit(${pyDict(CONFIG)}, asimov=True)`);
    const viaQ = await fitRows(`(call (attr ${qastle} 'Fit') ${qastleOf(CONFIG)} (keyword 'asimov' True))`);
    expect(param(python, 'mu').converged).toBe(true);
    expect(viaQ).toEqual(python);
  });

  it('names the stage with a caret when the query before it gives no histograms, or the stage is miswritten', async () => {
    const rowsQuery = `${AGC_QUERY.slice(0, AGC_QUERY.indexOf('  .Hist('))}  .Select(lambda e: e.nlep)`;
    const files = fileset.datasets[0]!.files;
    const params = { ...PARAMS, xsec: 1, nevts: 1 };
    const cases: [string, RegExp, string][] = [
      [
        `${rowsQuery}.Fit(${lit(CONFIG_PATH)})`,
        /fits histograms labelled by region and sample; the query before it gives rows/,
        'Fit',
      ],
      [`${AGC_QUERY}.Fit(${lit(CONFIG_PATH)}, bins=3)`, /has no keyword 'bins'/, '3'],
      [`${AGC_QUERY}.UpperLimit()`, /needs the workspace builder's config/, 'UpperLimit'],
      [`${AGC_QUERY}.Fit({'samples': []})`, /needs 'regions'/, 'Fit'],
      [`${AGC_QUERY}.Fit(${lit(join(dir, 'missing.json'))})`, /cannot read the config/, 'Fit'],
      // one file without a fileset: the histograms have no dataset label
      [`${AGC_QUERY}.Fit(${lit(CONFIG_PATH)})`, /no 'dataset' label/, 'Fit'],
    ];
    for (const [q, message, under] of cases) {
      const e = await session.query(q, { files, params }).catch((x: unknown) => x);
      expect(e, q.slice(-60)).toBeInstanceOf(HepqError);
      const err = e as HepqError;
      expect(err.message).toMatch(message);
      expect(err.span, err.message).toBeDefined();
      expect(q.slice(err.span!.start, err.span!.end)).toBe(under);
    }
  });
});

// A query over one file labels its own samples with a `dataset` category; HTTP, the library and qastle.
const FILE = 'func_adl_uproot/Run2012B_SingleMu_1000.root';
const ROOTS = `${SHARED}conformance-data`;
const ONE_FILE = `EventDataset().Select(lambda e: {'met': e.MET_pt, 'nmu': e.nMuon})
  .Hist(lambda e: e.met, bins=4, range=(0, 80),
        category={'region': {'SR': lambda e: e.met >= 0},
                  'dataset': {'sig': lambda e: e.nmu >= 2, 'bkg': lambda e: e.nmu < 2}})`;
const ONE_CONFIG = {
  regions: ['SR'],
  samples: [{ name: 'sig', signal: true }, { name: 'bkg' }],
  asimov: true,
};

describe.skipIf(!existsSync(join(ROOTS, FILE)))('a fit stage through HTTP /query', () => {
  let server: HepqServer;
  const session = new Session({ threads: 1 });
  beforeAll(async () => {
    server = await buildServer({ dataRoots: [ROOTS], token: 'tok', queryTimeoutMs: 600_000 });
  });
  afterAll(async () => {
    await server.app.close();
    await session.close();
  });

  it('answers the stage rows, equal to the library and to hypotest_from on the same histograms', async () => {
    const q = `${ONE_FILE}.HypoTest(1.0, ${pyDict(ONE_CONFIG)})`;
    const res = await server.app.inject({
      method: 'POST',
      url: '/query',
      headers: { authorization: 'Bearer tok' },
      payload: { query: q, files: [FILE] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const http = JSON.parse(res.body) as Row[];
    const lib = rowsOf(await session.query(q, { files: [join(ROOTS, FILE)] }));
    expect(http).toEqual(lib);
    const h = await session.query(ONE_FILE, { files: [join(ROOTS, FILE)] });
    if (h.kind !== 'histograms') throw new Error('histograms expected');
    const table = h.histograms.histograms.flatMap((x) =>
      Array.from(x.counts, (c, bin) => `(${lit(x.labels.region!)}, ${lit(x.labels.dataset!)}, ${bin}, ${c})`),
    );
    const sql = await session.sql(
      `SELECT cls_obs FROM hypotest_from(${lit(`SELECT * FROM (VALUES ${table.join(', ')}) AS t(region, sample, bin, content)`)}, ${lit(JSON.stringify(ONE_CONFIG))}, mu := 1.0)`,
    );
    expect(http[0]!.cls_obs).toBeCloseTo(Number(sql.columns[0]![0]), 9);
  });

  it('confines a config path to the data roots', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/query',
      headers: { authorization: 'Bearer tok' },
      payload: { query: `${ONE_FILE}.Fit('/etc/passwd')`, files: [FILE] },
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.body).not.toMatch(/root:/);
  });

  it('splits the stage off a qastle query too (a Hist without categories: it names the missing label)', async () => {
    const e = await session
      .query(
        "(call (attr (Hist (Select (call EventDataset) (lambda (list e) (attr e 'MET_pt'))) (lambda (list x) x) 4 (list 0 80)) 'Fit') 'cfg.json')",
        { files: [join(ROOTS, FILE)] },
      )
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HepqError);
    expect((e as HepqError).message).toMatch(
      /\.Fit\(\) fits histograms labelled by region and sample; the query before it gives one histogram/,
    );
  });
});
