/** Row-group statistics (min/max of a column chunk) against pushed-down filters, to skip row groups. */
import type { ScanFilter } from '../api.js';
import { Physical } from './footer.js';

/** A statistics value (plain-encoded bytes) as a number, or undefined for types not compared here. */
export function statValue(physical: number, b: Uint8Array | undefined): number | undefined {
  if (!b) return undefined;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (physical === Physical.INT32 && b.length === 4) return v.getInt32(0, true);
  if (physical === Physical.INT64 && b.length === 8) return Number(v.getBigInt64(0, true));
  if (physical === Physical.FLOAT && b.length === 4) return v.getFloat32(0, true);
  if (physical === Physical.DOUBLE && b.length === 8) return v.getFloat64(0, true);
  if (physical === Physical.BOOLEAN && b.length === 1) return b[0]!;
  return undefined;
}

/** Whether some value in [min, max] may pass `x op value` (floats: NaN passes `!=`, so it never rules out). */
export function rangeMayPass(
  op: ScanFilter['op'],
  min: number,
  max: number,
  value: number,
  float: boolean,
): boolean {
  if (Number.isNaN(min) || Number.isNaN(max)) return true;
  switch (op) {
    case '==':
      return min <= value && value <= max;
    case '!=':
      return float || !(min === max && min === value);
    case '<':
      return min < value;
    case '<=':
      return min <= value;
    case '>':
      return max > value;
    case '>=':
      return max >= value;
  }
}
