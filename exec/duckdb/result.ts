/** A DuckDB result read into plain JS columns (NULL kept as null), with a row cap and cancellation. */
import {
  type DuckDBDataChunk,
  type DuckDBResult,
  type DuckDBType,
  JSDuckDBValueConverter,
} from '@duckdb/node-api';
import { HepqError, type JsValue } from '../batch/index.js';
import { sqlError } from './errors.js';

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

/** Rows of a result, a chunk (up to 2048 rows) at a time: column-major values. */
export interface SqlChunk {
  readonly columns: readonly JsValue[][];
  readonly rowCount: number;
}

/** A streamed result: names and types first, then the chunks; `close` ends it early. */
export interface SqlStream extends AsyncIterable<SqlChunk> {
  readonly names: readonly string[];
  readonly types: readonly DuckDBType[];
  close(): void;
}

function convert(chunk: DuckDBDataChunk): SqlChunk {
  const columns = chunk.convertColumns(JSDuckDBValueConverter).map((values) => values.map(plain));
  return { columns, rowCount: chunk.rowCount };
}

/** The chunks of a DuckDB result (its first chunk already fetched), refusing more than `maxRows` rows. */
export async function* resultChunks(
  result: DuckDBResult,
  first: DuckDBDataChunk | null,
  maxRows: number | undefined,
  signal: AbortSignal | undefined,
  sql: string,
): AsyncGenerator<SqlChunk> {
  let rows = 0;
  let chunk = first;
  while (chunk && chunk.rowCount > 0) {
    rows += chunk.rowCount;
    if (maxRows !== undefined && rows > maxRows)
      throw new HepqError('sql/result-too-large', `the result has more than ${maxRows} rows`, {
        hint: 'aggregate in SQL (GROUP BY, histograms) or add a LIMIT',
      });
    yield convert(chunk);
    signal?.throwIfAborted();
    try {
      chunk = await result.fetchChunk();
    } catch (e) {
      throw sqlError(e, sql);
    }
  }
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
