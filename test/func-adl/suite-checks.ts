/**
 * Reading a hepq result as the func_adl_uproot suite reads its awkward array, and its assertions as checks:
 * exact lists, numpy's allclose, record fields, numpy booleans, and numpy.histogram's binning.
 */
import { expect } from 'vitest';

/** One assertion of the suite: the value at `path` equals, is close to, or has the fields given. */
export interface SuiteCheck {
  readonly path: readonly (string | number)[];
  readonly equal?: unknown;
  readonly close?: unknown;
  /** Absolute tolerance of `ak.max(abs(x - y)) < atol` assertions (else numpy's allclose defaults). */
  readonly atol?: number;
  readonly fields?: readonly string[];
  /** `isinstance(result, np.bool_)`. */
  readonly boolean?: boolean;
}

export interface SuiteCase {
  /** The suite's test function. */
  readonly test: string;
  /** The query as the suite writes it (its files as `tests/<file>`). */
  readonly query: string;
  /** The suite sends this one as qastle text. */
  readonly qastle?: boolean;
  /** Files and tree given beside the query (the suite's `generate_function(...)(files, tree)`). */
  readonly files?: readonly string[];
  readonly tree?: string;
  readonly checks: readonly SuiteCheck[];
}

type Json = null | boolean | number | string | Json[] | Tuple | { [k: string]: Json };

/** A tuple or list result (`(a, b)`, `[a, b]`, `Zip((xs, ys))`): fields '0', '1', … as awkward names them. */
export class Tuple {
  constructor(readonly items: readonly Json[]) {}
}

const isRecord = (x: unknown): x is Record<string, Json> =>
  x !== null && typeof x === 'object' && !Array.isArray(x) && !(x instanceof Tuple);

/**
 * hepq's JSON with tuples marked: rows of a tuple-shaped result (JSON arrays), and records whose fields are
 * hepq's positional names `col1`, `col2`, … (tuples inside collections).
 */
export function markTuples(value: unknown, tupleRows: boolean): Json {
  const go = (x: unknown): Json => {
    if (Array.isArray(x)) return x.map(go);
    if (isRecord(x)) {
      const keys = Object.keys(x);
      if (keys.length && keys.every((k, i) => k === `col${i + 1}`))
        return new Tuple(keys.map((k) => go(x[k])));
      return Object.fromEntries(keys.map((k) => [k, go(x[k])]));
    }
    return x as Json;
  };
  return tupleRows && Array.isArray(value)
    ? value.map((r) => new Tuple((r as unknown[]).map(go)))
    : go(value);
}

/** Tuples back to plain lists, for comparing with the suite's Python literals (tuples written as lists). */
function plain(x: Json): unknown {
  if (x instanceof Tuple) return x.items.map(plain);
  if (Array.isArray(x)) return x.map(plain);
  if (isRecord(x)) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)]));
  return x;
}

/**
 * A field of one row: a tuple row (a JSON array) by position, a record by name. A four-vector's energy `e` is
 * derived from the (pt, eta, phi, mass) hepq returns: E = sqrt((pt cosh eta)^2 + m^2).
 */
function field(row: Json, k: string): Json {
  if (Array.isArray(row)) return row.map((x) => field(x, k));
  if (row instanceof Tuple) return row.items[Number(k)]!;
  if (!isRecord(row)) throw new Error(`no field ${k} in ${JSON.stringify(row)}`);
  if (k === 'e' && !('e' in row) && 'mass' in row) {
    const { pt, eta, mass } = row as { pt: number; eta: number; mass: number };
    return Math.hypot(pt * Math.cosh(eta), mass);
  }
  if (!(k in row)) throw new Error(`no field ${k} in ${JSON.stringify(row)}`);
  return row[k]!;
}

/** `x['name']` / `x.name` applies through every list level to the records below; `x[1]` picks element 1. */
export function at(value: Json, path: readonly (string | number)[]): Json {
  let v = value;
  for (const step of path) {
    if (typeof step === 'number') v = v instanceof Tuple ? v.items[step]! : (v as Json[])[step]!;
    else v = field(v, step);
  }
  return v;
}

/** numpy.allclose: |a - b| <= atol + rtol * |b| element by element, over nested lists of the same shape. */
export function allclose(a: unknown, b: unknown, rtol = 1e-5, atol = 1e-8): boolean {
  if (typeof b === 'number') return typeof a === 'number' && Math.abs(a - b) <= atol + rtol * Math.abs(b);
  if (Array.isArray(b))
    return Array.isArray(a) && a.length === b.length && b.every((x, i) => allclose(a[i], x, rtol, atol));
  return a === b;
}

/** Assert one check against a result (JSON as `resultToJson` gives it). */
export function check(result: Json, c: SuiteCheck): void {
  const v = plain(at(result, c.path));
  if (c.fields) {
    expect(Array.isArray(v) && v.length > 0).toBe(true);
    for (const row of v as object[]) expect(Object.keys(row)).toEqual(c.fields);
  }
  if (c.boolean) expect(typeof v).toBe('boolean');
  if ('equal' in c) expect(v).toEqual(c.equal);
  if ('close' in c) {
    const ok = c.atol === undefined ? allclose(v, c.close) : allclose(v, c.close, 0, c.atol);
    expect(ok, `${JSON.stringify(v)} is not close to ${JSON.stringify(c.close)}`).toBe(true);
  }
}

/**
 * numpy.histogram(values, bins, (lo, hi)): equal-width bins, values outside [lo, hi] dropped, the last bin closed
 * on the right. Edges as numpy's linspace; a value is moved to its neighbour bin where rounding put it across an edge.
 */
export function npHistogram(values: readonly number[], bins: number, lo: number, hi: number): number[] {
  const edges = Array.from({ length: bins + 1 }, (_x, i) => (i === bins ? hi : lo + (i * (hi - lo)) / bins));
  const counts = new Array<number>(bins).fill(0);
  for (const x of values) {
    if (!(x >= lo && x <= hi)) continue;
    let i = x === hi ? bins - 1 : Math.floor(((x - lo) / (hi - lo)) * bins);
    if (i > 0 && x < edges[i]!) i--;
    if (i < bins - 1 && x >= edges[i + 1]!) i++;
    counts[i]!++;
  }
  return counts;
}
