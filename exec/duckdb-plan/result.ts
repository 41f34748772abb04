/**
 * DuckDB's answer to a translated plan as the compiled loop's result: rows as a Batch with the loop's column
 * names and types (the terminal's), a value as a value, a histogram as the same `HistogramResult` (the edges
 * of `Histogram1D`, so they are the loop's bit for bit).
 */
import {
  type Column,
  type DataType,
  HepqError,
  type JsValue,
  type PrimitiveType,
  type Schema,
  typedArrayFor,
} from '../batch/index.js';
import type { RowShape } from '../compile/compile-plan.js';
import type { QueryResult } from '../run-query.js';
import { Histogram1D } from '../sinks/histogram.js';
import type { SqlShape } from './translate.js';

/** The rows or values DuckDB returned (column-major, as `SqlResult.columns`). */
export interface SqlColumns {
  readonly columns: readonly (readonly JsValue[])[];
  readonly rowCount: number;
}

function primitiveColumn(type: PrimitiveType, values: readonly JsValue[]): Column {
  const Ctor = typedArrayFor(type);
  const out = new Ctor(values.length);
  if (out instanceof BigInt64Array || out instanceof BigUint64Array)
    for (let i = 0; i < values.length; i++) out[i] = BigInt((values[i] ?? 0) as number | bigint);
  else if (type === 'bool') for (let i = 0; i < values.length; i++) out[i] = values[i] ? 1 : 0;
  else {
    const o = out as Float64Array;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      o[i] = v === null || v === undefined ? Number.NaN : Number(v as number | bigint);
    }
  }
  return { kind: 'primitive', type, values: out };
}

/** A column of the given hepq type from DuckDB's values (numbers, booleans, lists of them). */
export function columnFromValues(type: DataType, values: readonly JsValue[]): Column {
  if (type.kind === 'primitive') return primitiveColumn(type.type, values);
  if (type.kind === 'list') {
    const offsets = new Int32Array(values.length + 1);
    const flat: JsValue[] = [];
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Array.isArray(v)) for (const x of v) flat.push(x);
      offsets[i + 1] = flat.length;
    }
    return { kind: 'list', offsets, child: columnFromValues(type.item, flat) };
  }
  throw new HepqError('exec/internal', `internal: DuckDB rows of type ${type.kind} are not converted`);
}

/** A rows result with the loop's schema (names and types of its terminal) and row shape. */
export function rowsResult(schema: Schema, shape: RowShape, sql: SqlColumns): QueryResult {
  if (sql.columns.length !== schema.fields.length)
    throw new HepqError(
      'exec/internal',
      `internal: DuckDB returned ${sql.columns.length} columns where the loop has ${schema.fields.length}`,
    );
  const columns = schema.fields.map((f, i) => columnFromValues(f.type, sql.columns[i]!));
  return { kind: 'rows', schema, batches: [{ schema, columns, length: sql.rowCount }], shape };
}

const num = (v: JsValue): JsValue =>
  typeof v === 'bigint' && Number.isSafeInteger(Number(v)) ? Number(v) : v;

/**
 * A value result (Count and integer sums as numbers, an empty Min/Max as None); `fold`: the values of a Sum of
 * floats in entry order, added as the loop adds them on one thread (`acc += v` from 0, NULL as NaN).
 */
export function valueResult(sql: SqlColumns, fold = false): QueryResult {
  if (fold) {
    let acc = 0;
    const vs = sql.columns[0] ?? [];
    for (let i = 0; i < sql.rowCount; i++) acc += vs[i] === null ? Number.NaN : Number(vs[i]);
    return { kind: 'value', value: acc };
  }
  const v = sql.rowCount ? (sql.columns[0]![0] ?? null) : null;
  return { kind: 'value', value: num(v) };
}

/** A histogram from the per-bin rows `b, n[, sw, sw2]` (−1 underflow, `bins` overflow). */
export function histogramResult(
  shape: Extract<SqlShape, { kind: 'histogram' }>,
  sql: SqlColumns,
): QueryResult {
  const h = new Histogram1D(shape.bins, shape.lo, shape.hi, shape.edges);
  if (shape.weighted) {
    const [bs, ws] = sql.columns;
    for (let i = 0; i < sql.rowCount; i++) {
      const b = bs![i];
      // NULL: no bin (NaN); NULL weight: NaN, as the loop adds it
      if (b !== null && b !== undefined)
        h.addAt(Number(b as number | bigint), ws![i] === null ? Number.NaN : Number(ws![i]));
    }
    return { kind: 'histogram', histogram: h.result() };
  }
  const counts = new Array<number>(shape.bins).fill(0);
  const sumw2 = new Array<number>(shape.bins).fill(0);
  let underflow = 0;
  let overflow = 0;
  const [bs, ns] = sql.columns;
  for (let i = 0; i < sql.rowCount; i++) {
    const b = Number(bs![i] as number | bigint);
    const n = Number(ns![i] as number | bigint);
    if (b === -1) underflow = n;
    else if (b === shape.bins) overflow = n;
    else {
      counts[b] = n;
      sumw2[b] = n;
    }
  }
  return { kind: 'histogram', histogram: { edges: [...h.edges], counts, sumw2, underflow, overflow } };
}
