/**
 * Parquet's run-length / bit-packed hybrid (levels and dictionary indices), the legacy BIT_PACKED levels,
 * dictionary indices decoded straight to 4-byte values, and the values of a hybrid stream equal to one level
 * counted without decoding them (`countHybrid`).
 */

export class PageError extends Error {}

/**
 * The RLE / bit-packed hybrid: `count` values of `bitWidth` bits from `src[pos..end)` into `out[at..]`
 * (dictionary indices or levels). Returns the position after the values read.
 */
export function decodeHybrid(
  src: Uint8Array,
  pos: number,
  end: number,
  bitWidth: number,
  out: Uint8Array | Int32Array,
  at: number,
  count: number,
): number {
  const stop = at + count;
  const bytesPerRun = (bitWidth + 7) >> 3;
  const mask = bitWidth >= 32 ? -1 : (1 << bitWidth) - 1;
  while (at < stop) {
    let header = 0;
    let shift = 0;
    for (;;) {
      if (pos >= end) throw new PageError('run-length data ends early');
      const b = src[pos++]!;
      header |= (b & 0x7f) << shift;
      if (!(b & 0x80)) break;
      shift += 7;
      if (shift > 28) throw new PageError('run header too long');
    }
    if (header & 1) {
      const n = (header >>> 1) * 8;
      const bytes = (header >>> 1) * bitWidth;
      if (pos + bytes > end) throw new PageError('bit-packed run ends past its page');
      const take = Math.min(n, stop - at);
      let p = pos;
      if (bitWidth <= 4) {
        // Levels and small dictionaries: 8 values from one ≤ 32-bit word per group.
        let i = 0;
        for (; i + 8 <= take; i += 8) {
          let w = 0;
          for (let b = 0; b < bitWidth; b++) w |= src[p + b]! << (8 * b);
          p += bitWidth;
          for (let k = 0; k < 8; k++) out[at++] = (w >>> (k * bitWidth)) & mask;
        }
        if (i < take) {
          let w = 0;
          for (let b = 0; b < bitWidth; b++) w |= src[p + b]! << (8 * b);
          for (let k = 0; i < take; k++, i++) out[at++] = (w >>> (k * bitWidth)) & mask;
        }
      } else if (bitWidth <= 24) {
        let acc = 0;
        let bits = 0;
        for (let i = 0; i < take; i++) {
          while (bits < bitWidth) {
            acc = (acc | (src[p++]! << bits)) >>> 0;
            bits += 8;
          }
          out[at++] = acc & mask;
          acc >>>= bitWidth;
          bits -= bitWidth;
        }
      } else {
        let acc = 0;
        let bits = 0;
        for (let i = 0; i < take; i++) {
          while (bits < bitWidth) {
            acc += src[p++]! * 2 ** bits;
            bits += 8;
          }
          out[at++] = acc % 2 ** bitWidth;
          acc = Math.floor(acc / 2 ** bitWidth);
          bits -= bitWidth;
        }
      }
      pos += bytes;
    } else {
      const n = header >>> 1;
      if (pos + bytesPerRun > end) throw new PageError('run value ends past its page');
      let v = 0;
      for (let i = 0; i < bytesPerRun; i++) v += src[pos + i]! * 2 ** (8 * i);
      pos += bytesPerRun;
      const take = Math.min(n, stop - at);
      out.fill(v, at, at + take);
      at += take;
    }
  }
  return pos;
}

/** The deprecated BIT_PACKED level encoding: `count` values, most significant bit first, no header. */
export function decodeBitPacked(
  src: Uint8Array,
  pos: number,
  bitWidth: number,
  out: Uint8Array,
  at: number,
  count: number,
): number {
  const bytes = Math.ceil((count * bitWidth) / 8);
  if (pos + bytes > src.length) throw new PageError('bit-packed levels run past the page');
  for (let i = 0; i < count; i++) {
    let v = 0;
    for (let b = 0; b < bitWidth; b++) {
      const bit = i * bitWidth + b;
      v = (v << 1) | ((src[pos + (bit >> 3)]! >> (7 - (bit & 7))) & 1);
    }
    out[at + i] = v;
  }
  return pos + bytes;
}

export const bitWidthOf = (max: number) => (max === 0 ? 0 : 32 - Math.clz32(max));

/**
 * Dictionary indices of 5–24 bits straight to 4-byte values (the common case of float columns whose chunk fits
 * one dictionary): bit-packed runs read through a 32-bit window, no index array in between.
 */
export function decodeDict32(
  src: Uint8Array,
  pos: number,
  end: number,
  bitWidth: number,
  dict: Int32Array,
  values: Uint8Array,
  at: number,
  count: number,
): void {
  const out = new Int32Array(values.buffer, values.byteOffset, values.length >> 2);
  const stop = at + count;
  const mask = (1 << bitWidth) - 1;
  const size = dict.length;
  while (at < stop) {
    let header = 0;
    let shift = 0;
    for (;;) {
      if (pos >= end) throw new PageError('run-length data ends early');
      const b = src[pos++]!;
      header |= (b & 0x7f) << shift;
      if (!(b & 0x80)) break;
      shift += 7;
      if (shift > 28) throw new PageError('run header too long');
    }
    if (header & 1) {
      const bytes = (header >>> 1) * bitWidth;
      if (pos + bytes > end) throw new PageError('bit-packed run ends past its page');
      const take = Math.min((header >>> 1) * 8, stop - at);
      const last = pos + bytes;
      let bit = pos * 8;
      // Four bytes from the value's first byte: bits past the run (the next run's bytes) are masked off; the
      // last values, where four bytes would run past the page, read byte by byte.
      const safe = (src.length - 4) * 8;
      for (let i = 0; i < take; i++, bit += bitWidth) {
        const q = bit >>> 3;
        const w =
          bit <= safe
            ? src[q]! | (src[q + 1]! << 8) | (src[q + 2]! << 16) | (src[q + 3]! << 24)
            : src[q]! | ((src[q + 1] ?? 0) << 8) | ((src[q + 2] ?? 0) << 16) | ((src[q + 3] ?? 0) << 24);
        const k = (w >>> (bit & 7)) & mask;
        if (k >= size) throw new PageError(`dictionary index ${k} past its ${size} entries`);
        out[at++] = dict[k]!;
      }
      pos = last;
    } else {
      const n = header >>> 1;
      const nb = (bitWidth + 7) >> 3;
      if (pos + nb > end) throw new PageError('run value ends past its page');
      let k = 0;
      for (let i = 0; i < nb; i++) k |= src[pos + i]! << (8 * i);
      pos += nb;
      if (k >= size) throw new PageError(`dictionary index ${k} past its ${size} entries`);
      const take = Math.min(n, stop - at);
      out.fill(dict[k]!, at, at + take);
      at += take;
    }
  }
}

/** How many of levels[from..to) equal `max` (the values present in a page). */
export function countEqual(levels: Uint8Array, from: number, to: number, max: number): number {
  let n = 0;
  // Branch-free: (x - 1) >>> 31 is 1 exactly when x = levels[i] ^ max is 0.
  for (let i = from; i < to; i++) n += ((levels[i]! ^ max) - 1) >>> 31;
  return n;
}

/** `n` PLAIN booleans (bits, least significant first) from src[pos..] to bytes out[at..]. */
export function unpackBits(src: Uint8Array, pos: number, out: Uint8Array, at: number, n: number): void {
  for (let i = 0; i < n; i++) out[at + i] = (src[pos + (i >> 3)]! >> (i & 7)) & 1;
}

/** Per (bit width ≤ 4, value): for each 4·width-bit word, how many of its 4 values equal the value. */
const countTables = new Map<number, Uint8Array>();
function countTable(bitWidth: number, value: number): Uint8Array {
  const key = bitWidth * 256 + value;
  let t = countTables.get(key);
  if (t) return t;
  const mask = (1 << bitWidth) - 1;
  t = new Uint8Array(1 << (4 * bitWidth));
  for (let w = 0; w < t.length; w++)
    for (let k = 0; k < 4; k++) if (((w >>> (k * bitWidth)) & mask) === value) t[w]!++;
  countTables.set(key, t);
  return t;
}

/**
 * How many of the first `n` values of an RLE / bit-packed hybrid stream (`src[pos..end)`, `bitWidth` ≤ 24)
 * equal `value`: the stream is checked as `decodeHybrid` checks it, nothing is written.
 */
export function countHybrid(
  src: Uint8Array,
  pos: number,
  end: number,
  bitWidth: number,
  n: number,
  value: number,
): number {
  if (bitWidth === 0) return value === 0 ? n : 0;
  let left = n;
  let count = 0;
  const bytesPerRun = (bitWidth + 7) >> 3;
  const mask = (1 << bitWidth) - 1;
  const table = bitWidth <= 4 ? countTable(bitWidth, value) : undefined;
  const half = 4 * bitWidth;
  const low = (1 << half) - 1;
  while (left > 0) {
    let header = 0;
    let shift = 0;
    for (;;) {
      if (pos >= end) throw new PageError('run-length data ends early');
      const b = src[pos++]!;
      header |= (b & 0x7f) << shift;
      if (!(b & 0x80)) break;
      shift += 7;
      if (shift > 28) throw new PageError('run header too long');
    }
    if (header & 1) {
      const bytes = (header >>> 1) * bitWidth;
      if (pos + bytes > end) throw new PageError('bit-packed run ends past its page');
      const take = Math.min((header >>> 1) * 8, left);
      let acc = 0;
      let bits = 0;
      let p = pos;
      let i = 0;
      if (table !== undefined) {
        // Whole groups of 8 values (bitWidth bytes): two table lookups of 4 values each.
        for (; i + 8 <= take; i += 8) {
          let w = 0;
          for (let b = 0; b < bitWidth; b++) w |= src[p + b]! << (8 * b);
          p += bitWidth;
          count += table[w & low]! + table[w >>> half]!;
        }
      }
      for (; i < take; i++) {
        while (bits < bitWidth) {
          acc = (acc | (src[p++]! << bits)) >>> 0;
          bits += 8;
        }
        count += (((acc & mask) ^ value) - 1) >>> 31;
        acc >>>= bitWidth;
        bits -= bitWidth;
      }
      pos += bytes;
      left -= take;
    } else {
      if (pos + bytesPerRun > end) throw new PageError('run value ends past its page');
      let v = 0;
      for (let i = 0; i < bytesPerRun; i++) v += src[pos + i]! * 2 ** (8 * i);
      pos += bytesPerRun;
      const take = Math.min(header >>> 1, left);
      if (v === value) count += take;
      left -= take;
    }
  }
  return count;
}
