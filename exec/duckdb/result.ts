/**
 * A DuckDB result as hepq Batches (converted once, chunk by chunk: `result-batch.ts`), with a row cap and
 * cancellation. `columns` gives the same rows as plain JS values (NULL as null) for callers that want them.
 */
import type { DuckDBDataChunk, DuckDBResult, DuckDBType } from '@duckdb/node-api';
import type * as arrow from 'apache-arrow';
import {
  type Batch,
  batchToArrow,
  type Column,
  concatColumns,
  emptyColumn,
  HepqError,
  type JsValue,
  type Schema,
  valueAt,
} from '../batch/index.js';
import { copyColumnNames, copyNamedBatch } from './column-names.js';
import { sqlError } from './errors.js';
import { chunkColumns } from './result-batch.js';

/** Rows of a result, a chunk (up to 2048 rows) at a time. */
export interface SqlChunk {
  /** The rows as one batch (NULLs as validity; no selection). */
  readonly batch: Batch;
  readonly rowCount: number;
  /** Column-major values: lists as arrays, structs as objects, 64-bit integers as bigint, NULL as null. */
  readonly columns: readonly JsValue[][];
}

export interface SqlResult extends SqlChunk {
  readonly names: readonly string[];
  readonly types: readonly DuckDBType[];
  /**
   * The rows as an apache-arrow Table (the Arrow types and names `hepq sql --format arrow` writes: a repeated
   * column name suffixed as DuckDB's `COPY … TO` names it, `a, a` → `a, a_1`).
   */
  toArrow(): arrow.Table;
}

/** A streamed result: names, types and schema first, then the chunks; `close` ends it early. */
export interface SqlStream extends AsyncIterable<SqlChunk> {
  readonly names: readonly string[];
  readonly types: readonly DuckDBType[];
  readonly schema: Schema;
  close(): void;
}

function columnValues(batch: Batch): JsValue[][] {
  return batch.columns.map((c) => Array.from({ length: batch.length }, (_, i) => valueAt(c, i)));
}

/** Defines `columns` on `target`: the batch's JS values, made when first asked for (an own, enumerable getter). */
function lazyColumns<T extends object>(target: T, batch: Batch): T {
  let columns: JsValue[][] | undefined;
  return Object.defineProperty(target, 'columns', {
    enumerable: true,
    get: () => {
      columns ??= columnValues(batch);
      return columns;
    },
  });
}

/** A chunk of a batch; its JS values are made when first asked for. */
export function sqlChunk(batch: Batch): SqlChunk {
  return lazyColumns({ batch, rowCount: batch.length }, batch) as SqlChunk;
}

class Result {
  declare readonly columns: readonly JsValue[][];
  readonly rowCount: number;
  constructor(
    readonly names: readonly string[],
    readonly types: readonly DuckDBType[],
    readonly batch: Batch,
  ) {
    this.rowCount = batch.length;
    lazyColumns(this, batch);
  }

  toArrow(): arrow.Table {
    return batchToArrow(copyNamedBatch(this.batch));
  }
}

/** A whole result from its chunks, in order (their batches joined into one). */
export function sqlResult(
  names: readonly string[],
  types: readonly DuckDBType[],
  schema: Schema,
  chunks: readonly SqlChunk[],
): SqlResult {
  const length = chunks.reduce((n, c) => n + c.rowCount, 0);
  const columns: Column[] =
    chunks.length === 0
      ? schema.fields.map((f) => emptyColumn(f.type))
      : schema.fields.map((_, k) => concatColumns(chunks.map((c) => c.batch.columns[k]!)));
  return new Result(names, types, { schema, columns, length });
}

function convert(chunk: DuckDBDataChunk, types: readonly DuckDBType[], schema: Schema): SqlChunk {
  return sqlChunk({ schema, columns: chunkColumns(chunk, types), length: chunk.rowCount });
}

/** The chunks of a DuckDB result (its first chunk already fetched), refusing more than `maxRows` rows. */
export async function* resultChunks(
  result: DuckDBResult,
  first: DuckDBDataChunk | null,
  schema: Schema,
  maxRows: number | undefined,
  signal: AbortSignal | undefined,
  sql: string,
): AsyncGenerator<SqlChunk> {
  const types = result.columnTypes();
  let rows = 0;
  let chunk = first;
  while (chunk && chunk.rowCount > 0) {
    rows += chunk.rowCount;
    if (maxRows !== undefined && rows > maxRows)
      throw new HepqError('sql/result-too-large', `the result has more than ${maxRows} rows`, {
        hint: 'aggregate in SQL (GROUP BY, histograms) or add a LIMIT',
      });
    yield convert(chunk, types, schema);
    signal?.throwIfAborted();
    try {
      chunk = await result.fetchChunk();
    } catch (e) {
      throw sqlError(e, sql);
    }
  }
}

/** The rows of a result as objects (column name → value; a repeated name suffixed as DuckDB's COPY names it). */
export function resultRows(r: SqlResult): Array<Record<string, JsValue>> {
  const rows: Array<Record<string, JsValue>> = [];
  const columns = r.columns;
  const names = copyColumnNames(r.names);
  for (let i = 0; i < r.rowCount; i++) {
    const row: Record<string, JsValue> = {};
    names.forEach((n, k) => {
      row[n] = columns[k]![i]!;
    });
    rows.push(row);
  }
  return rows;
}
