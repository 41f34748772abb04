/** Query results as plain JSON, shaped as awkward's `tolist()` would give them (the CLI's `--format json`). */
import { type Batch, type JsValue, toJsonSafe, valueAt } from './batch/index.js';
import type { QueryResult } from './run-query.js';

/** The rows of one batch as JS values: a bare value, a record object, or an array per row. */
export function batchRows(batch: Batch, shape: 'value' | 'dict' | 'tuple'): JsValue[] {
  const out: JsValue[] = [];
  const n = batch.selection ? batch.selection.length : batch.length;
  for (let r = 0; r < n; r++) {
    const i = batch.selection ? batch.selection[r]! : r;
    if (shape === 'value') out.push(valueAt(batch.columns[0]!, i));
    else if (shape === 'tuple') out.push(batch.columns.map((c) => valueAt(c, i)));
    else {
      const o: { [k: string]: JsValue } = {};
      batch.schema.fields.forEach((f, k) => {
        o[f.name] = valueAt(batch.columns[k]!, i);
      });
      out.push(o);
    }
  }
  return out;
}

/**
 * A result as JSON: rows as an array with one element per item of the outer stream, a terminal aggregate as
 * a bare scalar, a histogram as `{edges, counts, sumw2, underflow, overflow}`. NaN (an empty Min/Max) is null.
 */
export function resultToJson(result: QueryResult): unknown {
  switch (result.kind) {
    case 'rows':
      return toJsonSafe(result.batches.flatMap((b) => batchRows(b, result.shape)).map(nanToNull));
    case 'value':
      return toJsonSafe(nanToNull(result.value));
    case 'histogram':
      return result.histogram;
    case 'histograms':
      return result.histograms;
  }
}

function nanToNull(v: JsValue): JsValue {
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (Array.isArray(v)) return v.map(nanToNull);
  if (v !== null && typeof v === 'object') {
    const o: { [k: string]: JsValue } = {};
    for (const [k, x] of Object.entries(v)) o[k] = nanToNull(x);
    return o;
  }
  return v;
}
