/** Small conveniences of the library API: a TypeScript-lambda query as text a Session runs, SQL results as rows. */
import type { JsValue } from '../exec/batch/index.js';
import { copyColumnNames, type SqlResult } from '../exec/duckdb/index.js';
import { planToQastle, type QueryBuilder } from '../query/index.js';

/**
 * The qastle text of a query built with `from(…)` and TypeScript lambdas, for `session.query` / `explain`:
 * `session.query(queryText(from('f.root').Where((e) => e.nMuon >= 2).Count()))`.
 */
export function queryText(q: QueryBuilder): string {
  return planToQastle(q.plan);
}

/**
 * A SQL result as row objects. 64-bit integers (DuckDB BIGINT, count(*)) come back as plain numbers where they are
 * exact (|v| ≤ 2⁵³ − 1); larger ones stay bigint unless `bigint: 'string'` asks for their decimal text. A repeated
 * column name is suffixed as DuckDB's `COPY … TO` names it (`a, a` → `a`, `a_1`), so each column keeps its key.
 */
export function sqlRows(
  r: SqlResult,
  options: { bigint?: 'number' | 'string' } = {},
): Record<string, JsValue>[] {
  const big = options.bigint ?? 'number';
  const plain = (v: JsValue): JsValue => {
    if (typeof v === 'bigint') {
      if (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
      return big === 'string' ? v.toString() : v;
    }
    if (Array.isArray(v)) return v.map(plain);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
    return v;
  };
  const rows: Record<string, JsValue>[] = [];
  const names = copyColumnNames(r.names);
  for (let i = 0; i < r.rowCount; i++)
    rows.push(Object.fromEntries(names.map((n, k) => [n, plain(r.columns[k]![i]!)])));
  return rows;
}
