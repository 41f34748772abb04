/** Evaluating pushed-down scan filters (`nMuon >= 2`) on flat numeric columns, for connectors that skip clusters. */
import type { Column } from '../exec/batch/index.js';
import type { ScanFilter } from './api.js';

export function compareOp(op: ScanFilter['op'], a: number, b: number): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** Whether any of the first `length` entries passes every filter (`columns[i]` holds filter i's column). */
export function anyPasses(
  columns: readonly Column[],
  filters: readonly ScanFilter[],
  length: number,
): boolean {
  const arrays = columns.map((c) => (c.kind === 'primitive' ? c.values : undefined));
  for (let i = 0; i < length; i++) {
    let ok = true;
    for (let f = 0; f < filters.length && ok; f++) {
      const v = arrays[f]?.[i];
      ok = v !== undefined && compareOp(filters[f]!.op, Number(v), filters[f]!.value);
    }
    if (ok) return true;
  }
  return false;
}
