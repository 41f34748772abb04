/**
 * Levels kept encoded (`connectors/parquet/levels.ts`): values present counted from the runs, list offsets
 * built from the repetition runs, definition levels decoded on demand. Streams are built here by hand from the
 * Parquet encoding rules (RLE run: header = count << 1, then the value in ⌈width/8⌉ bytes; bit-packed run:
 * header = groups << 1 | 1, then groups × width bytes, values least significant bit first; legacy BIT_PACKED:
 * most significant bit first, no header), so each expected value is derived by hand.
 */
import { describe, expect, it } from 'vitest';
import { ChunkLevels, offsetsFromLevels } from '../../../connectors/parquet/levels.js';
import { countHybrid, PageError } from '../../../connectors/parquet/rle.js';

/** Packs values of `width` bits least significant bit first (the hybrid's bit-packed runs). */
function packLsb(values: number[], width: number): number[] {
  const out = new Array<number>(Math.ceil((values.length * width) / 8)).fill(0);
  values.forEach((v, i) => {
    for (let b = 0; b < width; b++)
      if ((v >> b) & 1) out[(i * width + b) >> 3]! |= 1 << ((i * width + b) & 7);
  });
  return out;
}

// Width 3 (maximum definition level 4): an RLE run of ten 4s, then one bit-packed group of eight values.
const GROUP = [4, 1, 4, 4, 0, 4, 2, 4];
const DEF_STREAM = Uint8Array.from([10 << 1, 4, (1 << 1) | 1, ...packLsb(GROUP, 3)]);

describe('countHybrid', () => {
  it('counts the values equal to a level across RLE and bit-packed runs', () => {
    expect(countHybrid(DEF_STREAM, 0, DEF_STREAM.length, 3, 18, 4)).toBe(10 + 5);
    expect(countHybrid(DEF_STREAM, 0, DEF_STREAM.length, 3, 18, 1)).toBe(1);
    expect(countHybrid(DEF_STREAM, 0, DEF_STREAM.length, 3, 18, 3)).toBe(0);
    // Only the first 14 values: the group is cut after [4, 1, 4, 4].
    expect(countHybrid(DEF_STREAM, 0, DEF_STREAM.length, 3, 14, 4)).toBe(13);
  });

  it('counts 8-bit levels (no table) and agrees with the levels decoded', () => {
    const values = [200, 7, 200, 200, 9, 200, 200, 1];
    const stream = Uint8Array.from([3 << 1, 200, (1 << 1) | 1, ...packLsb(values, 8)]);
    expect(countHybrid(stream, 0, stream.length, 8, 11, 200)).toBe(3 + 5);
    const levels = new ChunkLevels().reset(8, 11);
    levels.add(stream, 0, stream.length, 0, 11, false);
    expect([...levels.decode()]).toEqual([200, 200, 200, ...values]);
  });

  it('rejects a stream that ends before its values', () => {
    expect(() => countHybrid(DEF_STREAM, 0, DEF_STREAM.length, 3, 30, 4)).toThrow(PageError);
    expect(() => countHybrid(DEF_STREAM, 0, DEF_STREAM.length - 1, 3, 18, 4)).toThrow(
      /bit-packed run ends past its page/,
    );
  });
});

// Rows [a b c] [] [d] [e f] null [g]: repetition 0 1 1 | 0 | 0 | 0 1 | 0 | 0, definition 4 4 4 | 1 | 4 | 4 4 | 0 | 4
// (element level 2): offsets 0 3 3 4 6 6 7.
const REP = [0, 1, 1, 0, 0, 0, 1, 0, 0];
const DEF = Uint8Array.from([4, 4, 4, 1, 4, 4, 4, 0, 4]);
const OFFSETS = [0, 3, 3, 4, 6, 6, 7];

/** The repetition levels as two pages: the first eight entries bit-packed, the last an RLE run of one 0. */
function repPages(legacyFirst = false): ChunkLevels {
  const rep = new ChunkLevels().reset(1, REP.length);
  const first = REP.slice(0, 8);
  const msbFirst = first.reduce((b, v, i) => b | (v << (7 - i)), 0);
  if (legacyFirst) rep.add(Uint8Array.of(msbFirst), 0, 1, 0, 8, true);
  else rep.add(Uint8Array.of((1 << 1) | 1, ...packLsb(first, 1)), 0, 2, 0, 8, false);
  rep.add(Uint8Array.of(1 << 1, 0), 0, 2, 8, 1, false);
  return rep;
}

/** The definition levels as two pages (eight bit-packed, then an RLE run of one 4): empties at entries 3, 7. */
function defPages(): ChunkLevels {
  const def = new ChunkLevels().reset(3, DEF.length);
  def.add(Uint8Array.of((1 << 1) | 1, ...packLsb([...DEF.subarray(0, 8)], 3)), 0, 4, 0, 8, false);
  def.add(Uint8Array.of(1 << 1, 4), 0, 2, 8, 1, false);
  return def;
}

describe('offsetsFromLevels', () => {
  it('takes the empty and null lists (entries below the element level) from the definition runs', () => {
    expect([...defPages().below(2).subarray(0, 3)]).toEqual([3, 7, DEF.length]);
    expect([...defPages().below(1).subarray(0, 2)]).toEqual([7, DEF.length]);
    // Eight-bit levels (no table), RLE and a group cut short: entries 1 and 4 below 100.
    const wide = new ChunkLevels().reset(8, 6);
    wide.add(Uint8Array.of(1 << 1, 200, (1 << 1) | 1, 7, 200, 200, 9, 200, 0, 0, 0), 0, 11, 0, 6, false);
    expect([...wide.below(100).subarray(0, 3)]).toEqual([1, 4, 6]);
  });

  it('builds list offsets from bit-packed and RLE repetition pages, empty and null lists included', () => {
    const offsets = new Int32Array(7);
    const empty = offsetsFromLevels(repPages(), defPages().below(2), 6, offsets);
    expect(empty).toBe(2);
    expect([...offsets.subarray(0, 6), REP.length - empty]).toEqual(OFFSETS);
  });

  it('ignores the padding of a page whose last bit-packed group is cut short', () => {
    // Rows [a b] [c] [] [d]: repetition 0 1 0 0 0, definition 4 4 4 1 4; the group's last three slots are
    // padding (zeros, which would read as row starts).
    const rep = new ChunkLevels().reset(1, 5);
    rep.add(Uint8Array.of((1 << 1) | 1, ...packLsb([0, 1, 0, 0, 0, 0, 0, 0], 1)), 0, 2, 0, 5, false);
    const offsets = new Int32Array(5);
    expect(offsetsFromLevels(rep, Int32Array.of(3, 5), 4, offsets)).toBe(1);
    expect([...offsets.subarray(0, 4)]).toEqual([0, 2, 3, 3]);
  });

  it('reads legacy BIT_PACKED repetition levels the same way', () => {
    const offsets = new Int32Array(7);
    expect(offsetsFromLevels(repPages(true), defPages().below(2), 6, offsets)).toBe(2);
    expect([...offsets.subarray(0, 6)]).toEqual(OFFSETS.slice(0, 6));
  });

  it('counts no empty lists without definition levels (every entry holds a value)', () => {
    const offsets = new Int32Array(7);
    expect(offsetsFromLevels(repPages(), undefined, 6, offsets)).toBe(0);
    // Row starts at entries 0 3 4 5 7 8.
    expect([...offsets.subarray(0, 6)]).toEqual([0, 3, 4, 5, 7, 8]);
  });

  it('rejects an empty list that is not the only entry of its row', () => {
    // Entry 2 (a continuation of row 0) marked empty.
    expect(() => offsetsFromLevels(repPages(), Int32Array.of(2, 3, 9), 6, new Int32Array(7))).toThrow(
      /entry 2 holds an empty list inside a row/,
    );
  });

  it('rejects levels that hold another number of rows than the row group', () => {
    const offsets = new Int32Array(10);
    expect(() => offsetsFromLevels(repPages(), defPages().below(2), 5, offsets)).toThrow(/more than 5 rows/);
    expect(() => offsetsFromLevels(repPages(), defPages().below(2), 7, offsets)).toThrow(
      /hold 6 rows, the row group 7/,
    );
  });
});

describe('ChunkLevels', () => {
  it("takes a page's count from the first field of its collection only where the level bytes are the same", () => {
    const first = new ChunkLevels().reset(3, 16);
    for (const at of [0, 8]) {
      first.add(Uint8Array.of(8 << 1, 4), 0, 2, at, 8, false); // eight 4s
      expect(first.countLast(4)).toBe(8);
    }
    const further = new ChunkLevels().reset(3, 16);
    further.add(Uint8Array.of(8 << 1, 1), 0, 2, 0, 8, false); // same length, eight 1s: nothing present
    expect(further.countLast(4, first)).toBe(0);
    further.add(Uint8Array.of(8 << 1, 4), 0, 2, 8, 8, false);
    expect(further.countLast(4, first)).toBe(8);
    // A third page the first field does not have.
    further.add(Uint8Array.of(3 << 1, 4), 0, 2, 16, 3, false);
    expect(further.countLast(4, first)).toBe(3);
  });

  it('decodes the definition levels of every page on demand, and counts the last page', () => {
    const def = new ChunkLevels().reset(3, 9);
    const page1 = Uint8Array.of((1 << 1) | 1, ...packLsb([...DEF.subarray(0, 8)], 3));
    def.add(page1, 0, page1.length, 0, 8, false);
    expect(def.countLast(4)).toBe(6);
    def.add(Uint8Array.of(9, 9, 1 << 1, 4, 9), 2, 4, 8, 1, false);
    expect(def.countLast(4)).toBe(1);
    expect([...def.decode()]).toEqual([...DEF]);
    // Reset for another chunk: nothing of the last one is kept.
    def.reset(3, 2).add(Uint8Array.of(2 << 1, 1), 0, 2, 0, 2, false);
    expect([...def.decode()]).toEqual([1, 1]);
  });
});
