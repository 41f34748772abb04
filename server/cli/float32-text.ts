/**
 * float32 values as text the way numpy and uproot print them: the shortest decimal that reads back as the same
 * float32 (`12.777097`, not the float64 expansion `12.77709674835205`). For text output only (jsonl, json, csv,
 * tables): binary formats keep the stored bits.
 */
import { assertNever, type Batch, type Column, columnType } from '../../exec/batch/index.js';
import type { QueryResult } from '../../exec/index.js';

/** The shortest decimal (as a number) whose float32 rounding is `v`; `v` itself when it is not a float32 value. */
export function shortestFloat32(v: number): number {
  if (!Number.isFinite(v) || (Number.isInteger(v) && Math.abs(v) < 2 ** 24) || Math.fround(v) !== v) return v;
  for (let p = 1; p <= 9; p++) {
    const r = Number(v.toPrecision(p));
    if (Math.fround(r) === v) return r;
  }
  return v;
}

/** The column with its float32 values replaced by float64 values holding their shortest decimals. */
export function textColumn(c: Column): Column {
  switch (c.kind) {
    case 'primitive':
      return c.type === 'float32'
        ? {
            kind: 'primitive',
            type: 'float64',
            values: Float64Array.from(c.values as Float32Array, shortestFloat32),
          }
        : c;
    case 'list':
    case 'fixed-list':
      return { ...c, child: textColumn(c.child) };
    case 'struct':
      return { ...c, children: c.children.map(textColumn) };
    case 'utf8':
    case 'boxed':
      return c;
    case 'constant':
      return c.type.kind === 'primitive' && c.type.type === 'float32' && typeof c.value === 'number'
        ? { ...c, type: { kind: 'primitive', type: 'float64' }, value: shortestFloat32(c.value) }
        : c;
    default:
      return assertNever(c, 'column');
  }
}

/** A batch for text output: float32 columns as their shortest decimals (schema types follow). */
export function textBatch(b: Batch): Batch {
  const columns = b.columns.map(textColumn);
  return {
    ...b,
    schema: { fields: b.schema.fields.map((f, i) => ({ ...f, type: columnType(columns[i]!) })) },
    columns,
  };
}

/** A query result for text output (rows: their float32 columns; values and histograms as they are). */
export function textResult(r: QueryResult): QueryResult {
  return r.kind === 'rows' ? { ...r, batches: r.batches.map(textBatch) } : r;
}
