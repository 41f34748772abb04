/**
 * DuckDB values (node-api's value objects) as hepq gives them: numbers as JS numbers (64-bit and wider
 * integers as bigints), lists as arrays, structs as objects, MAP and UNION as `to_json` writes them, every other
 * scalar as DuckDB's own text (`sqlValue`) — and DuckDB's `CAST(x AS VARCHAR)` text of any value (`duckText`),
 * which MAP and UNION values carry for the text formats.
 */
import { type DuckDBType, DuckDBTypeId, type DuckDBValue, JSDuckDBValueConverter } from '@duckdb/node-api';
import type { JsValue, PrimitiveType } from '../batch/index.js';
import { doubleText, floatText, nestedString, structKey, withDuckdbText } from '../duckdb-text/index.js';

/** DuckDB's fixed-width number types and the typed arrays that hold them. */
export const FLAT: Partial<Record<DuckDBTypeId, PrimitiveType>> = {
  [DuckDBTypeId.BOOLEAN]: 'bool',
  [DuckDBTypeId.TINYINT]: 'int8',
  [DuckDBTypeId.SMALLINT]: 'int16',
  [DuckDBTypeId.INTEGER]: 'int32',
  [DuckDBTypeId.BIGINT]: 'int64',
  [DuckDBTypeId.UTINYINT]: 'uint8',
  [DuckDBTypeId.USMALLINT]: 'uint16',
  [DuckDBTypeId.UINTEGER]: 'uint32',
  [DuckDBTypeId.UBIGINT]: 'uint64',
  [DuckDBTypeId.FLOAT]: 'float32',
  [DuckDBTypeId.DOUBLE]: 'float64',
};

/** Exact integers wider than 64 bits: bigint values (boxed; Arrow: their decimal text). */
export const WIDE = new Set<DuckDBTypeId>([DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT, DuckDBTypeId.BIGNUM]);

/** DATE's ±infinity (node-api prints them as the dates they are stored as). */
const DATE_INFINITY = 2 ** 31 - 1;
/** The timestamps' ±infinity, in any unit. */
const TIMESTAMP_INFINITY = 2n ** 63n - 1n;

/** node-api prints the year 1 BC as 0000; DuckDB as 0001 (BC). */
const yearOneBC = (text: string) =>
  text.startsWith('0000-') ? `0001-${text.slice(5, 10)} (BC)${text.slice(10)}` : text;

/** DuckDB's text of a BLOB: printable ASCII but \ " ' as itself, every other byte as \xHH. */
function blobText(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes)
    out +=
      b >= 0x20 && b <= 0x7e && b !== 0x5c && b !== 0x22 && b !== 0x27
        ? String.fromCharCode(b)
        : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

/**
 * A DuckDB value as hepq gives it: numbers as JS numbers (64-bit integers and wider as bigint), lists as
 * arrays, structs as objects, MAP as {key text: value}, UNION as {tag: value} (as to_json writes them), every
 * other scalar as DuckDB's text.
 */
export function sqlValue(x: DuckDBValue, t: DuckDBType): JsValue {
  if (x === null) return null;
  switch (t.typeId) {
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return (x as { items: DuckDBValue[] }).items.map((v) => sqlValue(v, t.valueType));
    case DuckDBTypeId.STRUCT: {
      const entries = (x as { entries: { [k: string]: DuckDBValue } }).entries;
      const out: { [k: string]: JsValue } = {};
      t.entryNames.forEach((name, k) => {
        out[name] = sqlValue(entries[name] ?? null, t.entryTypes[k]!);
      });
      return out;
    }
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return x as bigint;
    case DuckDBTypeId.DATE: {
      const days = (x as { days: number }).days;
      return Math.abs(days) === DATE_INFINITY ? (days > 0 ? 'infinity' : '-infinity') : yearOneBC(String(x));
    }
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ: {
      // ±infinity are the int64 extremes in every unit (node-api prints TIMESTAMP_S/MS/NS's as far dates)
      const v = x as { seconds?: bigint; millis?: bigint; micros?: bigint; nanos?: bigint };
      const n = v.seconds ?? v.millis ?? v.micros ?? v.nanos;
      if (n === TIMESTAMP_INFINITY || n === -TIMESTAMP_INFINITY) return n > 0n ? 'infinity' : '-infinity';
      return yearOneBC(String(x));
    }
    case DuckDBTypeId.BLOB:
      return blobText((x as { bytes: Uint8Array }).bytes);
    case DuckDBTypeId.MAP: {
      // as to_json writes a map: an object keyed by the keys' text; DuckDB's own text of it attached
      const out: { [k: string]: JsValue } = {};
      for (const e of (x as { entries: { key: DuckDBValue; value: DuckDBValue }[] }).entries)
        out[duckText(e.key, t.keyType, false) ?? 'NULL'] = sqlValue(e.value, t.valueType);
      return withDuckdbText(out, duckText(x, t, false)!);
    }
    case DuckDBTypeId.UNION: {
      // as to_json writes a union: { tag: value }
      const u = x as { tag: string; value: DuckDBValue };
      const out = { [u.tag]: sqlValue(u.value, t.memberTypes[t.tagMemberIndexes[u.tag]!]!) };
      return withDuckdbText(out, duckText(x, t, false) ?? 'NULL');
    }
  }
  if (FLAT[t.typeId]) return JSDuckDBValueConverter(x, t, JSDuckDBValueConverter) as JsValue;
  return String(x);
}

/**
 * DuckDB's text of a value (`CAST(x AS VARCHAR)`; null for NULL at the top). `nested`: as an element of a
 * list, struct or map, where NULL is `NULL` and scalar text is quoted as DuckDB quotes it (JSON and UNION
 * values, whose text is their member's, are not).
 */
export function duckText(x: DuckDBValue, t: DuckDBType, nested: boolean): string | null {
  if (x === null) return nested ? 'NULL' : null;
  switch (t.typeId) {
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return `[${(x as { items: DuckDBValue[] }).items.map((v) => duckText(v, t.valueType, true)).join(', ')}]`;
    case DuckDBTypeId.STRUCT: {
      const entries = (x as { entries: { [k: string]: DuckDBValue } }).entries;
      const parts = t.entryNames.map(
        (name, k) => `${structKey(name)}: ${duckText(entries[name] ?? null, t.entryTypes[k]!, true)}`,
      );
      return `{${parts.join(', ')}}`;
    }
    case DuckDBTypeId.MAP: {
      const entries = (x as { entries: { key: DuckDBValue; value: DuckDBValue }[] }).entries;
      const parts = entries.map(
        (e) => `${duckText(e.key, t.keyType, true)}=${duckText(e.value, t.valueType, true)}`,
      );
      return `{${parts.join(', ')}}`;
    }
    case DuckDBTypeId.UNION: {
      const u = x as { tag: string; value: DuckDBValue };
      return duckText(u.value, t.memberTypes[t.tagMemberIndexes[u.tag]!]!, false) ?? 'NULL';
    }
    case DuckDBTypeId.FLOAT:
      return floatText(x as number);
    case DuckDBTypeId.DOUBLE:
      return doubleText(x as number);
  }
  if (FLAT[t.typeId] || WIDE.has(t.typeId)) return String(x);
  const text = t.typeId === DuckDBTypeId.VARCHAR ? (x as string) : (sqlValue(x, t) as string);
  return nested && t.alias !== 'JSON' ? nestedString(text) : text;
}
