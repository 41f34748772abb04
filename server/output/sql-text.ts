/**
 * SQL results in the text formats as DuckDB writes them: every cell DuckDB's `CAST(x AS VARCHAR)` text
 * (exec/duckdb/text), and CSV as DuckDB's `COPY … TO 'f.csv'` writes it — a cell quoted (`"`, doubled inside)
 * when it is empty or holds `,`, `"`, `#`, CR or LF; NULL an empty cell. Only SQL results print so (func_adl
 * results keep their own text, `encode.ts`).
 */
import type { Batch } from '../../exec/batch/index.js';
import { columnText } from '../../exec/duckdb-text/index.js';
import type { RowSource } from './encode.js';

/** A batch's rows as a row source whose values are DuckDB's text of each cell (NULL: null). */
export function duckdbTextSource(batch: Batch): RowSource {
  const sel = batch.selection;
  const texts = batch.columns.map((c, k) => columnText(c, batch.schema.fields[k]!.type));
  return {
    names: batch.schema.fields.map((f) => f.name),
    rowCount: sel ? sel.length : batch.length,
    value: (k, r) => texts[k]!(sel ? sel[r]! : r),
  };
}

const CSV_QUOTE = /[,"#\n\r]/;

/** A CSV cell as DuckDB's CSV writer writes a value's text (null: NULL, an empty cell). */
export function duckdbCsvCell(s: string | null): string {
  if (s === null) return '';
  return s === '' || CSV_QUOTE.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function duckdbCsvHeader(names: readonly string[]): string {
  return `${names.map(duckdbCsvCell).join(',')}\n`;
}

/** The rows of a batch as DuckDB's CSV lines (no header). */
export function duckdbCsvLines(batch: Batch): string {
  const sel = batch.selection;
  const n = sel ? sel.length : batch.length;
  const cells = batch.columns.map((c, k) => {
    const text = columnText(c, batch.schema.fields[k]!.type);
    // numbers (nan, inf and 1e+20 among them) never need quotes: only NULL's empty cell
    if (c.kind === 'primitive') return (i: number) => text(i) ?? '';
    return (i: number) => duckdbCsvCell(text(i));
  });
  let out = '';
  for (let r = 0; r < n; r++) {
    const i = sel ? sel[r]! : r;
    let line = cells.length > 0 ? cells[0]!(i) : '';
    for (let c = 1; c < cells.length; c++) line += `,${cells[c]!(i)}`;
    out += `${line}\n`;
  }
  return out;
}
