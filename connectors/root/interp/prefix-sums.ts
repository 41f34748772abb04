/** List offsets from per-entry counts (a leaf-count array's counter branch), one tight loop per integer type. */
import type { TypedArray } from '../../../exec/batch/index.js';

/** `out[i+1] = out[i] + counts[i]`; false when a count is negative (a corrupt counter). */
export function prefixSums(counts: TypedArray, out: Int32Array): boolean {
  if (counts instanceof BigInt64Array || counts instanceof BigUint64Array) {
    let total = 0;
    for (let i = 0; i < counts.length; i++) {
      const c = Number(counts[i]!);
      if (c < 0) return false;
      total += c;
      out[i + 1] = total;
    }
    return true;
  }
  // One monomorphic loop per array type (a loop over the union of typed arrays is several times slower).
  if (counts instanceof Int32Array) return sumsInt32(counts, out);
  if (counts instanceof Uint32Array) return sumsUint32(counts, out);
  return sumsOther(counts, out);
}

function sumsInt32(counts: Int32Array, out: Int32Array): boolean {
  let total = 0;
  let min = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    min = c < min ? c : min;
    total += c;
    out[i + 1] = total;
  }
  return min >= 0 && total <= 0x7fffffff;
}

function sumsUint32(counts: Uint32Array, out: Int32Array): boolean {
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    total += counts[i]!;
    out[i + 1] = total;
  }
  return total <= 0x7fffffff;
}

function sumsOther(counts: TypedArray, out: Int32Array): boolean {
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] as number;
    if (c < 0) return false;
    total += c;
    out[i + 1] = total;
  }
  return total <= 0x7fffffff;
}
