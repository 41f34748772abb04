/**
 * SQL results written out: an aligned text table, JSON, JSON lines, CSV, Arrow IPC stream or Parquet — through
 * the one encoder module (server/output/encode.ts). Only the DuckDB types → Arrow types mapping is here: a
 * SQL result keeps NULLs, decimals and dates that a `Batch` (no validity) cannot carry, so its rows reach the
 * text encoders as a row source and its Arrow table is built from the DuckDB types.
 */

import { Readable } from 'node:stream';
import { type DuckDBType, DuckDBTypeId } from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import { type JsValue, toJsonSafe } from '../../exec/batch/index.js';
import type { SqlChunk, SqlResult } from '../../exec/duckdb/index.js';
import {
  csvHeader,
  csvLines,
  encodeArrowTable,
  encodeText,
  jsonRows,
  type RowSource,
  tableText,
} from '../output/encode.js';

export type SqlFormat = 'table' | 'json' | 'jsonl' | 'csv' | 'arrow' | 'parquet';
export const SQL_FORMATS: readonly SqlFormat[] = ['table', 'json', 'jsonl', 'csv', 'arrow', 'parquet'];

function arrowType(t: DuckDBType): arrow.DataType {
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return new arrow.Bool();
    case DuckDBTypeId.TINYINT:
      return new arrow.Int8();
    case DuckDBTypeId.SMALLINT:
      return new arrow.Int16();
    case DuckDBTypeId.INTEGER:
      return new arrow.Int32();
    case DuckDBTypeId.BIGINT:
      return new arrow.Int64();
    case DuckDBTypeId.UTINYINT:
      return new arrow.Uint8();
    case DuckDBTypeId.USMALLINT:
      return new arrow.Uint16();
    case DuckDBTypeId.UINTEGER:
      return new arrow.Uint32();
    case DuckDBTypeId.UBIGINT:
      return new arrow.Uint64();
    case DuckDBTypeId.FLOAT:
      return new arrow.Float32();
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.DECIMAL:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return new arrow.Float64();
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return new arrow.List(new arrow.Field('item', arrowType(t.valueType), true));
    case DuckDBTypeId.STRUCT:
      return new arrow.Struct(
        t.entryNames.map((n, k) => new arrow.Field(n, arrowType(t.entryTypes[k]!), true)),
      );
    default:
      return new arrow.Utf8();
  }
}

/** Values shaped for an Arrow builder of `arrowType(t)` (wide integers to numbers, others to strings). */
function forArrow(v: JsValue, t: DuckDBType): unknown {
  if (v === null) return null;
  switch (t.typeId) {
    case DuckDBTypeId.DECIMAL:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return Number(v);
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return (v as JsValue[]).map((x) => forArrow(x, t.valueType));
    case DuckDBTypeId.STRUCT: {
      const o = v as { [k: string]: JsValue };
      return Object.fromEntries(t.entryNames.map((n, k) => [n, forArrow(o[n] ?? null, t.entryTypes[k]!)]));
    }
    default: {
      const at = arrowType(t);
      if (at instanceof arrow.Utf8 && typeof v !== 'string')
        return typeof v === 'object' ? JSON.stringify(toJsonSafe(v)) : String(v);
      return v;
    }
  }
}

export function resultToArrow(r: SqlResult): arrow.Table {
  const vectors: Record<string, arrow.Vector> = {};
  r.names.forEach((name, k) => {
    const t = r.types[k]!;
    vectors[name] = arrow.vectorFromArray(
      r.columns[k]!.map((v) => forArrow(v, t)),
      arrowType(t),
    ) as arrow.Vector;
  });
  return new arrow.Table(vectors);
}

/** A SQL result (or one chunk of it) as rows for the text encoders. */
function sqlRows(names: readonly string[], columns: readonly JsValue[][], rowCount: number): RowSource {
  return { names, rowCount, value: (k, r) => columns[k]![r]! };
}

export async function encodeResult(r: SqlResult, format: SqlFormat): Promise<string | Uint8Array> {
  switch (format) {
    case 'table':
      return tableText(sqlRows(r.names, r.columns, r.rowCount));
    case 'json':
    case 'jsonl':
    case 'csv':
      return encodeText(sqlRows(r.names, r.columns, r.rowCount), format);
    case 'arrow':
    case 'parquet':
      return encodeArrowTable(resultToArrow(r), format);
  }
}

/** The rows of a chunk stream as a byte stream in a streamable format (every format but parquet and table). */
export function encodeChunks(
  names: readonly string[],
  types: SqlResult['types'],
  chunks: AsyncIterable<SqlChunk>,
  format: Exclude<SqlFormat, 'parquet' | 'table'>,
): Readable {
  if (format === 'arrow') {
    // The writer is read as it is written: each chunk's record batches go out before the next chunk is read.
    const writer = new arrow.RecordBatchStreamWriter();
    (async () => {
      try {
        for await (const c of chunks)
          for (const batch of resultToArrow({ names, types, columns: c.columns, rowCount: c.rowCount })
            .batches)
            writer.write(batch);
        writer.finish();
      } catch (e) {
        writer.abort(e);
      }
    })();
    return Readable.from(writer as unknown as AsyncIterable<Uint8Array>, { objectMode: false });
  }
  return Readable.from(
    (async function* () {
      let first = true;
      if (format === 'csv') yield csvHeader(names);
      if (format === 'json') yield '[';
      for await (const c of chunks) {
        const rows = sqlRows(names, c.columns, c.rowCount);
        if (format === 'csv') yield csvLines(rows);
        else {
          const lines = jsonRows(rows);
          if (format === 'jsonl') yield lines.map((r) => `${r}\n`).join('');
          else {
            if (lines.length) yield (first ? '' : ',') + lines.join(',');
            first &&= lines.length === 0;
          }
        }
      }
      if (format === 'json') yield ']\n';
    })(),
  );
}
