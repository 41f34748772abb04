/**
 * func_adl → SQL without running it: a refusal names the operator and points at it in the query text, and the
 * Parquet source maps hepq's flat names onto a nested layout as DuckDB describes the shared sample; every
 * expression's type is the bound plan's, through one QType → DuckDB type mapping.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { numOf, parquetSource, planToSql, sqlType } from '../../../exec/duckdb-plan/index.js';
import { type QType, T } from '../../../planner/ir/index.js';
import { Session } from '../../../server/session.js';
import { SHARED } from '../../helpers/shared-data.js';

const ROOT_FILE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
const PARQUET = `${SHARED}conformance-data/adl-benchmark/Run2012B_SingleMu_1000_native.parquet`;

describe('planToSql', () => {
  const session = new Session({ threads: 1 });
  afterAll(() => session.close());

  async function translate(text: string) {
    const p = await session.prepare(text, { files: [ROOT_FILE] });
    return planToSql(p.plan, { schema: p.table.schema(), functions: session.functions, columns: p.columns });
  }

  it.each([
    ['Select(lambda e: e.MET_pt // 3)', 'e.MET_pt // 3', /the operator \/\//],
    ['Select(lambda e: e.Jet_pt.OrderBy(lambda pt: pt))', 'e.Jet_pt.OrderBy(lambda pt: pt)', /OrderBy/],
    [
      'Where(lambda e: e.nJet > 0).Select(lambda e: e.Jet_pt[0])',
      'e.Jet_pt[0]',
      /an index into a collection/,
    ],
  ])('refuses %s at the operator', async (text, at, reason) => {
    const t = await translate(text);
    if (t.ok) throw new Error('expected a refusal');
    expect(t.reason).toMatch(reason);
    expect(t.span).toBeDefined();
    expect(text.slice(t.span!.start, t.span!.end)).toBe(at);
  });

  it('reads only the columns the query uses, float32 ones as DOUBLE', async () => {
    const t = await translate(
      'Where(lambda e: e.nMuon >= 2).Select(lambda e: e.Muon.Where(lambda m: m.pt > 20).Count())',
    );
    if (!t.ok) throw new Error(t.reason);
    expect(t.sql.columns).toEqual([
      { name: 'nMuon', cast: 'BIGINT' },
      { name: 'Muon_pt', cast: 'DOUBLE[]' },
    ]);
    expect(t.sql.shape).toEqual({ kind: 'rows', columns: 1 });
  });

  it('maps flat names onto the nested Parquet layout DuckDB describes', async () => {
    const d = await session.sql(`DESCRIBE SELECT * FROM read_parquet('${PARQUET}')`);
    const raw = d.columns[0]!.map((name, i) => ({ name: String(name), type: String(d.columns[1]![i]) }));
    const src = parquetSource([PARQUET], raw);
    const col = src.column!;
    expect(col('MET_pt')).toBe('"MET"."pt"');
    expect(col('Muon_pt')).toBe('list_transform("Muon", lambda s: s."pt")');
    expect(col('nJet')).toBe('len("Jet")');
    expect(col('run')).toBe('"run"');
    // and DuckDB reads them as hepq's Parquet connector does: the same values
    const r = await session.sql(
      `SELECT ${col('MET_pt')} AS a, ${col('nJet')} AS b, ${col('Muon_pt')} AS c FROM ${src.from} LIMIT 3`,
    );
    const hepq = await session.query('Select(lambda e: (e.MET_pt, e.nJet, e.Muon_pt)).Take(3)', {
      files: [PARQUET],
      device: 'cpu',
    });
    if (hepq.kind !== 'rows') throw new Error('expected rows');
    const b = hepq.batches[0]!;
    expect(r.columns[0]).toEqual([...(b.columns[0] as { values: Float32Array }).values]);
    expect(r.columns[1]!.map(Number)).toEqual([...(b.columns[1] as { values: Int32Array }).values]);
  });

  it('maps the analyzer types to DuckDB types in one place', () => {
    const rec: QType = {
      kind: 'record',
      fields: [
        { name: 'pt', type: { kind: 'scalar', type: 'float32' } },
        { name: 'q', type: { kind: 'scalar', type: 'int32' } },
      ],
    };
    expect(sqlType({ kind: 'scalar', type: 'float32' })).toBe('DOUBLE');
    expect(sqlType(T.f64)).toBe('DOUBLE');
    expect(sqlType({ kind: 'scalar', type: 'int16' })).toBe('BIGINT');
    expect(sqlType({ kind: 'scalar', type: 'int64', wide: true })).toBe('BIGINT');
    expect(sqlType({ kind: 'scalar', type: 'uint64', wide: true })).toBe('UBIGINT');
    expect(sqlType(T.bool)).toBe('BOOLEAN');
    expect(sqlType(T.collection(T.collection(T.i64)))).toBe('BIGINT[][]');
    expect(sqlType(T.collection(rec))).toBe('STRUCT("pt" DOUBLE, "q" BIGINT)[]');
    expect(sqlType(T.p4)).toBe('STRUCT(px DOUBLE, py DOUBLE, pz DOUBLE, e DOUBLE)');
    expect(numOf(T.collection(T.bool))).toBe('bool');
    expect(numOf({ kind: 'scalar', type: 'uint8' })).toBe('int');
  });

  it('takes the types from the bound plan: floor() is an int64 there, so its event-level Sum is an integer sum', async () => {
    const t = await translate('Select(lambda e: floor(e.MET_pt)).Sum()');
    if (!t.ok) throw new Error(t.reason);
    expect(t.sql.body).toMatch(/^SELECT sum\("c\d+"\) AS v FROM \(SELECT floor\("MET_pt"\) AS c\d+ FROM/);
    // a plan stripped of its types is a caller's bug (planner/internal), not something the translator guesses
    const p = await session.prepare('Select(lambda e: floor(e.MET_pt)).Sum()', { files: [ROOT_FILE] });
    const strip = (x: unknown): unknown =>
      Array.isArray(x)
        ? x.map(strip)
        : x && typeof x === 'object'
          ? Object.fromEntries(
              Object.entries(x)
                .filter(([k, v]) => k !== 'type' || typeof v !== 'object')
                .map(([k, v]) => [k, strip(v)]),
            )
          : x;
    expect(() =>
      planToSql(strip(p.plan) as typeof p.plan, { schema: p.table.schema(), functions: session.functions }),
    ).toThrow(/has no bound type/);
  });
});
