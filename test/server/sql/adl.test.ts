/**
 * The 9 ADL benchmark outputs written in SQL (test/server/sql/adl/*.sql, over a view `events`) reproduce the
 * reference histograms of the SQL engines' study (sql_ref_*.csv) exactly: the same bins (centres to 1e-9)
 * and the same counts, over the nested Parquet file (read by DuckDB) and over the ROOT file (root()).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../../server/session.js';
import { ADL_DIR, ADL_PARQUET, ADL_ROOT, HAVE_ADL, lit } from './helpers.js';

const QUERIES = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6-1', 'q6-2', 'q7', 'q8'];
const sqlFile = (name: string) => readFileSync(new URL(`./adl/${name}.sql`, import.meta.url), 'utf8');

function reference(q: string): Array<[number, number]> {
  const lines = readFileSync(`${ADL_DIR}sql_ref_${q}.csv`, 'utf8').trim().split('\n');
  expect(lines[0]).toBe('x,y');
  return lines.slice(1).map((l) => {
    const [x, y] = l.split(',');
    return [Number(x), Number(y)];
  });
}

const INPUTS = [
  ['nested Parquet (DuckDB reader)', `read_parquet(${lit(ADL_PARQUET)})`],
  ['ROOT (root() table function)', `root(${lit(ADL_ROOT)}, 'Events')`],
] as const;

describe.skipIf(!HAVE_ADL).each(INPUTS)('ADL benchmark in SQL over %s', (_label, source) => {
  const session = new Session();
  beforeAll(async () => {
    await session.sql(`CREATE OR REPLACE TEMP VIEW events AS SELECT * FROM ${source}`);
    await session.sql(sqlFile('trijet'));
  });
  afterAll(() => session.close());

  it.each(QUERIES)('%s matches sql_ref', async (q) => {
    const r = await session.sql(sqlFile(q));
    expect(r.names).toEqual(['x', 'y']);
    const got = r.columns[0]!.map((x, i) => [Number(x), Number(r.columns[1]![i])] as const);
    const ref = reference(q);
    expect(got.length).toBe(ref.length);
    got.forEach(([x, y], i) => {
      expect(Math.abs(x - ref[i]![0]), `${q} bin ${i} centre ${x} vs ${ref[i]![0]}`).toBeLessThan(1e-9);
      expect(y, `${q} bin ${i} (x=${x}) count`).toBe(ref[i]![1]);
    });
  });
});
