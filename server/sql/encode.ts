/** SQL results written out: an aligned text table, JSON, JSON lines, CSV, Arrow IPC stream or Parquet. */

import { Readable } from 'node:stream';
import { type DuckDBType, DuckDBTypeId } from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import { type JsValue, toJsonSafe } from '../../exec/batch/index.js';
import { resultRows, type SqlChunk, type SqlResult } from './result.js';

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

function cell(v: JsValue): string {
  if (v === null) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(toJsonSafe(v));
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function tableText(r: SqlResult): string {
  const show = (v: JsValue) =>
    v === null ? 'NULL' : typeof v === 'string' ? v : JSON.stringify(toJsonSafe(v));
  const cells = r.names.map((_, k) => r.columns[k]!.map(show));
  const widths = r.names.map((n, k) => Math.min(60, Math.max(n.length, ...cells[k]!.map((c) => c.length))));
  const pad = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
  const lines = [
    r.names.map((n, k) => pad(n, widths[k]!)).join(' │ '),
    widths.map((w) => '─'.repeat(w)).join('─┼─'),
  ];
  for (let i = 0; i < r.rowCount; i++)
    lines.push(r.names.map((_, k) => pad(cells[k]![i]!, widths[k]!)).join(' │ '));
  lines.push(`(${r.rowCount} row${r.rowCount === 1 ? '' : 's'})`);
  return `${lines.map((l) => l.trimEnd()).join('\n')}\n`;
}

export async function encodeResult(r: SqlResult, format: SqlFormat): Promise<string | Uint8Array> {
  switch (format) {
    case 'table':
      return tableText(r);
    case 'json':
      return `${JSON.stringify(resultRows(r).map((row) => toJsonSafe(row)))}\n`;
    case 'jsonl':
      return resultRows(r)
        .map((row) => `${JSON.stringify(toJsonSafe(row))}\n`)
        .join('');
    case 'csv': {
      let out = `${r.names.map((n) => cell(n)).join(',')}\n`;
      for (let i = 0; i < r.rowCount; i++)
        out += `${r.names.map((_, k) => cell(r.columns[k]![i]!)).join(',')}\n`;
      return out;
    }
    case 'arrow':
      return arrow.tableToIPC(resultToArrow(r), 'stream');
    case 'parquet': {
      const pq = await import('parquet-wasm');
      const ipc = arrow.tableToIPC(resultToArrow(r), 'stream');
      return pq.writeParquet(pq.Table.fromIPCStream(ipc));
    }
  }
}

/** The rows of a chunk stream as a byte stream in a streamable format (every format but parquet and table). */
export function encodeChunks(
  names: readonly string[],
  types: SqlResult['types'],
  chunks: AsyncIterable<SqlChunk>,
  format: Exclude<SqlFormat, 'parquet' | 'table'>,
): Readable {
  const asResult = (c: SqlChunk): SqlResult => ({ names, types, columns: c.columns, rowCount: c.rowCount });
  if (format === 'arrow') {
    // The writer is read as it is written: each chunk's record batches go out before the next chunk is read.
    const writer = new arrow.RecordBatchStreamWriter();
    (async () => {
      try {
        for await (const c of chunks)
          for (const batch of resultToArrow(asResult(c)).batches) writer.write(batch);
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
      if (format === 'csv') yield `${names.map((n) => cell(n)).join(',')}\n`;
      if (format === 'json') yield '[';
      for await (const c of chunks) {
        const rows = resultRows(asResult(c)).map((row) => JSON.stringify(toJsonSafe(row)));
        if (format === 'jsonl') yield rows.map((r) => `${r}\n`).join('');
        else if (format === 'json') {
          if (rows.length) yield (first ? '' : ',') + rows.join(',');
          first &&= rows.length === 0;
        } else {
          let out = '';
          for (let i = 0; i < c.rowCount; i++)
            out += `${names.map((_, k) => cell(c.columns[k]![i]!)).join(',')}\n`;
          yield out;
        }
      }
      if (format === 'json') yield ']\n';
    })(),
  );
}
