/**
 * SQL results written out: an aligned text table, JSON, JSON lines, CSV, Arrow IPC stream or Parquet. A result
 * is a `Batch` (exec/duckdb converts DuckDB's chunks once), so this is the one encoder module's
 * (server/output/encode.ts) `encodeBatch` / `encodeBatchStream`. The table and CSV print every value as DuckDB's
 * `CAST(x AS VARCHAR)` (CSV quoted as DuckDB's `COPY … TO` writes it); JSON keeps JSON's types, float32 values
 * as their float64 value (what DuckDB's `to_json` writes). A repeated column name (`SELECT 1 AS a, 2 AS a`, a
 * join's `*`) keeps its column everywhere: the table prints DuckDB's own names (as its shell does), every file
 * format the names DuckDB's `COPY … TO` writes (`a, a_1`: exec/duckdb `copyColumnNames`).
 */

import type { Readable } from 'node:stream';
import type * as arrow from 'apache-arrow';
import type { Schema } from '../../exec/batch/index.js';
import { copyNamedBatch, copyNamedSchema, type SqlChunk, type SqlResult } from '../../exec/duckdb/index.js';
import { batchArrowTable, encodeBatch, encodeBatchStream } from '../output/encode.js';

export type SqlFormat = 'table' | 'json' | 'jsonl' | 'csv' | 'arrow' | 'parquet';
export const SQL_FORMATS: readonly SqlFormat[] = ['table', 'json', 'jsonl', 'csv', 'arrow', 'parquet'];

const SQL_TEXT = { shortestFloat32: false, duckdbText: true } as const;

/** A SQL result as an Arrow table (what `--format arrow` writes). */
export function resultToArrow(r: SqlResult): arrow.Table {
  return batchArrowTable(copyNamedBatch(r.batch));
}

export function encodeResult(r: SqlResult, format: SqlFormat): Promise<string | Uint8Array> {
  return encodeBatch(format === 'table' ? r.batch : copyNamedBatch(r.batch), format, SQL_TEXT);
}

/** The rows of a chunk stream as a byte stream in a streamable format (every format but parquet and table). */
export function encodeChunks(
  schema: Schema,
  chunks: AsyncIterable<SqlChunk>,
  format: Exclude<SqlFormat, 'parquet' | 'table'>,
): Readable {
  const named = copyNamedSchema(schema);
  return encodeBatchStream(
    named,
    (async function* () {
      for await (const c of chunks) yield named === schema ? c.batch : { ...c.batch, schema: named };
    })(),
    format,
    SQL_TEXT,
  );
}
