/**
 * SQL DECIMALs in JSON: DuckDB's `to_json` writes a decimal as a number with the decimal's own digits; hepq
 * writes that same number text where the double a JSON reader makes of it prints as the same digits (`1.23`,
 * `2.50`), and the text as a JSON string where it would not (`12345678901234567890.12`): never a rounded number.
 * A value of DuckDB's JSON type is written as the JSON value it holds (as DuckDB's `COPY … (FORMAT json)` does).
 */
import { type DataType, type JsValue, toJsonSafe } from '../../exec/batch/index.js';

/** Whether a type holds a SQL decimal (or, `json` too, JSON text) at any depth. */
export function hasSqlDecimal(t: DataType, json = false): boolean {
  switch (t.kind) {
    case 'utf8':
      return t.sql?.type === 'decimal' || (json && t.sql?.type === 'json');
    case 'list':
    case 'fixed-list':
      return hasSqlDecimal(t.item, json);
    case 'struct':
      return t.fields.some((f) => hasSqlDecimal(f.type, json));
    default:
      return false;
  }
}

/** Whether JSON output needs a type's SQL marks: decimals (as above) and JSON text (written as the JSON it is). */
export const hasSqlJson = (t: DataType) => hasSqlDecimal(t, true);

/** Whether decimal text survives a double: the double read from it prints the same digits (trailing zeros aside). */
function survivesDouble(text: string): boolean {
  const digits = text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
  return String(Number(text)) === (digits === '-0' ? '0' : digits);
}

/**
 * A value of type `t` as JSON text (decimals as above; everything else JSON-safe). `digits`: every decimal as
 * its number text (the csv and table cells of nested values, which are read, not parsed).
 */
export function jsonText(v: JsValue, t: DataType, digits = false): string {
  if (v !== null) {
    if (t.kind === 'utf8' && t.sql?.type === 'decimal' && typeof v === 'string')
      return digits || survivesDouble(v) ? v : JSON.stringify(v);
    // DuckDB's JSON type: its text is JSON (DuckDB checked it), written as that value, as DuckDB writes it
    if (t.kind === 'utf8' && t.sql?.type === 'json' && typeof v === 'string') return v;
    if ((t.kind === 'list' || t.kind === 'fixed-list') && Array.isArray(v))
      return `[${v.map((x) => jsonText(x, t.item, digits)).join(',')}]`;
    if (t.kind === 'struct' && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as { [k: string]: JsValue };
      return `{${t.fields.map((f) => `${JSON.stringify(f.name)}:${jsonText(o[f.name] ?? null, f.type, digits)}`).join(',')}}`;
    }
  }
  return JSON.stringify(toJsonSafe(v));
}

/** The text of a nested value holding decimals (csv and table cells), or undefined for any other value. */
export function nestedDecimalText(v: JsValue, t: DataType | undefined): string | undefined {
  return v !== null && typeof v === 'object' && t && t.kind !== 'utf8' && hasSqlDecimal(t)
    ? jsonText(v, t, true)
    : undefined;
}
