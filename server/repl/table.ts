/** Query results as text: an aligned table that fits the terminal (jagged values shortened), JSON, or CSV. */
import type { JsValue } from '../../exec/batch/index.js';
import { copyColumnNames, type SqlResult } from '../../exec/duckdb/index.js';
import { columnText } from '../../exec/duckdb-text/index.js';

export type OutputFormat = 'table' | 'json' | 'csv';

/** A number as a table shows it: integers as they are, others to 6 significant digits. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e7 || a < 1e-4)) return v.toExponential(4);
  return String(Number(v.toPrecision(6)));
}

/** A value in one table cell: lists shortened to their first few items and their length, records as {k: v}. */
export function formatCell(v: JsValue | undefined, budget = 40): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const parts: string[] = [];
    let used = 2;
    for (let i = 0; i < v.length; i++) {
      const s = formatCell(v[i], Math.max(8, budget >> 1));
      // room for the "… +N" that would follow if this were not the last item
      const reserve = i === v.length - 1 ? 0 : `… +${v.length - i - 1}`.length + 2;
      if (i > 0 && used + s.length + reserve > budget) {
        parts.push(`… +${v.length - i}`);
        break;
      }
      parts.push(s);
      used += s.length + 2;
    }
    return `[${parts.join(', ')}]`;
  }
  const inner = Object.entries(v).map(([k, x]) => `${k}: ${formatCell(x, Math.max(8, budget >> 1))}`);
  return `{${inner.join(', ')}}`;
}

export type RowShape = 'value' | 'dict' | 'tuple';

/** Column names and cell values of JSON rows (records keep their keys, tuples become col1… as the query result names them, bare values 'value'). */
export function tabulate(
  rows: readonly JsValue[],
  shape?: RowShape,
): { names: string[]; cells: (JsValue | undefined)[][] } {
  const first = rows[0];
  const isRecord = first !== null && typeof first === 'object' && !Array.isArray(first);
  if (shape === 'dict' || (shape === undefined && isRecord)) {
    const names = isRecord ? Object.keys(first) : [];
    return { names, cells: rows.map((r) => names.map((n) => (r as { [k: string]: JsValue })[n])) };
  }
  if (shape === 'tuple') {
    const names = Array.isArray(first) ? first.map((_, i) => `col${i + 1}`) : [];
    return { names, cells: rows.map((r) => names.map((_, i) => (r as JsValue[])[i])) };
  }
  return { names: ['value'], cells: rows.map((r) => [r]) };
}

const truncate = (s: string, w: number) => (s.length <= w ? s : w <= 1 ? '…' : `${s.slice(0, w - 1)}…`);

/**
 * An aligned table of at most `maxRows` rows, its width shrunk to `width` columns by narrowing the widest
 * columns (their cells end in '…'), with a row index and a final row count. `labels`: the header's name of a row key
 * that is not its own (SQL's repeated names, which keys cannot repeat: `sqlLabels`).
 */
export function renderTable(
  rows: readonly JsValue[],
  shape?: RowShape,
  width = 100,
  maxRows = 20,
  labels?: ReadonlyMap<string, string>,
): string {
  if (rows.length === 0) return '(0 rows)\n';
  const { names: keys, cells } = tabulate(rows, shape);
  const names = labels ? keys.map((k) => labels.get(k) ?? k) : keys;
  const tail = Math.min(5, Math.floor(maxRows / 2)); // the last rows, after an ellipsis, as DuckDB's shell shows
  const shown =
    rows.length > maxRows ? [...cells.slice(0, maxRows - tail), ...cells.slice(rows.length - tail)] : cells;
  const shownIdx =
    rows.length > maxRows
      ? [...range(0, maxRows - tail), ...range(rows.length - tail, rows.length)]
      : range(0, rows.length);
  const text = shown.map((r) => r.map((c) => formatCell(c)));
  const numeric = names.map((_, j) =>
    shown.every((r) => typeof r[j] === 'number' || typeof r[j] === 'bigint'),
  );
  const idxW = String(rows.length - 1).length;
  const widths = names.map((n, j) => Math.max(n.length, ...text.map((r) => r[j]!.length)));
  const sep = 3;
  const total = () => idxW + sep + widths.reduce((a, w) => a + w + sep, -sep);
  while (total() > width) {
    let k = 0;
    for (let j = 1; j < widths.length; j++) if (widths[j]! > widths[k]!) k = j;
    if (widths[k]! <= 6) break;
    widths[k] = Math.max(6, widths[k]! - (total() - width));
  }
  const pad = (s: string, j: number) => {
    const t = truncate(s, widths[j]!);
    return numeric[j] ? t.padStart(widths[j]!) : t.padEnd(widths[j]!);
  };
  const lines: string[] = [];
  lines.push(`${' '.repeat(idxW)}   ${names.map((n, j) => pad(n, j)).join('   ')}`.trimEnd());
  lines.push(`${'─'.repeat(idxW)}   ${widths.map((w) => '─'.repeat(w)).join('   ')}`);
  text.forEach((r, k) => {
    if (rows.length > maxRows && k === maxRows - tail)
      lines.push(
        `${'⋮'.padStart(idxW)}   ${widths.map((w) => '⋮'.padStart(Math.ceil(w / 2)).padEnd(w)).join('   ')}`.trimEnd(),
      );
    lines.push(`${String(shownIdx[k]).padStart(idxW)}   ${r.map((c, j) => pad(c, j)).join('   ')}`.trimEnd());
  });
  lines.push(
    `(${rows.length} row${rows.length === 1 ? '' : 's'}${names.length > 1 ? `, ${names.length} columns` : ''})`,
  );
  return `${lines.join('\n')}\n`;
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, i) => a + i);
}

const csvField = (v: JsValue | undefined): string => {
  const s =
    v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v, bigintJson) : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

function bigintJson(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? Number(v) : v;
}

/** Rows as CSV with a header (nested values as JSON text). */
export function renderCsv(rows: readonly JsValue[], shape?: RowShape): string {
  const { names, cells } = tabulate(rows, shape);
  return `${[names.join(','), ...cells.map((r) => r.map(csvField).join(','))].join('\n')}\n`;
}

/** Any result value as indented JSON. */
export function renderJson(v: unknown): string {
  return `${JSON.stringify(v, bigintJson, 1)}\n`;
}

/**
 * A SQL result's rows as objects: `json`, the JSON values; otherwise each cell DuckDB's text of it
 * (`CAST(x AS VARCHAR)`, NULL as `NULL`), as `hepq sql` prints it. A repeated column name is keyed as DuckDB's
 * `COPY … TO` names it (`a, a` → `a`, `a_1`), so no column is lost.
 */
export function sqlRows(r: SqlResult, json: boolean): JsValue[] {
  const texts = json
    ? undefined
    : r.batch.columns.map((c, k) => columnText(c, r.batch.schema.fields[k]!.type));
  const names = copyColumnNames(r.names);
  const rows: JsValue[] = [];
  for (let i = 0; i < r.rowCount; i++)
    rows.push(
      Object.fromEntries(names.map((n, k) => [n, texts ? (texts[k]!(i) ?? 'NULL') : r.columns[k]![i]!])),
    );
  return rows;
}

/** The table header's names of `sqlRows`' renamed keys: DuckDB's own names, as its shell prints them. */
export function sqlLabels(r: SqlResult): ReadonlyMap<string, string> | undefined {
  const names = copyColumnNames(r.names);
  if (names === r.names) return undefined;
  return new Map(names.map((n, k) => [n, r.names[k]!]));
}
