/** Arrow validity bitmaps (LSB first, 1 = valid): testing, slicing, concatenating and gathering bits. */
import type { Column, Validity } from './types.js';

/**
 * Bytes of a new bitmap of `n` bits: whole 64-byte blocks, Arrow's recommended padding (and what apache-arrow's
 * builders allocate, so SQL results' Arrow output keeps its bytes).
 */
export function bitmapBytes(n: number): number {
  return ((n + 511) >> 9) << 6;
}

/** Whether row `i` holds a value (no bitmap: every row does). */
export function isValid(validity: Validity | undefined, i: number): boolean {
  return validity === undefined || (validity[i >> 3]! & (1 << (i & 7))) !== 0;
}

/** A bitmap of `n` rows, every bit set (`true`) or clear. */
export function filledBits(n: number, valid: boolean): Validity {
  const out = new Uint8Array(bitmapBytes(n));
  if (valid) {
    out.fill(0xff, 0, n >> 3);
    if (n & 7) out[n >> 3] = (1 << (n & 7)) - 1;
  }
  return out;
}

/** Bits [start, start+n) as a bitmap from bit 0: shared (subarray) when `start` is a multiple of 8. */
export function sliceBits(bits: Validity, start: number, n: number): Validity {
  if ((start & 7) === 0) return bits.subarray(start >> 3, (start + n + 7) >> 3);
  const out = new Uint8Array(bitmapBytes(n));
  for (let i = 0; i < n; i++) if (isValid(bits, start + i)) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

/** The bitmap of parts one after another; none of them with a bitmap: none (all valid). */
export function concatBits(
  parts: readonly { readonly validity?: Validity; readonly length: number }[],
): Validity | undefined {
  if (parts.every((p) => p.validity === undefined)) return undefined;
  const out = new Uint8Array(bitmapBytes(parts.reduce((a, p) => a + p.length, 0)));
  let pos = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++)
      if (isValid(p.validity, i)) out[(pos + i) >> 3]! |= 1 << ((pos + i) & 7);
    pos += p.length;
  }
  return out;
}

/** Bits `idx` of a bitmap, in that order (no bitmap: none). */
export function takeBits(bits: Validity | undefined, idx: ArrayLike<number>): Validity | undefined {
  if (bits === undefined) return undefined;
  const out = new Uint8Array(bitmapBytes(idx.length));
  for (let i = 0; i < idx.length; i++) if (isValid(bits, idx[i]!)) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

/** The number of NULL rows among the first `n` (no bitmap: 0). */
export function nullCount(bits: Validity | undefined, n: number): number {
  if (bits === undefined) return 0;
  let nulls = 0;
  for (let i = 0; i < n; i++) if (!isValid(bits, i)) nulls++;
  return nulls;
}

/** A column's validity bitmap (kinds without one: none, every row valid). */
export function validityOf(c: Column): Validity | undefined {
  return c.kind === 'constant' || c.kind === 'boxed' || c.kind === 'fixed-list' ? undefined : c.validity;
}
