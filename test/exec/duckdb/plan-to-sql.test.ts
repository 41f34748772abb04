/**
 * func_adl → SQL without running it: a refusal names the operator and points at it in the query text, and the
 * Parquet source maps hepq's flat names onto a nested layout as DuckDB describes the shared sample.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { parquetSource, planToSql } from '../../../exec/duckdb-plan/index.js';
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
});
