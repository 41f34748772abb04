/**
 * `read_arrow('file.arrow')`: an Arrow IPC file (or stream) as a SQL table. DuckDB has no built-in Arrow
 * reader here (extensions cannot be installed), so apache-arrow reads the file and its values go into
 * DuckDB chunks through node-api's JS value converter (NULLs kept, lists and structs nested); decimal128,
 * dates, times, timestamps (unit and zone) and binary as their DuckDB types, exact (timestamps nested in lists
 * or structs to the millisecond: apache-arrow gives those as doubles).
 */
import { readFile } from 'node:fs/promises';
import {
  BIGINT,
  BLOB,
  BOOLEAN,
  DATE,
  DECIMAL,
  DOUBLE,
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBTableFunction,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTimeValue,
  type DuckDBType,
  FLOAT,
  INTEGER,
  JSToDuckDBValueConverter,
  LIST,
  SMALLINT,
  STRUCT,
  TIME,
  TIMESTAMP,
  TIMESTAMP_MS,
  TIMESTAMP_NS,
  TIMESTAMP_S,
  TIMESTAMPTZ,
  TINYINT,
  UBIGINT,
  UINTEGER,
  USMALLINT,
  UTINYINT,
  VARCHAR,
} from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import { HepqError } from '../batch/index.js';
import { type DeferredWork, PENDING } from './deferred.js';
import type { FileAccess } from './root-function.js';

interface ArrowTable {
  readonly names: readonly string[];
  readonly types: readonly DuckDBType[];
  readonly columns: readonly unknown[][];
  readonly length: number;
}

function duckTypeOf(t: arrow.DataType): DuckDBType {
  if (arrow.DataType.isBool(t)) return BOOLEAN;
  if (arrow.DataType.isInt(t)) {
    const signed = [TINYINT, SMALLINT, INTEGER, BIGINT];
    const unsigned = [UTINYINT, USMALLINT, UINTEGER, UBIGINT];
    const k = Math.log2(t.bitWidth / 8);
    return (t.isSigned ? signed : unsigned)[k]!;
  }
  if (arrow.DataType.isFloat(t)) return t.precision === arrow.Precision.DOUBLE ? DOUBLE : FLOAT;
  if (arrow.DataType.isList(t) || arrow.DataType.isFixedSizeList(t))
    return LIST(duckTypeOf(t.children[0]!.type));
  if (arrow.DataType.isStruct(t))
    return STRUCT(Object.fromEntries(t.children.map((f) => [f.name, duckTypeOf(f.type)])));
  if (arrow.DataType.isDictionary(t)) return duckTypeOf(t.dictionary);
  if (arrow.DataType.isDecimal(t) && t.bitWidth === 128 && t.precision <= 38)
    return DECIMAL(t.precision, t.scale);
  if (arrow.DataType.isDate(t)) return DATE;
  if (arrow.DataType.isBinary(t) || arrow.DataType.isLargeBinary(t)) return BLOB;
  if (arrow.DataType.isTime(t)) return TIME;
  if (arrow.DataType.isTimestamp(t)) {
    if (t.timezone) return TIMESTAMPTZ;
    return [TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMP, TIMESTAMP_NS][t.unit]!;
  }
  return VARCHAR;
}

const PER_SECOND = [1n, 1000n, 1_000_000n, 1_000_000_000n];

/**
 * An Arrow timestamp, time or date as the DuckDB value of `duckTypeOf` (exact from the stored integer `raw`
 * where the caller has it; apache-arrow's `get` gives milliseconds as a double).
 */
function temporalValue(v: unknown, t: arrow.DataType, raw: bigint | undefined): unknown {
  if (arrow.DataType.isDate(t)) return new DuckDBDateValue(Math.floor(Number(v) / 86_400_000));
  const unit = (t as arrow.Timestamp | arrow.Time).unit;
  // apache-arrow gives a time in its unit, a timestamp in milliseconds
  const count =
    raw ??
    (arrow.DataType.isTime(t)
      ? BigInt(v as number | bigint)
      : BigInt(Math.round(Number(v) * Number(PER_SECOND[unit]!))) / 1000n);
  if (arrow.DataType.isTime(t)) return new DuckDBTimeValue((count * 1_000_000n) / PER_SECOND[unit]!);
  if ((t as arrow.Timestamp).timezone)
    return new DuckDBTimestampTZValue((count * 1_000_000n) / PER_SECOND[unit]!);
  const ctor = [
    DuckDBTimestampSecondsValue,
    DuckDBTimestampMillisecondsValue,
    DuckDBTimestampValue,
    DuckDBTimestampNanosecondsValue,
  ][unit]!;
  return new ctor(count);
}

/** Values already made DuckDB values (temporal, blobs) pass through; the rest go through node-api's converter. */
const converter: typeof JSToDuckDBValueConverter = (value, type, conv) =>
  value instanceof DuckDBDateValue ||
  value instanceof DuckDBTimeValue ||
  value instanceof DuckDBTimestampValue ||
  value instanceof DuckDBTimestampSecondsValue ||
  value instanceof DuckDBTimestampMillisecondsValue ||
  value instanceof DuckDBTimestampNanosecondsValue ||
  value instanceof DuckDBTimestampTZValue ||
  value instanceof DuckDBBlobValue
    ? value
    : JSToDuckDBValueConverter(value, type, conv);

/** A 128-bit decimal's stored integer (four little-endian 32-bit words, two's complement). */
function decimalInteger(words: Uint32Array): bigint {
  let v = 0n;
  for (let k = 3; k >= 0; k--) v = (v << 32n) | BigInt(words[k]!);
  return BigInt.asIntN(128, v);
}

/** An Arrow value as the JS value node-api's converter expects for `duckTypeOf(t)`. */
function jsValue(v: unknown, t: arrow.DataType, raw?: bigint): unknown {
  if (v === null || v === undefined) return null;
  if (arrow.DataType.isDictionary(t)) return jsValue(v, t.dictionary);
  if (arrow.DataType.isList(t) || arrow.DataType.isFixedSizeList(t)) {
    const item = t.children[0]!.type;
    return Array.from(v as Iterable<unknown>, (x) => jsValue(x, item));
  }
  if (arrow.DataType.isStruct(t)) {
    const row = v as Record<string, unknown>;
    return Object.fromEntries(t.children.map((f) => [f.name, jsValue(row[f.name], f.type)]));
  }
  if (arrow.DataType.isDecimal(t) && t.bitWidth === 128 && t.precision <= 38)
    return decimalInteger(v as Uint32Array);
  if (arrow.DataType.isBinary(t) || arrow.DataType.isLargeBinary(t))
    return new DuckDBBlobValue(v as Uint8Array);
  if (arrow.DataType.isDate(t) || arrow.DataType.isTime(t) || arrow.DataType.isTimestamp(t))
    return temporalValue(v, t, raw);
  if (arrow.DataType.isInt(t) && t.bitWidth === 64) return BigInt(v as number | bigint);
  if (arrow.DataType.isFloat(t)) return Number(v);
  if (arrow.DataType.isBool(t) || arrow.DataType.isInt(t)) return v;
  return typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : String(v);
}

/** A column's values; 64-bit timestamps and times at the top level from their stored integers (exact). */
function columnValues(vector: arrow.Vector, t: arrow.DataType): unknown[] {
  const wide =
    (arrow.DataType.isTimestamp(t) || arrow.DataType.isTime(t)) && (t as arrow.Time).bitWidth !== 32;
  if (!wide) return Array.from(vector, (v) => jsValue(v, t));
  const out: unknown[] = [];
  for (const d of vector.data) {
    const ints = d.values as BigInt64Array;
    for (let i = 0; i < d.length; i++) out.push(d.getValid(i) ? jsValue(0, t, ints[i]!) : null);
  }
  return out;
}

async function readArrow(path: string): Promise<ArrowTable> {
  let table: arrow.Table;
  try {
    table = arrow.tableFromIPC(await readFile(path));
  } catch (e) {
    throw new HepqError(
      'sql/bad-arrow',
      `${path} is not an Arrow IPC file or stream: ${(e as Error).message}`,
      {
        location: { file: path },
      },
    );
  }
  const fields = table.schema.fields;
  if (fields.length === 0)
    throw new HepqError('sql/bad-arrow', `${path} holds no Arrow columns (is it an Arrow IPC file?)`, {
      location: { file: path },
    });
  return {
    names: fields.map((f) => f.name),
    types: fields.map((f) => duckTypeOf(f.type)),
    columns: fields.map((f, k) => columnValues(table.getChildAt(k)!, f.type)),
    length: table.numRows,
  };
}

export function arrowTableFunction(files: FileAccess, deferred: DeferredWork): DuckDBTableFunction {
  const tables = new Map<string, ArrowTable>();
  return DuckDBTableFunction.create({
    name: 'read_arrow',
    parameterTypes: [VARCHAR],
    bindFunction: (info) => {
      const connection = info.clientContext.connectionId;
      let path: string;
      try {
        path = files.resolve(String(info.getParameter(0)));
      } catch (e) {
        deferred.fail(connection, e as Error);
        info.setError((e as Error).message);
        return;
      }
      const t = tables.get(path);
      if (!t) {
        deferred.add(connection, `arrow:${path}`, async () => {
          tables.set(path, await readArrow(path));
        });
        info.setError(PENDING);
        return;
      }
      t.names.forEach((n, k) => {
        info.addResultColumn(n, t.types[k]!);
      });
      info.setCardinality(t.length, true);
      info.setBindData(t);
    },
    initFunction: (info) => {
      info.setMaxThreads(1);
      info.setInitData({ next: 0 });
    },
    mainFunction: (info, output) => {
      const t = info.bindData as ArrowTable;
      const state = info.initData as { next: number };
      const count = Math.max(0, Math.min(2048, t.length - state.next));
      if (count === 0) {
        output.rowCount = 0;
        return;
      }
      output.setColumnsConverted(
        t.columns.map((c) => c.slice(state.next, state.next + count) as never[]),
        converter,
      );
      state.next += count;
    },
  });
}
