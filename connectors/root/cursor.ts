/** A big-endian reading cursor over a byte buffer, the bottom layer of ROOT deserialisation. */
import { HepqError } from '../../exec/batch/index.js';

/** What a cursor is reading, so errors can name file, object and absolute byte offset. */
export interface CursorContext {
  readonly file: string;
  readonly object?: string;
  /** Absolute file offset of `buf[0]` when the buffer is a raw file slice; for decompressed payloads, the key's offset. */
  readonly base: number;
  /** True when `buf` is a decompressed payload (offsets are then positions inside the object, not the file). */
  readonly decompressed?: boolean;
}

const decoder = new TextDecoder('latin1');

export class Cursor {
  readonly buf: Uint8Array;
  readonly view: DataView;
  pos: number;
  readonly ctx: CursorContext;
  /** Objects already read in this buffer, by position (for ROOT's object references). */
  readonly refs = new Map<number, unknown>();
  /** Class names seen in this buffer, by tag position. */
  readonly classRefs = new Map<number, string>();
  /** Displacement ROOT subtracts from in-buffer references (the key length for key payloads). */
  refOffset = 0;

  constructor(buf: Uint8Array, ctx: CursorContext, pos = 0) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = pos;
    this.ctx = ctx;
  }

  /** A located error at the current (or given) position. */
  error(code: string, message: string, at = this.pos, hint?: string): HepqError {
    const where = this.ctx.decompressed ? ` (at byte ${at} of the decompressed object)` : '';
    return new HepqError(code, message + where, {
      location: {
        file: this.ctx.file,
        object: this.ctx.object,
        offset: this.ctx.decompressed ? this.ctx.base : this.ctx.base + at,
      },
      hint,
    });
  }

  /** Check that `n` bytes can be read at the current position (a negative or past-the-end position never can). */
  need(n: number): void {
    if (!(n >= 0 && this.pos >= 0 && this.pos + n <= this.buf.length)) {
      throw this.error(
        'root/truncated',
        `tried to read ${n} bytes at ${this.pos} but the buffer has ${this.buf.length}`,
      );
    }
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  i8(): number {
    this.need(1);
    return this.view.getInt8(this.pos++);
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }
  i16(): number {
    this.need(2);
    const v = this.view.getInt16(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos);
    this.pos += 4;
    return v;
  }
  /** A signed 64-bit integer as a JS number (exact below 2^53, which covers every offset and count). */
  i64(): number {
    this.need(8);
    const v = this.view.getBigInt64(this.pos);
    this.pos += 8;
    return Number(v);
  }
  i64big(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.pos);
    this.pos += 8;
    return v;
  }
  u64big(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos);
    this.pos += 8;
    return v;
  }
  f32(): number {
    this.need(4);
    const v = this.view.getFloat32(this.pos);
    this.pos += 4;
    return v;
  }
  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos);
    this.pos += 8;
    return v;
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A ROOT string: one length byte, or 255 followed by a 32-bit length. */
  string(): string {
    let n = this.u8();
    if (n === 255) n = this.u32();
    return decoder.decode(this.bytes(n));
  }

  /** A NUL-terminated C string (at most `max` bytes). */
  cstring(max = this.remaining): string {
    this.need(0);
    const start = this.pos;
    const end = Math.min(this.buf.length, start + max);
    let i = start;
    while (i < end && this.buf[i] !== 0) i++;
    const s = decoder.decode(this.buf.subarray(start, i));
    this.pos = i < end ? i + 1 : i;
    return s;
  }

  /**
   * ROOT's object header: an optional byte count (flagged by 0x40000000) and a 16-bit class version.
   * Returns the version and the position where the object ends (or -1 when no byte count was written).
   */
  version(): { version: number; end: number; start: number } {
    const start = this.pos;
    const first = this.u32();
    if (first & 0x40000000) {
      const count = first & ~0x40000000;
      const version = this.u16();
      const end = start + 4 + count;
      if (end > this.buf.length)
        throw this.error('root/bad-bytecount', `object byte count ${count} runs past the buffer end`, start);
      return { version, end, start };
    }
    this.pos = start;
    return { version: this.u16(), end: -1, start };
  }

  /** Move to the end of an object read with `version()`, checking we did not overrun it. */
  close(hdr: { end: number }, what: string): void {
    if (hdr.end < 0) return;
    if (this.pos > hdr.end)
      throw this.error(
        'root/overrun',
        `reading ${what} overran its byte count by ${this.pos - hdr.end} bytes`,
      );
    this.pos = hdr.end;
  }
}
