/**
 * Every output encoding in one place, over `Batch`: text (jsonl, json, csv, the aligned table; NULLs from
 * validity bitmaps), Arrow IPC, Parquet and ROOT, whole or streamed batch by batch. The CLI (`query`, `dump`,
 * `sql`), HTTP (`/query`, `/sql`), SQL results (batches since exec/duckdb converts them), the file writers and
 * the ServiceX transformer all encode through here. A query's rows become one batch
 * with `resultBatch` (selections applied, batches concatenated) — the one place rows are joined.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import * as arrow from 'apache-arrow';
import {
  type Batch,
  batchToArrow,
  concatColumns,
  type DataType,
  emptyColumn,
  HepqError,
  type JsValue,
  normalizeOffsets,
  type Schema,
  toArrowType,
  toJsonSafe,
  valueAt,
} from '../../exec/batch/index.js';
import { takeRows } from '../../exec/index.js';
import { textBatch } from '../cli/float32-text.js';
import { widenUnsigned } from './columns.js';
import { hasSqlJson, jsonText, nestedDecimalText } from './sql-json.js';
import { duckdbCsvHeader, duckdbCsvLines, duckdbTextSource } from './sql-text.js';

/** The formats of batches (`hepq dump`, `hepq query`, HTTP `/query`). */
export type DumpFormat = 'jsonl' | 'json' | 'csv' | 'arrow' | 'parquet' | 'root';
export type TextFormat = 'jsonl' | 'json' | 'csv';

/** Rows to encode as text: column names, and the value of (column, row); NULL is null. */
export interface RowSource {
  readonly names: readonly string[];
  readonly rowCount: number;
  value(column: number, row: number): JsValue;
  /** The columns' types, when known (JSON writes SQL decimals as numbers where a double keeps their digits). */
  readonly types?: readonly DataType[];
}

/** A batch's rows (its selection applied) as a row source. */
export function batchRowSource(batch: Batch): RowSource {
  const sel = batch.selection;
  return {
    names: batch.schema.fields.map((f) => f.name),
    rowCount: sel ? sel.length : batch.length,
    value: (k, r) => valueAt(batch.columns[k]!, sel ? sel[r]! : r),
    types: batch.schema.fields.map((f) => f.type),
  };
}

/**
 * A CSV cell: NULL empty; otherwise the JSON-safe value — a string (also NaN, ±Infinity and a 64-bit integer
 * beyond 2⁵³) as it is, anything else as JSON; quoted when it holds `"`, `,`, CR or LF.
 */
export function csvCell(v: JsValue, type?: DataType): string {
  if (v === null) return '';
  const j = toJsonSafe(v);
  const s = nestedDecimalText(v, type) ?? (typeof j === 'string' ? j : JSON.stringify(j));
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvHeader(names: readonly string[]): string {
  return `${names.map((n) => csvCell(n)).join(',')}\n`;
}

/** The rows as CSV lines (no header). */
export function csvLines(src: RowSource): string {
  let out = '';
  for (let r = 0; r < src.rowCount; r++)
    out += `${src.names.map((_, k) => csvCell(src.value(k, r), src.types?.[k])).join(',')}\n`;
  return out;
}

/**
 * Each row as a JSON object text (values JSON-safe: 64-bit integers as numbers or strings; a SQL DECIMAL as
 * DuckDB's own number text where a double keeps its digits, as a string of that text otherwise).
 */
export function jsonRows(src: RowSource): string[] {
  const out: string[] = [];
  const types = src.types?.some(hasSqlJson) ? src.types : undefined;
  for (let r = 0; r < src.rowCount; r++) {
    if (types) {
      const row: Record<string, string> = {};
      src.names.forEach((n, k) => {
        row[n] = jsonText(src.value(k, r), types[k]!);
      });
      out.push(
        `{${Object.entries(row)
          .map(([n, v]) => `${JSON.stringify(n)}:${v}`)
          .join(',')}}`,
      );
      continue;
    }
    const row: Record<string, unknown> = {};
    src.names.forEach((n, k) => {
      row[n] = toJsonSafe(src.value(k, r));
    });
    out.push(JSON.stringify(row));
  }
  return out;
}

/** jsonl (a row per line), json (one array) or csv (with a header line). */
export function encodeText(src: RowSource, format: TextFormat): string {
  switch (format) {
    case 'jsonl':
      return jsonRows(src)
        .map((r) => `${r}\n`)
        .join('');
    case 'json':
      return `[${jsonRows(src).join(',')}]\n`;
    case 'csv':
      return csvHeader(src.names) + csvLines(src);
  }
}

/**
 * An aligned text table (`│` between columns, NULL shown, cells cut at 60 characters) and the row count; text as
 * it is, bigints as their digits, nested values as JSON (SQL decimals in them as their digits).
 */
export function tableText(src: RowSource): string {
  const show = (v: JsValue, t?: DataType) =>
    v === null
      ? 'NULL'
      : typeof v === 'string' || typeof v === 'bigint'
        ? String(v)
        : (nestedDecimalText(v, t) ?? JSON.stringify(toJsonSafe(v)));
  const cells = src.names.map((_, k) =>
    Array.from({ length: src.rowCount }, (_, r) => show(src.value(k, r), src.types?.[k])),
  );
  // a loop, not Math.max(...cells): a spread of a million cells overflows the stack
  const widths = src.names.map((n, k) => {
    let w = n.length;
    for (const c of cells[k]!) if (c.length > w) w = c.length;
    return Math.min(60, w);
  });
  const pad = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
  const lines = [
    src.names.map((n, k) => pad(n, widths[k]!)).join(' │ '),
    widths.map((w) => '─'.repeat(w)).join('─┼─'),
  ];
  for (let r = 0; r < src.rowCount; r++)
    lines.push(src.names.map((_, k) => pad(cells[k]![r]!, widths[k]!)).join(' │ '));
  lines.push(`(${src.rowCount} row${src.rowCount === 1 ? '' : 's'})`);
  return `${lines.map((l) => l.trimEnd()).join('\n')}\n`;
}

/** A batch with its selection applied (the kept rows taken into new columns). */
export function selectedBatch(b: Batch): Batch {
  if (!b.selection) return b;
  const rows = b.selection;
  return { schema: b.schema, columns: b.columns.map((c) => takeRows(c, rows)), length: rows.length };
}

/** Rows of a query result as one batch: selections applied, batches concatenated in order (none: no rows). */
export function resultBatch(schema: Schema, batches: readonly Batch[]): Batch {
  if (batches.length === 0)
    return { schema, columns: schema.fields.map((f) => emptyColumn(f.type)), length: 0 };
  const plain = batches.map(selectedBatch);
  if (plain.length === 1) return { ...plain[0]!, schema };
  const columns = schema.fields.map((_, k) => concatColumns(plain.map((b) => b.columns[k]!)));
  return { schema, columns, length: plain.reduce((n, b) => n + b.length, 0) };
}

/**
 * A batch as an Arrow table (offsets rebased; uint32/uint64 widened to int64 when asked; SQL results' typed text
 * as its DuckDB type, exec/batch `sql-arrow.ts`, TIMESTAMP_S in milliseconds for `parquet`).
 */
export function batchArrowTable(
  batch: Batch,
  options: { readonly widenUnsigned?: boolean; readonly parquet?: boolean } = {},
): arrow.Table {
  const b = options.widenUnsigned ? widenUnsigned(batch) : batch;
  return batchToArrow({ ...b, columns: b.columns.map(normalizeOffsets) }, { parquet: options.parquet });
}

/** Batches as one Arrow table of one record batch each (selections applied; no batches: an empty table). */
export function batchesArrowTable(schema: Schema, batches: readonly Batch[]): arrow.Table {
  const tables = batches.map((b) => batchArrowTable(b));
  if (tables.length === 0) {
    const fields = schema.fields.map((f) => new arrow.Field(f.name, toArrowType(f.type), true));
    return new arrow.Table(new arrow.Schema(fields));
  }
  return tables.length === 1 ? tables[0]! : tables[0]!.concat(...tables.slice(1));
}

export interface ArrowEncodeOptions {
  /** Parquet page compression (default: parquet-wasm's own default). */
  readonly compression?: 'zstd';
}

/**
 * Parquet has no record without fields (a ROOT collection of classes that are only TObjects, J-PET's
 * `fMCDecayTrees`, reads as a list of such records): refused up front, naming the column, rather than failing
 * inside the encoder. Undefined when the schema can be written.
 */
export function parquetRefusal(schema: arrow.Schema, where?: string): HepqError | undefined {
  const empty = (t: arrow.DataType, path: string): string | undefined => {
    if (arrow.DataType.isStruct(t) && t.children.length === 0) return path;
    for (const c of t.children ?? []) {
      const found = empty(c.type, arrow.DataType.isStruct(t) ? `${path}.${c.name}` : path);
      if (found) return found;
    }
    return undefined;
  };
  for (const f of schema.fields) {
    const path = empty(f.type, f.name);
    if (path)
      return new HepqError(
        'output/unsupported',
        `column '${path}' holds records without fields, which Parquet cannot store`,
        {
          ...(where ? { location: { file: where } } : {}),
          hint: 'leave that column out, or write arrow or jsonl, which keep it',
        },
      );
  }
  return undefined;
}

/** An Arrow table as Arrow IPC stream bytes or a Parquet file (nested lists and structs kept). */
export async function encodeArrowTable(
  table: arrow.Table,
  format: 'arrow' | 'parquet',
  options: ArrowEncodeOptions = {},
): Promise<Uint8Array> {
  if (format === 'parquet') {
    const refused = parquetRefusal(table.schema);
    if (refused) throw refused;
  }
  const ipc = arrow.tableToIPC(table, 'stream');
  if (format === 'arrow') return ipc;
  const pq = await import('parquet-wasm');
  const props =
    options.compression === 'zstd'
      ? new pq.WriterPropertiesBuilder().setCompression(pq.Compression.ZSTD).build()
      : undefined;
  return pq.writeParquet(pq.Table.fromIPCStream(ipc), props);
}

/** A batch as the bytes of a ROOT file with one TTree `Events` (zstd:5), through a temporary file. */
export async function encodeRoot(batch: Batch): Promise<Uint8Array> {
  const { writeRoot } = await import('../../connectors/root/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'hepq-encode-'));
  try {
    await writeRoot(join(dir, 'out.root'), [batch]);
    return new Uint8Array(readFileSync(join(dir, 'out.root')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface BatchEncodeOptions {
  /**
   * Text formats print float32 values as their shortest round-trip decimals (default); `false` prints their
   * float64 value, as SQL results always have (DuckDB's FLOAT 0.1 is 0.10000000149011612).
   */
  readonly shortestFloat32?: boolean;
  /**
   * csv and table print each value as DuckDB's `CAST(x AS VARCHAR)` and CSV as DuckDB's `COPY … TO` writes it
   * (`sql-text.ts`): SQL results. JSON formats are not affected.
   */
  readonly duckdbText?: boolean;
}

/** A batch in a dump format or the aligned `table` (NULLs as validity: null, empty CSV cells, `NULL`). */
export async function encodeBatch(
  stored: Batch,
  format: DumpFormat | 'table',
  options: BatchEncodeOptions = {},
): Promise<string | Uint8Array> {
  const text = () => batchRowSource(options.shortestFloat32 === false ? stored : textBatch(stored));
  switch (format) {
    case 'table':
      return tableText(options.duckdbText ? duckdbTextSource(stored) : text());
    case 'csv':
      if (options.duckdbText)
        return duckdbCsvHeader(stored.schema.fields.map((f) => f.name)) + duckdbCsvLines(stored);
      return encodeText(text(), format);
    case 'jsonl':
    case 'json':
      return encodeText(text(), format);
    case 'arrow':
    case 'parquet':
      return encodeArrowTable(batchArrowTable(stored, { parquet: format === 'parquet' }), format);
    case 'root':
      return encodeRoot(stored);
  }
}

/**
 * Batches as a byte stream in a streamable format, each batch encoded as it arrives (Arrow: a record batch
 * each; json: one array written piece by piece; csv: the schema's names first).
 */
export function encodeBatchStream(
  schema: Schema,
  batches: AsyncIterable<Batch>,
  format: 'jsonl' | 'json' | 'csv' | 'arrow',
  options: BatchEncodeOptions = {},
): Readable {
  if (format === 'arrow') {
    // The writer is read as it is written: each batch's record batches go out before the next is read.
    const writer = new arrow.RecordBatchStreamWriter();
    (async () => {
      try {
        for await (const b of batches) for (const rb of batchArrowTable(b).batches) writer.write(rb);
        writer.finish();
      } catch (e) {
        writer.abort(e);
      }
    })();
    return Readable.from(writer as unknown as AsyncIterable<Uint8Array>, { objectMode: false });
  }
  const names = schema.fields.map((f) => f.name);
  return Readable.from(
    (async function* () {
      let first = true;
      if (format === 'csv') yield options.duckdbText ? duckdbCsvHeader(names) : csvHeader(names);
      if (format === 'json') yield '[';
      for await (const b of batches) {
        if (format === 'csv' && options.duckdbText) {
          yield duckdbCsvLines(b);
          continue;
        }
        const rows = batchRowSource(options.shortestFloat32 === false ? b : textBatch(b));
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
