/**
 * SQL results' typed text in Arrow: a utf8 column whose type says it holds DuckDB's text of a DECIMAL, DATE,
 * TIME, TIMESTAMP or BLOB (`DataType.sql`, set by exec/duckdb) becomes the Arrow type DuckDB itself would give
 * (decimal128 with its precision and scale, date32, time64[us], timestamp with its unit and UTC for
 * TIMESTAMPTZ, binary), parsed from that exact text, so nothing is rounded on the way. Columns without the
 * mark (every func_adl column) are left as they are. `toArrowType` and `batchToArrow` (arrow.ts) apply it; for
 * Parquet, which has no seconds unit, TIMESTAMP_S goes in milliseconds (as DuckDB writes it).
 */
import * as arrow from 'apache-arrow';
import { HepqError } from '../core/index.js';
import type { DataType, SqlText } from './types.js';

/** Whether a type holds typed SQL text at any depth. */
export function hasSqlText(t: DataType): boolean {
  switch (t.kind) {
    case 'utf8':
      return t.sql !== undefined && t.sql.type !== 'json';
    case 'list':
    case 'fixed-list':
      return hasSqlText(t.item);
    case 'struct':
      return t.fields.some((f) => hasSqlText(f.type));
    default:
      return false;
  }
}

const UNITS = {
  s: arrow.TimeUnit.SECOND,
  ms: arrow.TimeUnit.MILLISECOND,
  us: arrow.TimeUnit.MICROSECOND,
  ns: arrow.TimeUnit.NANOSECOND,
};

/** The Arrow type of typed SQL text. */
export function sqlLeafType(s: SqlText, parquet = false): arrow.DataType {
  switch (s.type) {
    case 'decimal':
      return new arrow.Decimal(s.scale, s.precision, 128);
    case 'date':
      return new arrow.DateDay();
    case 'time':
      return new arrow.TimeMicrosecond();
    case 'timestamp':
      return new arrow.Timestamp(UNITS[parquet && s.unit === 's' ? 'ms' : s.unit], s.tz ? 'UTC' : null);
    case 'blob':
      return new arrow.Binary();
    case 'json':
      return new arrow.Utf8();
  }
}

/** Days from 1970-01-01 to a proleptic Gregorian date (astronomical year: 1 BC is 0). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const bad = (text: string, what: string) =>
  new HepqError('output/bad-sql-text', `cannot read ${JSON.stringify(text)} as DuckDB's text of a ${what}`);

const INT64_MAX = 2n ** 63n - 1n;
const DATE_MAX = 2 ** 31 - 1;
const DATE_RE = /^(\d+)-(\d\d)-(\d\d)( \(BC\))?/;
const CLOCK_RE = /^(\d\d):(\d\d):(\d\d)(?:\.(\d+))?/;

function dateDays(text: string): { days: number; rest: string } {
  const m = DATE_RE.exec(text);
  if (!m) throw bad(text, 'date');
  const year = m[4] ? 1 - Number(m[1]) : Number(m[1]);
  return { days: daysFromCivil(year, Number(m[2]), Number(m[3])), rest: text.slice(m[0].length) };
}

/** Time of day as a count of 10⁻⁹ s, and the text after it. */
function clockNanos(text: string): { nanos: bigint; rest: string } {
  const m = CLOCK_RE.exec(text);
  if (!m) throw bad(text, 'time');
  const secs = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  const frac = BigInt((m[4] ?? '').padEnd(9, '0').slice(0, 9));
  return { nanos: BigInt(secs) * 1_000_000_000n + frac, rest: text.slice(m[0].length) };
}

const PER_NANO = { s: 1_000_000_000n, ms: 1_000_000n, us: 1_000n, ns: 1n };

function timestampValue(text: string, unit: 's' | 'ms' | 'us' | 'ns'): bigint {
  if (text === 'infinity') return INT64_MAX;
  if (text === '-infinity') return -INT64_MAX;
  const { days, rest } = dateDays(text);
  if (rest[0] !== ' ') throw bad(text, 'timestamp');
  const { nanos, rest: zone } = clockNanos(rest.slice(1));
  let offset = 0n;
  if (zone) {
    const z = /^([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?$/.exec(zone);
    if (!z) throw bad(text, 'timestamp');
    const secs = BigInt(Number(z[2]) * 3600 + Number(z[3] ?? 0) * 60 + Number(z[4] ?? 0));
    offset = (z[1] === '-' ? -secs : secs) * 1_000_000_000n;
  }
  return (BigInt(days) * 86_400_000_000_000n + nanos - offset) / PER_NANO[unit];
}

function decimalValue(text: string, scale: number): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m || (m[3] ?? '').length > scale) throw bad(text, 'decimal');
  const v = BigInt(m[2]! + (m[3] ?? '').padEnd(scale, '0'));
  return m[1] ? -v : v;
}

/** DuckDB's BLOB text: printable ASCII as itself, every other byte (and \ " ') as \xHH. */
function blobBytes(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && text[i + 1] === 'x') {
      out.push(Number.parseInt(text.slice(i + 2, i + 4), 16));
      i += 3;
    } else out.push(text.charCodeAt(i));
  }
  return out;
}

/** A utf8 Data of typed SQL text as the Arrow type of that SQL type (NULLs kept). */
function leafData(d: arrow.Data, s: SqlText, parquet: boolean): arrow.Data {
  if (s.type === 'json') return d;
  const type = sqlLeafType(s, parquet);
  const n = d.length;
  const strings = arrow.makeVector(d as arrow.Data<arrow.Utf8>);
  const nullBitmap = d.nullCount > 0 ? d.nullBitmap : undefined;
  const text = (i: number): string | null => strings.get(i);
  if (s.type === 'blob') {
    const offsets = new Int32Array(n + 1);
    const bytes: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = text(i);
      if (t !== null) bytes.push(...blobBytes(t));
      offsets[i + 1] = bytes.length;
    }
    return arrow.makeData({
      type: type as arrow.Binary,
      length: n,
      valueOffsets: offsets,
      data: Uint8Array.from(bytes),
      nullBitmap,
    });
  }
  if (s.type === 'date') {
    const days = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const t = text(i);
      if (t !== null)
        days[i] = t === 'infinity' ? DATE_MAX : t === '-infinity' ? -DATE_MAX : dateDays(t).days;
    }
    return arrow.makeData({ type: type as arrow.DateDay, length: n, data: days, nullBitmap });
  }
  if (s.type === 'decimal') {
    const words = new Uint32Array(4 * n);
    for (let i = 0; i < n; i++) {
      const t = text(i);
      if (t === null) continue;
      const v = BigInt.asUintN(128, decimalValue(t, s.scale));
      for (let k = 0; k < 4; k++) words[4 * i + k] = Number((v >> BigInt(32 * k)) & 0xffffffffn);
    }
    return arrow.makeData({ type: type as arrow.Decimal, length: n, data: words, nullBitmap });
  }
  const values = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    const t = text(i);
    if (t === null) continue;
    if (s.type === 'time') {
      const { nanos, rest } = clockNanos(t);
      if (rest) throw bad(t, 'time');
      values[i] = nanos / 1000n;
    } else values[i] = timestampValue(t, parquet && s.unit === 's' ? 'ms' : s.unit);
  }
  return arrow.makeData({ type, length: n, data: values, nullBitmap } as never);
}

/** Arrow Data whose typed SQL text (at any depth, as `t` says) is converted to its SQL type. */
export function sqlArrowData(d: arrow.Data, t: DataType, parquet = false): arrow.Data {
  if (!hasSqlText(t)) return d;
  const nullBitmap = d.nullCount > 0 ? d.nullBitmap : undefined;
  switch (t.kind) {
    case 'utf8':
      return leafData(d, t.sql!, parquet);
    case 'list': {
      const child = sqlArrowData(d.children[0]!, t.item, parquet);
      const type = new arrow.List(new arrow.Field('item', child.type, true));
      return arrow.makeData({ type, length: d.length, valueOffsets: d.valueOffsets, child, nullBitmap });
    }
    case 'fixed-list': {
      const child = sqlArrowData(d.children[0]!, t.item, parquet);
      const type = new arrow.FixedSizeList(t.size, new arrow.Field('item', child.type, true));
      return arrow.makeData({ type, length: d.length, child, nullBitmap });
    }
    case 'struct': {
      const children = d.children.map((c, k) => sqlArrowData(c, t.fields[k]!.type, parquet));
      const type = new arrow.Struct(t.fields.map((f, k) => new arrow.Field(f.name, children[k]!.type, true)));
      return arrow.makeData({ type, length: d.length, children, nullBitmap });
    }
    default:
      return d;
  }
}
