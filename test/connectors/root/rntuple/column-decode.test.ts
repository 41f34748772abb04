/** Page decoding on hand-made pages whose values are worked out here from the format's definitions. */
import { describe, expect, it } from 'vitest';
import {
  allocate,
  COL,
  decodePage,
  pageBytes,
  unsupportedEncoding,
} from '../../../../connectors/root/rntuple/column-decode.js';

function decode(type: number, page: number[], n: number, target: Parameters<typeof allocate>[0], extra = {}) {
  const out = allocate(target, n);
  decodePage({ type, bits: 0, ...extra }, new Uint8Array(page), n, out, 0, target);
  return Array.from(out as ArrayLike<number | bigint>);
}

describe('RNTuple page decoding', () => {
  it('split + zigzag 32-bit integers: all first bytes, then all second bytes, …', () => {
    // Values 1, -1, 300: zigzag 2, 1, 600 = 0x258 → bytes (LE) [02 00 00 00] [01 00 00 00] [58 02 00 00].
    const page = [0x02, 0x01, 0x58, 0, 0, 0x02, 0, 0, 0, 0, 0, 0];
    expect(decode(COL.SplitInt32, page, 3, 'int32')).toEqual([1, -1, 300]);
    expect(decode(COL.SplitInt32, page, 3, 'int64')).toEqual([1n, -1n, 300n]);
  });

  it('split + delta 64-bit index: offsets 3, 3, 7 stored as deltas 3, 0, 4', () => {
    const page = [3, 0, 4, ...new Array(21).fill(0)];
    expect(decode(COL.SplitIndex64, page, 3, 'offsets')).toEqual([3, 3, 7]);
    expect(decode(COL.Index32, [3, 0, 0, 0, 3, 0, 0, 0, 7, 0, 0, 0], 3, 'offsets')).toEqual([3, 3, 7]);
  });

  it('split floats and plain doubles, little-endian', () => {
    const f = new Uint8Array(new Float32Array([1.5, -2]).buffer); // [00 00 c0 3f] [00 00 00 c0]
    const split = [f[0]!, f[4]!, f[1]!, f[5]!, f[2]!, f[6]!, f[3]!, f[7]!];
    expect(decode(COL.SplitReal32, split, 2, 'float32')).toEqual([1.5, -2]);
    expect(decode(COL.SplitReal32, split, 2, 'float64')).toEqual([1.5, -2]); // Double32_t
    const d = Array.from(new Uint8Array(new Float64Array([0.1]).buffer));
    expect(decode(COL.Real64, d, 1, 'float64')).toEqual([0.1]);
  });

  it('bits, least significant first; half floats', () => {
    expect(decode(COL.Bit, [0b00000101, 0b1], 9, 'bool')).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 1]);
    // 0x3c00 = 1.0, 0xc000 = -2.0, 0x0001 = 2^-24 (smallest subnormal).
    expect(decode(COL.Real16, [0x00, 0x3c, 0x00, 0xc0, 0x01, 0x00], 3, 'float32')).toEqual([1, -2, 2 ** -24]);
  });

  it('Real32Trunc keeps the top bits of the float; Real32Quant maps integers onto [min, max]', () => {
    // 12-bit truncation of 1.5 (0x3fc00000): the top 12 bits are 0x3fc; two values packed LSB first.
    const trunc = [0xfc, 0xc3, 0x3f];
    expect(decode(COL.Real32Trunc, trunc, 2, 'float32', { bits: 12 })).toEqual([1.5, 1.5]);
    // 4-bit quantization of [0, 15]: q = 3 and 15 → 3 and 15; packed 0xf3.
    expect(decode(COL.Real32Quant, [0xf3], 2, 'float32', { bits: 4, min: 0, max: 15 })).toEqual([3, 15]);
    expect(pageBytes({ type: COL.Real32Quant, bits: 4 }, 3)).toBe(2);
  });

  it('refuses encodings it cannot decode into the asked type', () => {
    expect(unsupportedEncoding({ type: COL.Switch, bits: 96 }, 'int32')).toMatch(/Switch/);
    expect(unsupportedEncoding({ type: COL.SplitReal32, bits: 32 }, 'offsets')).toMatch(/index/);
    expect(unsupportedEncoding({ type: 0x7f, bits: 8 }, 'int32')).toMatch(/0x7f/);
    expect(unsupportedEncoding({ type: COL.SplitInt32, bits: 32 }, 'int64')).toBeUndefined();
  });
});
