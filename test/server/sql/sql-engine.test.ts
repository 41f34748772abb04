/**
 * SQL over HEP data on DuckDB: root() against DuckDB's own Parquet reader of the same events, branch
 * pruning, HEP functions against func_adl's executor, hist_bin against func_adl's Hist binning, func_adl()
 * rows, the stats table functions against pyhf's numbers, and located errors.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectorTable } from '../../../connectors/api.js';
import { writeRoot } from '../../../connectors/root/writer/index.js';
import { HepqError } from '../../../exec/batch/index.js';
import { batchRows, Histogram1D } from '../../../exec/index.js';
import { Session } from '../../../server/session.js';
import { createSqlEngine, SqlEngine } from '../../../server/sql/index.js';
import { HAVE_ROOT_DATA, ROOT_DATA, SHARED } from '../../helpers/shared-data.js';
import { ADL_PARQUET, ADL_ROOT, HAVE_ADL, lit, STATS_DIR } from './helpers.js';

const ROOT = `root(${lit(ADL_ROOT)}, 'Events')`;
const PARQUET = `read_parquet(${lit(ADL_PARQUET)})`;
const num = (v: unknown) => Number(v);

async function sqlError(session: Session, text: string): Promise<HepqError> {
  const e = await session.sql(text).then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(HepqError);
  return e as HepqError;
}

describe.skipIf(!HAVE_ADL)('root() in SQL', () => {
  const session = new Session();
  afterAll(() => session.close());

  it('counts agree with DuckDB reading the Parquet copy of the same events', async () => {
    const r = await session.sql(`SELECT count(*) AS n FROM ${ROOT} WHERE nMuon >= 2`);
    const p = await session.sql(`SELECT count(*) AS n FROM ${PARQUET} WHERE len(Muon) >= 2`);
    expect(num(r.columns[0]![0])).toBe(num(p.columns[0]![0]));
    expect(num(r.columns[0]![0])).toBeGreaterThan(100);
  });

  it('jagged branches are LISTs and collections LIST(STRUCT), equal to the nested Parquet event by event', async () => {
    const types = await session.sql(
      `SELECT typeof(Muon_pt) AS a, typeof(Jet) AS b, typeof(MET) AS c FROM ${ROOT} LIMIT 1`,
    );
    expect(types.columns[0]![0]).toBe('FLOAT[]');
    expect(String(types.columns[1]![0])).toMatch(
      /^STRUCT\(pt FLOAT, eta FLOAT, phi FLOAT, mass FLOAT, puId BOOLEAN, btag FLOAT\)\[\]$/,
    );
    expect(String(types.columns[2]![0])).toMatch(/^STRUCT\(pt FLOAT, phi FLOAT, sumet FLOAT/);
    const diff = await session.sql(`
      SELECT count(*) AS n, count(*) FILTER (WHERE r.Muon IS DISTINCT FROM p.Muon OR r.Jet IS DISTINCT FROM p.Jet
                                            OR r.Electron IS DISTINCT FROM p.Electron OR r.MET IS DISTINCT FROM p.MET
                                            OR r.Muon_pt IS DISTINCT FROM [m.pt FOR m IN p.Muon]) AS differing
      FROM ${ROOT} r JOIN ${PARQUET} p USING (event)`);
    expect(num(diff.columns[0]![0])).toBe(1000);
    expect(num(diff.columns[1]![0])).toBe(0);
  });

  it.skipIf(!HAVE_ROOT_DATA)(
    'xAOD containers are LIST(STRUCT) columns, counted as func_adl counts them',
    async () => {
      const file = `${ROOT_DATA}PHYSLITE_example.root`;
      const r = await session.sql(`SELECT sum(len(AnalysisElectrons)) AS n,
        count(*) FILTER (WHERE [e.pt FOR e IN AnalysisElectrons] IS DISTINCT FROM "AnalysisElectronsAuxDyn.pt") AS differing
      FROM root(${lit(file)}, 'CollectionTree')`);
      const fa = await session.query('Select(lambda e: e.Electrons().Count())', { files: [file] });
      if (fa.kind !== 'rows') throw new Error('expected rows');
      const counts = fa.batches.flatMap((b) => batchRows(b, fa.shape)).map(num);
      expect(counts.length).toBe(100);
      expect(num(r.columns[0]![0])).toBe(counts.reduce((a, b) => a + b, 0));
      expect(num(r.columns[1]![0])).toBe(0);
    },
  );

  it('reads only the branches a query references (DuckDB projection pushdown)', async () => {
    const scanned: string[][] = [];
    const host = {
      functions: session.functions,
      query: session.query.bind(session),
      async open(file: string, options?: { tree?: string }): Promise<ConnectorTable> {
        const t = await session.open(file, options);
        return {
          name: t.name,
          schema: () => t.schema(),
          statistics: () => t.statistics(),
          supportsFilter: (f) => t.supportsFilter(f),
          scan(o) {
            scanned.push([...(o?.columns ?? ['*'])]);
            return t.scan(o);
          },
        };
      },
    };
    const engine = await createSqlEngine(host);
    const small = await SqlEngine.create({
      registry: session.functions,
      files: { resolve: (f) => f, openTable: (p, t) => host.open(p, t === undefined ? {} : { tree: t }) },
      cacheBytes: 1,
    });
    try {
      // A cache budget smaller than any file: the least recently used file goes, and is read again.
      const dir = `${SHARED}conformance-data/func_adl_uproot/`;
      const scalars = `SELECT sum(int_branch) AS s FROM root('${dir}scalars_tree_file.root', NULL)`;
      const vectors = `SELECT sum(len(int_vector_branch)) AS s FROM root('${dir}vectors_tree_file.root', NULL)`;
      const first = await small.run(scalars);
      await small.run(vectors);
      expect(scanned).toEqual([['int_branch'], ['int_vector_branch']]);
      expect(await small.run(scalars)).toEqual(first);
      expect(scanned.length).toBe(3);
      scanned.length = 0;
      const r = await engine.run(`SELECT count(*) FROM ${ROOT} WHERE nMuon >= 2`);
      expect(num(r.columns[0]![0])).toBeGreaterThan(100);
      expect(scanned).toEqual([['nMuon']]);
      scanned.length = 0;
      await engine.run(`SELECT max(MET.pt), sum(len(Jet)) FROM ${ROOT} WHERE nMuon >= 2`);
      const read = scanned.flat().sort();
      expect(read).toContain('MET_pt');
      expect(read).toContain('Jet_btag');
      expect(read.some((b) => b.startsWith('Muon_') || b.startsWith('Electron_'))).toBe(false);
      scanned.length = 0;
      await engine.run(`SELECT count(*) FROM ${ROOT} WHERE nMuon >= 2`);
      expect(scanned).toEqual([]); // branches read once per engine
    } finally {
      await engine.close();
      await small.close();
    }
  });

  it('HEP functions give what func_adl computes (invariant mass of the two leading muons)', async () => {
    const fa = await session.query(
      `Where(lambda e: e.nMuon >= 2).Select(lambda e: {'event': e.event,
          'm': (e.Muon[0].ToFourMomentum() + e.Muon[1].ToFourMomentum()).mass,
          'dr': e.Muon[0].ToFourMomentum().deltaR(e.Muon[1].ToFourMomentum())})`,
      { files: [ADL_ROOT] },
    );
    if (fa.kind !== 'rows') throw new Error('expected rows');
    const ref = new Map(
      fa.batches
        .flatMap((b) => batchRows(b, fa.shape) as Array<Record<string, number>>)
        .map((r) => [num(r.event), r]),
    );
    const r = await session.sql(`SELECT event, inv_mass(Muon[1], Muon[2]) AS m,
        p4_mass(p4_add(p4(Muon[1]), p4(Muon[2]))) AS m_sql, delta_r(Muon[1], Muon[2]) AS dr
      FROM ${ROOT} WHERE nMuon >= 2`);
    expect(r.rowCount).toBe(ref.size);
    for (let i = 0; i < r.rowCount; i++) {
      const want = ref.get(num(r.columns[0]![i]))!;
      const tol = 1e-9 * Math.max(1, want.m!);
      expect(Math.abs(num(r.columns[1]![i]) - want.m!)).toBeLessThanOrEqual(tol);
      expect(Math.abs(num(r.columns[2]![i]) - want.m!)).toBeLessThanOrEqual(tol);
      expect(Math.abs(num(r.columns[3]![i]) - want.dr!)).toBeLessThanOrEqual(1e-12);
    }
  });

  it('p4_eta of a zero vector is 0, as func_adl gives (the shared formula; it was asinh(0 / 0))', async () => {
    const r = await session.sql(
      "SELECT p4_eta({'px': 0.0, 'py': 0.0, 'pz': 0.0, 'e': 0.0}) AS z, p4_eta({'px': 3.0, 'py': 4.0, 'pz': 5.0, 'e': 9.0}) AS e1",
    );
    expect(num(r.columns[0]![0])).toBe(0);
    expect(num(r.columns[1]![0])).toBeCloseTo(Math.asinh(1), 12);
  });

  it('hist_index bins as func_adl Hist does, edges and out-of-range values included', async () => {
    const h = new Histogram1D(100, 15, 60);
    const xs = [14.999, 15, 15.45, 15.449999, 15.9, 17.25, 33.3, 36.45, 59.55, 59.999, 60, 60.1, -1e9, 1e9];
    for (let k = 0; k <= 100; k++) xs.push(15 + (45 * k) / 100, 15 + 0.45 * k);
    const r = await session.sql(
      `SELECT hist_index(x, 15, 60, 100) AS b FROM unnest([${xs.join(', ')}]::DOUBLE[]) t(x)`,
    );
    expect(r.columns[0]!.map(num)).toEqual(xs.map((x) => h.bin(x)));
  });

  it('func_adl() rows are a table: equal to the same selection by DuckDB on the Parquet copy', async () => {
    const q = `Select(lambda e: {'event': e.event, 'met': e.MET_pt}).Where(lambda r: r.met > 60)`;
    const r = await session.sql(
      `SELECT event, met FROM func_adl(${lit(q)}, ${lit(ADL_ROOT)}) ORDER BY event`,
    );
    const p = await session.sql(
      `SELECT event, MET.pt AS met FROM ${PARQUET} WHERE MET.pt > 60 ORDER BY event`,
    );
    expect(r.rowCount).toBe(p.rowCount);
    expect(r.rowCount).toBeGreaterThan(10);
    expect(r.columns[0]!.map(num)).toEqual(p.columns[0]!.map(num));
    r.columns[1]!.forEach((v, i) => {
      expect(Math.abs(num(v) - num(p.columns[1]![i]))).toBeLessThan(1e-4);
    });
  });

  it('hypotest, histfactory_fit and upper_limit are callable from SQL (pyhf 0.7.6 reference)', async () => {
    const exp = JSON.parse(readFileSync(`${STATS_DIR}expected/pyhf_2bin_1channel.json`, 'utf8'));
    const ws = `${STATS_DIR}${exp.workspace_file}`;
    const r = await session.sql(`SELECT mu, cls_obs, cls_exp_median FROM hypotest(${lit(ws)}, mu := 1.0)`);
    expect(num(r.columns[0]![0])).toBe(1);
    expect(Math.abs(num(r.columns[1]![0]) - exp.cls.CLs_obs)).toBeLessThan(1e-4 * exp.cls.CLs_obs);
    expect(Math.abs(num(r.columns[2]![0]) - exp.cls.CLs_exp[2])).toBeLessThan(1e-4 * exp.cls.CLs_exp[2]);
    const fit = await session.sql(
      `SELECT parameter, value, twice_nll FROM histfactory_fit(${lit(ws)}) ORDER BY parameter`,
    );
    const mu = fit.columns[0]!.indexOf('mu');
    expect(mu).toBeGreaterThanOrEqual(0);
    expect(Math.abs(num(fit.columns[2]![mu]) - exp.mle.twice_nll)).toBeLessThan(1e-4 * exp.mle.twice_nll);
    expect(Math.abs(num(fit.columns[1]![mu]) - exp.mle.bestfit.mu)).toBeLessThan(1e-3);
    const lim = await session.sql(`SELECT obs FROM upper_limit(${lit(ws)})`);
    const obs = exp.upper_limit_toms748.obs; // root finding at rtol 1e-4
    expect(Math.abs(num(lim.columns[0]![0]) - obs)).toBeLessThan(1.5e-4 * obs);
  });

  it('sqlStream gives the rows chunk by chunk, all of them, in order', async () => {
    const stream = await session.sqlStream('SELECT range AS i FROM range(5000) ORDER BY i');
    expect(stream.names).toEqual(['i']);
    const sizes: number[] = [];
    const values: number[] = [];
    for await (const chunk of stream) {
      sizes.push(chunk.rowCount);
      values.push(...chunk.columns[0]!.map(num));
    }
    expect(sizes.length).toBeGreaterThan(1);
    expect(values).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    const early = await session.sqlStream('SELECT range FROM range(100000)');
    for await (const _ of early) break; // leaving early frees the connection
    expect(num((await session.sql('SELECT 5 AS x')).columns[0]![0])).toBe(5);
  });

  it('a script runs in one session and returns the last statement', async () => {
    const r = await session.sql(`CREATE OR REPLACE MACRO twice(x) AS 2 * x;
      CREATE OR REPLACE TEMP VIEW ev AS SELECT * FROM ${ROOT};
      SELECT twice(count(*)) AS n, 'a;b' AS s FROM ev WHERE nMuon >= 2`);
    const p = await session.sql(`SELECT count(*) AS n FROM ${PARQUET} WHERE len(Muon) >= 2`);
    expect(r.names).toEqual(['n', 's']);
    expect(num(r.columns[0]![0])).toBe(2 * num(p.columns[0]![0]));
    expect(r.columns[1]![0]).toBe('a;b');
  });

  it('errors are located HepqErrors', async () => {
    const syntax = await sqlError(session, 'SELECT 1;\nSELEC 2');
    expect(syntax.code).toBe('sql/parser');
    expect(syntax.span).toEqual({ start: 10, end: 15 });
    const column = await sqlError(session, `SELECT Muon_ptt FROM ${ROOT}`);
    expect(column.code).toBe('sql/binder');
    expect(column.span?.start).toBe(7);
    expect(column.hint).toContain('Muon_pt');
    const tree = await sqlError(session, `SELECT * FROM root(${lit(ADL_ROOT)}, 'Evnts')`);
    expect(tree.hint).toContain('Events');
    // A tree with no branch readable as a column (every tree of the shared files now has one): written empty here.
    const dir = mkdtempSync(join(tmpdir(), 'hepq-sql-'));
    const emptyFile = join(dir, 'empty.root');
    await writeRoot(emptyFile, Object.assign([], { schema: { fields: [] } }), { tree: 'Empty' });
    try {
      const empty = await sqlError(session, `SELECT * FROM root(${lit(emptyFile)}, 'Empty')`);
      expect(empty.code).toBe('sql/no-columns');
      expect(empty.location?.object).toBe('Empty');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const missing = await sqlError(session, `SELECT * FROM root('no/such/file.root', 'Events')`);
    expect(missing.render()).toContain('no/such/file.root');
    expect(missing.span).toEqual({ start: 19, end: 38 }); // the file's literal
  });
});

describe.skipIf(!HAVE_ADL)('server mode (data roots, read-only statements)', () => {
  const session = new Session();
  const root = `${SHARED}conformance-data`;
  const enginePromise = createSqlEngine(session, { dataRoots: [root] });
  afterAll(async () => {
    await (await enginePromise).close();
    await session.close();
  });
  const refused = async (text: string, code: RegExp) => {
    const engine = await enginePromise;
    const e = await engine.run(text).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e, text).toBeInstanceOf(HepqError);
    expect((e as HepqError).code, `${text}: ${(e as Error).message}`).toMatch(code);
  };

  it('reads files under the roots, by relative or absolute name', async () => {
    const engine = await enginePromise;
    // root(): relative to the first data root; DuckDB's readers: absolute (or relative to the working directory).
    const a = await engine.run(
      `SELECT count(*) FROM root('func_adl_uproot/Run2012B_SingleMu_1000.root', 'Events')`,
    );
    const b = await engine.run(`SELECT count(*) FROM read_parquet(${lit(ADL_PARQUET)})`);
    expect(num(a.columns[0]![0])).toBe(1000);
    expect(num(b.columns[0]![0])).toBe(1000);
  });

  it('refuses files outside the roots, writes, attach, install and settings', async () => {
    const outside = `${SHARED}data/stats/expected/pyhf_2bin_1channel.json`;
    await refused(`SELECT * FROM root('../data/root/x.root', 'Events')`, /file-refused/);
    await refused(`SELECT * FROM root('/etc/hostname', 'Events')`, /file-refused/);
    await refused(`SELECT * FROM hypotest(${lit(outside)})`, /file-refused/);
    await refused(`SELECT * FROM read_json(${lit(outside)})`, /sql\/(permission|io|invalid)/);
    await refused(`SELECT * FROM read_csv('/etc/passwd')`, /sql\/(permission|io|invalid)/);
    await refused(
      `SELECT * FROM read_text('../README.md')`,
      /sql\/(permission|io|invalid|forbidden-function)/,
    );
    await refused(`COPY (SELECT 1) TO '/tmp/hepq-should-not-exist.csv'`, /forbidden-statement|permission/);
    await refused(`ATTACH '/tmp/x.db' AS x`, /forbidden-statement/);
    await refused(`INSTALL httpfs`, /forbidden-statement/);
    await refused(`SET enable_external_access = true`, /forbidden-statement/);
    await refused(`CREATE TABLE t AS SELECT 1`, /forbidden-statement/);
    await refused(`SELECT 1; DROP MACRO hist_bin`, /forbidden-statement/);
    await refused(`EXPLAIN ANALYZE CREATE TABLE t AS SELECT 1`, /forbidden-statement/);
    await refused(`LOAD httpfs`, /forbidden-statement/);
    await refused(`SELECT * FROM glob('/etc/*')`, /sql\/(permission|forbidden-function)/);
  });
});
