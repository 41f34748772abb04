/**
 * `device duckdb` through the public interfaces: the CLI's `--device duckdb` and HTTP `/query`'s `"device":
 * "duckdb"` print exactly what `--device cpu` / `"device": "cpu"` print (the same sinks and encoders), `explain`
 * names the target and the statement, and an unknown device is a clear error.
 */
import * as arrow from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type HepqServer } from '../../server/http/app.js';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/shared-data.js';

const ROOT_FILE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
const PARQUET = `${SHARED}conformance-data/adl-benchmark/Run2012B_SingleMu_1000_native.parquet`;

describe('--device duckdb on the command line', () => {
  it.each([
    [
      'rows as JSON lines',
      "Where(lambda e: e.nMuon >= 2).Select(lambda e: {'met': e.MET_pt, 'mu': e.Muon_pt})",
      [],
    ],
    [
      'rows as CSV',
      'Select(lambda e: (e.nJet, e.Jet.Where(lambda j: j.pt > 30).Count()))',
      ['--format', 'csv'],
    ],
    [
      'a histogram as JSON',
      'SelectMany(lambda e: e.Jet_pt).Hist(lambda pt: pt, bins=20, range=(15, 60))',
      ['--format', 'json'],
    ],
    ['a value', 'Where(lambda e: e.nJet > 2).Count()', []],
    ['whole events as JSON lines', 'Where(lambda e: e.nJet > 3)', []],
  ])('%s: the same output as --device cpu', async (_what, q, extra) => {
    for (const file of [ROOT_FILE, PARQUET]) {
      // it does run on DuckDB (a fallback to the loop would print the same)
      const plan = await runCli('explain', q, file, '--device', 'duckdb');
      expect(plan.out).toMatch(/^ {2}Target: the session's DuckDB/m);
      const duck = await runCli('query', q, file, '--device', 'duckdb', '--quiet', ...extra);
      const cpu = await runCli('query', q, file, '--device', 'cpu', '--quiet', ...extra);
      expect(duck.err).toBe('');
      expect(duck.code).toBe(0);
      expect(duck.out.length).toBeGreaterThan(0);
      expect(duck.out).toBe(cpu.out);
    }
  });

  it('explain --device duckdb prints the target and the SQL', async () => {
    const r = await runCli('explain', 'Select(lambda e: e.MET_pt)', ROOT_FILE, '--device', 'duckdb');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^ {2}Target: the session's DuckDB \(one SQL statement\) — device duckdb asked for$/m,
    );
    expect(r.out).toMatch(
      /^ {2}SQL:\n {4}WITH ev AS \(SELECT CAST\("MET_pt" AS DOUBLE\) AS "MET_pt" FROM hepq\.root\(/m,
    );
  });

  it('an unknown device is refused with the choices', async () => {
    const r = await runCli('query', 'Select(lambda e: e.MET_pt)', ROOT_FILE, '--device', 'duck');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/unknown device 'duck'/);
    expect(r.err).toMatch(/cpu, gpu, auto or duckdb/);
  });
});

describe('"device": "duckdb" on HTTP /query', () => {
  let server: HepqServer;
  beforeAll(async () => {
    server = await buildServer({ dataRoots: [`${SHARED}conformance-data`], queryTimeoutMs: 300_000 });
  });
  afterAll(() => server.app.close());
  const post = (payload: unknown) =>
    server.app.inject({ method: 'POST', url: '/query', payload: payload as string });

  it.each(['json', 'arrow'])('the same %s body as "device": "cpu"', async (format) => {
    const query =
      "Where(lambda e: e.nJet >= 2).Select(lambda e: {'met': e.MET_pt, 'n': e.nJet, 'pts': e.Jet_pt})";
    const files = ['func_adl_uproot/Run2012B_SingleMu_1000.root'];
    const duck = await post({ query, files, format, device: 'duckdb' });
    const cpu = await post({ query, files, format, device: 'cpu' });
    expect(duck.statusCode).toBe(200);
    expect(cpu.statusCode).toBe(200);
    expect(duck.rawPayload.equals(cpu.rawPayload)).toBe(true);
    if (format === 'arrow') {
      const t = arrow.tableFromIPC(duck.rawPayload);
      expect(t.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
        'met:Float32',
        'n:Uint32',
        'pts:List<Float32>',
      ]);
      expect(t.numRows).toBeGreaterThan(0);
    }
  });

  it('an unknown device is a 400 naming the choices', async () => {
    const r = await post({
      query: 'Select(lambda e: e.MET_pt)',
      files: ['func_adl_uproot/Run2012B_SingleMu_1000.root'],
      device: 'tpu',
    });
    expect(r.statusCode).toBe(400);
    expect(r.body).toMatch(/device/);
  });
});
