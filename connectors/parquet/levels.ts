/**
 * A column chunk's definition or repetition levels kept encoded, page by page, and decoded only where a column
 * needs them. Reading a page needs just the number of values present (levels at the maximum), which
 * `countHybrid` (`rle.ts`) takes from the runs without writing a byte per entry; the levels themselves are
 * needed only for nulls (a scatter), and the repetition levels only for list offsets, which `offsetsFromLevels`
 * builds from the runs directly (a row per zero bit), with the empty lists found in the definition runs
 * (`below`). The bytes are copied out of each page (decompressed pages are scratch).
 */
import { countEqual, countHybrid, decodeBitPacked, decodeHybrid, PageError } from './rle.js';

/** Per page: [first byte, end byte, first entry, entries, legacy BIT_PACKED ? 1 : 0, levels at the value
 * counted (-1 before `countLast`)]. */
const SEG = 6;

export class ChunkLevels {
  /** The pages' encoded level bytes, back to back. */
  bytes = new Uint8Array(1 << 14);
  used = 0;
  readonly segs: number[] = [];
  bitWidth = 0;
  entries = 0;
  /** The level whose occurrences `countLast` counted. */
  private counted = -1;
  /** The levels decoded into `decoded` (once, on the first `decode()`). */
  private decoded = new Uint8Array(1 << 16);
  private isDecoded = false;

  /** Starts a chunk of `entries` level entries of `bitWidth` bits. */
  reset(bitWidth: number, entries: number): this {
    this.bitWidth = bitWidth;
    this.entries = entries;
    this.used = 0;
    this.segs.length = 0;
    this.isDecoded = false;
    this.counted = -1;
    return this;
  }

  /** One page's levels, `src[from..to)`, for entries at..at+n (hybrid, or the legacy BIT_PACKED encoding). */
  add(src: Uint8Array, from: number, to: number, at: number, n: number, legacy: boolean): void {
    const len = to - from;
    if (this.used + len > this.bytes.length) {
      const b = new Uint8Array(Math.max(this.used + len, this.bytes.length * 2));
      b.set(this.bytes.subarray(0, this.used));
      this.bytes = b;
    }
    this.bytes.set(src.subarray(from, to), this.used);
    this.segs.push(this.used, this.used + len, at, n, legacy ? 1 : 0, -1);
    this.used += len;
  }

  /**
   * How many levels of the last page added equal `value` (the values present when it is the maximum). `like`:
   * another chunk's levels already counted for the same value (the first field of the same collection); where
   * its page of the same index holds the same entries and the same bytes, its count is taken as it is.
   */
  countLast(value: number, like?: ChunkLevels): number {
    const segs = this.segs;
    const s = segs.length - SEG;
    const start = segs[s]!;
    const end = segs[s + 1]!;
    const n = segs[s + 3]!;
    this.counted = value;
    let count = like ? like.sameCount(this, s, value) : -1;
    if (count < 0 && !segs[s + 4]) count = countHybrid(this.bytes, start, end, this.bitWidth, n, value);
    else if (count < 0) {
      const tmp = new Uint8Array(n);
      decodeBitPacked(this.bytes.subarray(0, end), start, this.bitWidth, tmp, 0, n);
      count = countEqual(tmp, 0, n, value);
    }
    segs[s + 5] = count;
    return count;
  }

  /** This chunk's count of `value` in its page at `s`, if `other`'s page at `s` is the same (else -1). */
  private sameCount(other: ChunkLevels, s: number, value: number): number {
    const a = this.segs;
    const b = other.segs;
    if (this.counted !== value || this.bitWidth !== other.bitWidth || s + SEG > a.length) return -1;
    const count = a[s + 5]!;
    const len = a[s + 1]! - a[s]!;
    if (
      count < 0 ||
      a[s + 2] !== b[s + 2] ||
      a[s + 3] !== b[s + 3] ||
      a[s + 4] !== b[s + 4] ||
      len !== b[s + 1]! - b[s]!
    )
      return -1;
    const x = this.bytes.subarray(a[s]!, a[s + 1]!);
    const y = other.bytes.subarray(b[s]!, b[s + 1]!);
    return Buffer.compare(x, y) === 0 ? count : -1;
  }

  /**
   * The entries whose level is below `level` (for definition levels and the element level: the empty and null
   * lists), in order, followed by `entries` as a sentinel. Scratch: valid until the next call.
   */
  below(level: number): Int32Array {
    const segs = this.segs;
    if (belowScratch.length <= this.entries)
      belowScratch = new Int32Array(Math.max(this.entries + 1, belowScratch.length * 2));
    const out = belowScratch;
    let k = 0;
    const width = this.bitWidth;
    const mask = (1 << width) - 1;
    const src = this.bytes;
    const table = width <= 4 ? belowTable(width, level) : undefined;
    const half = 4 * width;
    const low = (1 << half) - 1;
    for (let s = 0; s < segs.length; s += SEG) {
      let pos = segs[s]!;
      const end = segs[s + 1]!;
      let at = segs[s + 2]!;
      const stop = at + segs[s + 3]!;
      if (segs[s + 4]) {
        const tmp = new Uint8Array(stop - at);
        decodeBitPacked(src.subarray(0, end), pos, width, tmp, 0, stop - at);
        for (let i = 0; i < tmp.length; i++) if (tmp[i]! < level) out[k++] = at + i;
        continue;
      }
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
          const bytes = (header >>> 1) * width;
          if (pos + bytes > end) throw new PageError('bit-packed run ends past its page');
          const take = Math.min((header >>> 1) * 8, stop - at);
          let acc = 0;
          let bits = 0;
          let p = pos;
          let i = 0;
          if (table !== undefined)
            // Whole groups of 8 values: which are below the level, as the set bits of a byte, by table.
            for (; i + 8 <= take; i += 8) {
              let w = 0;
              for (let b = 0; b < width; b++) w |= src[p + b]! << (8 * b);
              p += width;
              const zeros = ~(table[w & low]! | (table[w >>> half]! << 4)) & 0xff;
              const c = ZERO_COUNT[zeros]!;
              for (let j = 0; j < c; j++) out[k++] = at + i + ZERO_AT[zeros * 8 + j]!;
            }
          for (; i < take; i++) {
            while (bits < width) {
              acc = (acc | (src[p++]! << bits)) >>> 0;
              bits += 8;
            }
            if ((acc & mask) < level) out[k++] = at + i;
            acc >>>= width;
            bits -= width;
          }
          pos += bytes;
          at += take;
        } else {
          const nb = (width + 7) >> 3;
          if (pos + nb > end) throw new PageError('run value ends past its page');
          let v = 0;
          for (let i = 0; i < nb; i++) v += src[pos + i]! * 2 ** (8 * i);
          pos += nb;
          const take = Math.min(header >>> 1, stop - at);
          if (v < level) for (let i = at; i < at + take; i++) out[k++] = i;
          at += take;
        }
      }
    }
    out[k] = this.entries;
    return out;
  }

  /** Every entry's level (valid until this object is reset). */
  decode(): Uint8Array {
    if (this.isDecoded) return this.decoded.subarray(0, this.entries);
    if (this.decoded.length < this.entries)
      this.decoded = new Uint8Array(Math.max(this.entries, this.decoded.length * 2));
    const out = this.decoded;
    const segs = this.segs;
    for (let s = 0; s < segs.length; s += SEG) {
      const end = segs[s + 1]!;
      if (segs[s + 4])
        decodeBitPacked(
          this.bytes.subarray(0, end),
          segs[s]!,
          this.bitWidth,
          out,
          segs[s + 2]!,
          segs[s + 3]!,
        );
      else decodeHybrid(this.bytes, segs[s]!, end, this.bitWidth, out, segs[s + 2]!, segs[s + 3]!);
    }
    this.isDecoded = true;
    return out.subarray(0, this.entries);
  }
}

/** For each byte, how many of its bits are 0, and where (bit indices, least significant first). */
const ZERO_COUNT = new Uint8Array(256);
const ZERO_AT = new Uint8Array(256 * 8);
for (let b = 0; b < 256; b++)
  for (let k = 0; k < 8; k++) if (!((b >> k) & 1)) ZERO_AT[b * 8 + ZERO_COUNT[b]!++] = k;

let belowScratch = new Int32Array(1 << 12);

/** Per (bit width ≤ 4, level): for each 4·width-bit word, which of its 4 values are below the level (bits 0–3). */
const belowTables = new Map<number, Uint8Array>();
function belowTable(bitWidth: number, level: number): Uint8Array {
  const key = bitWidth * 256 + level;
  let t = belowTables.get(key);
  if (t) return t;
  const mask = (1 << bitWidth) - 1;
  t = new Uint8Array(1 << (4 * bitWidth));
  for (let w = 0; w < t.length; w++)
    for (let k = 0; k < 4; k++) if (((w >>> (k * bitWidth)) & mask) < level) t[w]! |= 1 << k;
  belowTables.set(key, t);
  return t;
}

/**
 * The list offsets of `rows` rows from a chunk's repetition levels (a row starts at level 0): a row's offset is
 * its first entry's index less the empty entries before it. `empties`: the entries below the element level (empty
 * or null lists, each its row's only entry), in order, ending with a sentinel past them (`ChunkLevels.below`);
 * without it the chunk has none. One-bit hybrid pages are walked run by run, byte by byte (zero bits only);
 * other pages are decoded to bytes first. Returns the number of empty entries.
 */
export function offsetsFromLevels(
  rep: ChunkLevels,
  empties: Int32Array | undefined,
  rows: number,
  offsets: Int32Array,
): number {
  const src = rep.bytes;
  const segs = rep.segs;
  let row = 0;
  let empty = 0;
  let nextEmpty = empties ? empties[0]! : -1;
  const tooMany = () =>
    new PageError(`the repetition levels hold more than ${rows} rows, the row group ${rows}`);
  for (let s = 0; s < segs.length; s += SEG) {
    let pos = segs[s]!;
    const end = segs[s + 1]!;
    let at = segs[s + 2]!;
    const stop = at + segs[s + 3]!;
    if (segs[s + 4] || rep.bitWidth !== 1) {
      const levels = new Uint8Array(stop - at);
      if (segs[s + 4]) decodeBitPacked(src.subarray(0, end), pos, rep.bitWidth, levels, 0, stop - at);
      else decodeHybrid(src, pos, end, rep.bitWidth, levels, 0, stop - at);
      for (let i = at; i < stop; i++) {
        if (levels[i - at] !== 0) continue;
        if (row === rows) throw tooMany();
        offsets[row++] = i - empty;
        if (i === nextEmpty) nextEmpty = empties![++empty]!;
      }
      continue;
    }
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
        const bytes = header >>> 1;
        if (pos + bytes > end) throw new PageError('bit-packed run ends past its page');
        const take = Math.min(bytes * 8, stop - at);
        // Zero bits are row starts: per byte, their count and positions from a table.
        const whole = take >> 3;
        for (let j = 0; j <= whole; j++) {
          let b = src[pos + j]!;
          if (j === whole) {
            if ((take & 7) === 0) break;
            b = (b | (0xff << (take & 7))) & 0xff; // entries past the page are not row starts
          }
          const c = ZERO_COUNT[b]!;
          if (c === 0) continue;
          if (row + c > rows) throw tooMany();
          const base = at + j * 8;
          const t = b * 8;
          for (let k = 0; k < c; k++) {
            const i = base + ZERO_AT[t + k]!;
            offsets[row++] = i - empty;
            if (i === nextEmpty) nextEmpty = empties![++empty]!;
          }
        }
        pos += bytes;
        at += take;
      } else {
        if (pos + 1 > end) throw new PageError('run value ends past its page');
        const v = src[pos++]!;
        const take = Math.min(header >>> 1, stop - at);
        if (v === 0) {
          if (row + take > rows) throw tooMany();
          for (let i = at; i < at + take; i++) {
            offsets[row++] = i - empty;
            if (i === nextEmpty) nextEmpty = empties![++empty]!;
          }
        }
        at += take;
      }
    }
  }
  if (row !== rows) throw new PageError(`the repetition levels hold ${row} rows, the row group ${rows}`);
  if (empties && nextEmpty !== rep.entries)
    throw new PageError(`entry ${nextEmpty} holds an empty list inside a row`);
  return empty;
}
