/** Row-wise access to columns (for printing and JSON output; never on a hot path). */
import type { Column, JsValue } from './types.js';
import { assertNever } from './types.js';
import { isValid, validityOf } from './validity.js';

export type { JsValue } from './types.js';

const decoder = new TextDecoder();

/** The value of row `i` as a plain JS value (lists as arrays, structs as objects, int64 as bigint, NULL as null). */
export function valueAt(c: Column, i: number): JsValue {
  if (!isValid(validityOf(c), i)) return null;
  switch (c.kind) {
    case 'primitive':
      return c.type === 'bool' ? c.values[i] !== 0 : (c.values[i] as number | bigint);
    case 'list': {
      const out: JsValue[] = [];
      for (let j = c.offsets[i]!; j < c.offsets[i + 1]!; j++) out.push(valueAt(c.child, j));
      return out;
    }
    case 'fixed-list': {
      const out: JsValue[] = [];
      for (let j = i * c.size; j < (i + 1) * c.size; j++) out.push(valueAt(c.child, j));
      return out;
    }
    case 'struct': {
      const out: { [k: string]: JsValue } = {};
      c.names.forEach((n, k) => {
        out[n] = valueAt(c.children[k]!, i);
      });
      return out;
    }
    case 'utf8':
      return decoder.decode(c.bytes.subarray(c.offsets[i]!, c.offsets[i + 1]!));
    case 'constant':
      return c.value;
    case 'boxed':
      return c.values[i]!;
    default:
      return assertNever(c, 'column');
  }
}

/**
 * A JSON-safe copy of a value: NaN and ±Infinity become the strings "NaN", "Infinity", "-Infinity";
 * 64-bit integers within ±2^53 become numbers, beyond it strings.
 */
export function toJsonSafe(v: JsValue): unknown {
  if (typeof v === 'number')
    return Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (typeof v === 'bigint')
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(v)
      : v.toString();
  if (Array.isArray(v)) return v.map(toJsonSafe);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toJsonSafe(x);
    return out;
  }
  return v;
}
