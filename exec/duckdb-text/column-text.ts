/**
 * Columns of a SQL result as DuckDB's text: row by row, what `CAST(x AS VARCHAR)` gives for each value,
 * nested values included (`[1, 2]`, `{'a': 1, 'b': x}`, `{1=a}`, strings inside quoted where DuckDB quotes
 * them). The column types are those exec/duckdb gives a result (`result-batch.ts`): float32 is FLOAT, float64
 * DOUBLE, utf8 DuckDB's own text of any other scalar (`sql: { type: 'json' }` marks JSON, which DuckDB never
 * quotes inside a nested value), MAP and UNION boxed objects carrying their text (`DUCKDB_TEXT`).
 */
import {
  type Column,
  columnType,
  type DataType,
  isValid,
  type JsValue,
  toJsonSafe,
  validityOf,
} from '../batch/index.js';
import { doubleText, floatText } from './float-text.js';

/** Where exec/duckdb keeps DuckDB's text of a MAP or UNION value, on the object that holds it (not enumerable). */
export const DUCKDB_TEXT: unique symbol = Symbol.for('hepq.duckdbText');

/** A boxed object with its DuckDB text attached. */
export function withDuckdbText<T extends object>(value: T, text: string): T {
  Object.defineProperty(value, DUCKDB_TEXT, { value: text, enumerable: false });
  return value;
}

/** Characters that make DuckDB quote a string inside a nested value. */
const SPECIAL = /["'(),:=[\]{}]/;
/** C's isspace. */
const SPACE = /^[\t\n\v\f\r ]/;
const TRAILING_SPACE = /[\t\n\v\f\r ]$/;

/**
 * A string as DuckDB writes it inside a LIST, STRUCT or MAP: quoted (`'…'`, with `'` and `\` escaped by a
 * backslash) when it is empty, starts or ends with white space, reads `null` in any case, or holds one of
 * `"'(),:=[]{}`; otherwise as it is.
 */
export function nestedString(s: string): string {
  if (
    s.length > 0 &&
    !SPECIAL.test(s) &&
    !SPACE.test(s) &&
    !(s.length >= 2 && TRAILING_SPACE.test(s)) &&
    !(s.length === 4 && s.toLowerCase() === 'null')
  )
    return s;
  return `'${s.replace(/['\\]/g, '\\$&')}'`;
}

/** A STRUCT field name as DuckDB writes it: always quoted, `'` and `\` escaped. */
export const structKey = (name: string) => `'${name.replace(/['\\]/g, '\\$&')}'`;

type Text = (i: number) => string | null;

const decoder = new TextDecoder();

function primitiveText(c: Column & { kind: 'primitive' }): Text {
  const v = c.values;
  switch (c.type) {
    case 'float32':
      return (i) => floatText(v[i] as number);
    case 'float64':
      return (i) => doubleText(v[i] as number);
    case 'bool':
      return (i) => (v[i] ? 'true' : 'false');
    default:
      return (i) => String(v[i]);
  }
}

/** DuckDB's text of a boxed value: bigints as digits, MAP/UNION objects their attached text. */
function boxedText(v: JsValue): string {
  if (typeof v === 'bigint' || typeof v === 'string') return String(v);
  if (typeof v === 'number') return doubleText(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const text = (v as { [DUCKDB_TEXT]?: string })[DUCKDB_TEXT];
  return text ?? JSON.stringify(toJsonSafe(v));
}

/**
 * Whether a column's values are quoted inside nested values: DuckDB's text of a scalar (not of JSON, whose
 * text is JSON; numbers never need it; boxed MAP and UNION values are nested, wide integers digits).
 */
const quotedInside = (t: DataType, c: Column) =>
  c.kind === 'utf8' && t.kind === 'utf8' && t.sql?.type !== 'json';

/**
 * DuckDB's text of each row of a column of type `t` (null for NULL); `nested`: as an element of a list,
 * struct or map (NULL as `NULL`, strings quoted as DuckDB quotes them there).
 */
export function columnText(c: Column, t: DataType, nested = false): Text {
  const valid = validityOf(c);
  const inner = valueText(c, t);
  const quote = nested && quotedInside(t, c);
  const base: Text = quote
    ? (i) => {
        const s = inner(i);
        return s === null ? null : nestedString(s);
      }
    : inner;
  if (!nested) return valid ? (i) => (isValid(valid, i) ? base(i) : null) : base;
  return valid ? (i) => (isValid(valid, i) ? (base(i) ?? 'NULL') : 'NULL') : (i) => base(i) ?? 'NULL';
}

function valueText(c: Column, t: DataType): Text {
  switch (c.kind) {
    case 'primitive':
      return primitiveText(c);
    case 'utf8':
      return (i) => decoder.decode(c.bytes.subarray(c.offsets[i]!, c.offsets[i + 1]!));
    case 'boxed':
      return (i) => {
        const v = c.values[i]!;
        return v === null ? null : boxedText(v);
      };
    case 'constant': {
      const v = c.value;
      const float = t.kind === 'primitive' && (t.type === 'float32' || t.type === 'float64');
      const s =
        v === null
          ? null
          : typeof v === 'number' && float
            ? (t.type === 'float32' ? floatText : doubleText)(v)
            : String(v);
      return () => s;
    }
    case 'list': {
      const item = t.kind === 'list' || t.kind === 'fixed-list' ? t.item : undefined;
      const child = columnText(c.child, item ?? columnType(c.child), true);
      const off = c.offsets;
      return (i) => {
        let s = '[';
        for (let j = off[i]!; j < off[i + 1]!; j++) s += (j > off[i]! ? ', ' : '') + child(j);
        return `${s}]`;
      };
    }
    case 'fixed-list': {
      const item = t.kind === 'list' || t.kind === 'fixed-list' ? t.item : undefined;
      const child = columnText(c.child, item ?? columnType(c.child), true);
      const n = c.size;
      return (i) => {
        let s = '[';
        for (let j = i * n; j < (i + 1) * n; j++) s += (j > i * n ? ', ' : '') + child(j);
        return `${s}]`;
      };
    }
    case 'struct': {
      const fields = t.kind === 'struct' ? t.fields : undefined;
      const keys = c.names.map(structKey);
      const children = c.children.map((ch, k) => columnText(ch, fields?.[k]?.type ?? columnType(ch), true));
      return (i) => `{${children.map((ch, k) => `${keys[k]}: ${ch(i)}`).join(', ')}}`;
    }
  }
}
