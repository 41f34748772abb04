/**
 * Snappy's raw block format (Parquet's SNAPPY codec; no framing): a varint of the uncompressed length, then
 * literals and back-references with 1-, 2- or 4-byte offsets. Decoded into `dst`, which must have exactly the
 * uncompressed length; every length and offset is checked against the buffers.
 */
export function snappyDecode(src: Uint8Array, dst: Uint8Array): void {
  let pos = 0;
  let size = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= src.length || shift > 28) throw new Error('snappy length header is malformed');
    const b = src[pos++]!;
    size += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) break;
  }
  if (size !== dst.length)
    throw new Error(`snappy block holds ${size} bytes, the page header says ${dst.length}`);
  let out = 0;
  while (pos < src.length) {
    const tag = src[pos++]!;
    if ((tag & 3) === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const k = len - 59;
        if (pos + k > src.length) throw new Error('snappy literal length runs past the block');
        len = 0;
        for (let i = 0; i < k; i++) len += src[pos + i]! * 2 ** (8 * i);
        pos += k;
      }
      len += 1;
      if (pos + len > src.length || out + len > dst.length)
        throw new Error('snappy literal runs past its buffer');
      dst.set(src.subarray(pos, pos + len), out);
      pos += len;
      out += len;
      continue;
    }
    let len: number;
    let offset: number;
    if ((tag & 3) === 1) {
      if (pos + 1 > src.length) throw new Error('snappy copy runs past the block');
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | src[pos++]!;
    } else if ((tag & 3) === 2) {
      if (pos + 2 > src.length) throw new Error('snappy copy runs past the block');
      len = (tag >>> 2) + 1;
      offset = src[pos]! | (src[pos + 1]! << 8);
      pos += 2;
    } else {
      if (pos + 4 > src.length) throw new Error('snappy copy runs past the block');
      len = (tag >>> 2) + 1;
      offset = (src[pos]! | (src[pos + 1]! << 8) | (src[pos + 2]! << 16) | (src[pos + 3]! << 24)) >>> 0;
      pos += 4;
    }
    if (offset === 0 || offset > out || out + len > dst.length)
      throw new Error('snappy copy points outside its output');
    if (offset >= len) dst.copyWithin(out, out - offset, out - offset + len);
    else for (let i = 0; i < len; i++) dst[out + i] = dst[out - offset + i]!;
    out += len;
  }
  if (out !== dst.length) throw new Error(`snappy produced ${out} bytes, the page header says ${dst.length}`);
}
