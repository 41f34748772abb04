/** A DuckDB result read into plain JS columns (NULL kept as null), with a row cap and cancellation. */
import { type DuckDBResult, type DuckDBType, JSDuckDBValueConverter } from '@duckdb/node-api';
import { HepqError, type JsValue } from '../../exec/batch/index.js';

export interface SqlResult {
  readonly names: readonly string[];
  readonly types: readonly DuckDBType[];
  /** Column-major values: lists as arrays, structs as objects, 64-bit integers as bigint, NULL as null. */
  readonly columns: readonly JsValue[][];
  readonly rowCount: number;
}

function plain(v: unknown): JsValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || typeof v === 'string')
    return v;
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object') {
    const out: { [k: string]: JsValue } = {};
    for (const [k, x] of Object.entries(v)) out[k] = plain(x);
    return out;
  }
  return String(v);
}

export async function readResult(
  result: DuckDBResult,
  maxRows?: number,
  signal?: AbortSignal,
): Promise<SqlResult> {
  const names = result.columnNames();
  const types = result.columnTypes();
  const columns: JsValue[][] = names.map(() => []);
  let rowCount = 0;
  for (;;) {
    signal?.throwIfAborted();
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    rowCount += chunk.rowCount;
    if (maxRows !== undefined && rowCount > maxRows)
      throw new HepqError('sql/result-too-large', `the result has more than ${maxRows} rows`, {
        hint: 'aggregate in SQL (GROUP BY, histograms) or add a LIMIT',
      });
    const converted = chunk.convertColumns(JSDuckDBValueConverter);
    converted.forEach((values, k) => {
      const out = columns[k]!;
      for (const v of values) out.push(plain(v));
    });
  }
  return { names, types, columns, rowCount };
}

/** The rows of a result as objects (column name → value). */
export function resultRows(r: SqlResult): Array<Record<string, JsValue>> {
  const rows: Array<Record<string, JsValue>> = [];
  for (let i = 0; i < r.rowCount; i++) {
    const row: Record<string, JsValue> = {};
    r.names.forEach((n, k) => {
      row[n] = r.columns[k]![i]!;
    });
    rows.push(row);
  }
  return rows;
}
