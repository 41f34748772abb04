/** Decoding of Double32_t / Float16_t values packed with a range factor or a truncated mantissa. */
import type { FloatRange } from './streamer-info.js';

/** Bytes one packed value occupies on disk. */
export function packedWidth(range: FloatRange): number {
  return range.mode === 'truncated' ? 3 : 4;
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** Decode one packed value at `pos` of `view` (big-endian). */
export function readPacked(view: DataView, pos: number, range: FloatRange): number {
  switch (range.mode) {
    case 'factor':
      return view.getUint32(pos) / range.factor + range.xmin;
    case 'float':
      return view.getFloat32(pos);
    case 'truncated': {
      const exp = view.getUint8(pos);
      const man = view.getUint16(pos + 1);
      const nbits = range.nbits;
      i32[0] = (exp << 23) | ((man & ((1 << (nbits + 1)) - 1)) << (23 - nbits));
      let v = f32[0]!;
      if ((1 << (nbits + 1)) & man) v = -v;
      return v;
    }
  }
}
