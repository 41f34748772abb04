/** A little-endian reader over an RNTuple envelope: integers, strings, frames and locators, with located errors. */
import { HepqError } from '../../../exec/batch/index.js';

/** Where the bytes being read came from, for error locations. */
export interface EnvelopeContext {
  readonly file: string;
  /** What is read, e.g. `Events (header envelope)`. */
  readonly object: string;
  /** File offset of the (compressed) envelope. */
  readonly offset: number;
}

/** A byte range of the file: `offset`, `size` (compressed bytes). */
export interface Locator {
  readonly offset: number;
  readonly size: number;
}

/** A frame's extent: where it ends, and for list frames the number of items. */
export interface Frame {
  readonly end: number;
  readonly items: number;
}

const utf8 = new TextDecoder();

export class LeReader {
  readonly view: DataView;
  pos = 0;

  constructor(
    readonly buf: Uint8Array,
    readonly ctx: EnvelopeContext,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** A located error: the file offset of the envelope, the position inside its uncompressed bytes. */
  error(message: string, at = this.pos): HepqError {
    return new HepqError(
      'rntuple/corrupt-metadata',
      `${message} (at byte ${at} of the uncompressed ${this.ctx.object})`,
      {
        location: { file: this.ctx.file, object: this.ctx.object, offset: this.ctx.offset },
        hint: 'the file is damaged or was not written by a ROOT RNTuple writer of format 1.x',
      },
    );
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length)
      throw this.error(`tried to read ${n} bytes but the envelope has ${this.buf.length - this.pos} left`);
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u64big(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }
  i64big(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }
  /** An unsigned 64-bit integer that must fit a JS number exactly (sizes, offsets, counts). */
  u64(): number {
    const at = this.pos;
    const v = this.u64big();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw this.error(`64-bit value ${v} is out of range`, at);
    return Number(v);
  }
  i64(): number {
    const at = this.pos;
    const v = this.i64big();
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER))
      throw this.error(`64-bit value ${v} is out of range`, at);
    return Number(v);
  }
  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }
  string(): string {
    const n = this.u32();
    this.need(n);
    const s = utf8.decode(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }

  /** Feature flags: 64-bit words while the sign bit is set. Any set bit is a feature this reader lacks. */
  featureFlags(): void {
    for (;;) {
      const at = this.pos;
      const w = this.u64big();
      if ((w & 0x7fffffffffffffffn) !== 0n)
        throw new HepqError(
          'rntuple/unsupported-feature',
          `not supported yet: RNTuple feature flags 0x${w.toString(16)} in ${this.ctx.object}`,
          { location: { file: this.ctx.file, object: this.ctx.object, offset: this.ctx.offset + at } },
        );
      if (w >> 63n === 0n) return;
    }
  }

  /** Open a frame at the cursor; `kind` says what it must be. */
  frame(kind: 'record' | 'list'): Frame {
    const start = this.pos;
    const size = this.i64();
    const isList = size < 0;
    if (isList !== (kind === 'list')) throw this.error(`expected a ${kind} frame`, start);
    const items = isList ? this.u32() : 0;
    const end = start + Math.abs(size);
    const min = isList ? 12 : 8;
    if (Math.abs(size) < min || end > this.buf.length)
      throw this.error(`frame of ${Math.abs(size)} bytes does not fit the envelope`, start);
    return { end, items };
  }

  /** Skip to the end of a frame (newer writers may append fields we do not know). */
  close(f: Frame): void {
    if (this.pos > f.end) throw this.error(`frame overran its size by ${this.pos - f.end} bytes`);
    this.pos = f.end;
  }

  /** A locator: standard (32-bit size + 64-bit offset) or the large kind (64-bit size and offset). */
  locator(): Locator {
    const at = this.pos;
    const head = this.i32();
    if (head >= 0) return { size: head, offset: this.u64() };
    // The top byte, read as a signed 8-bit integer, is minus the locator type.
    const type = Math.abs(head >> 24);
    if (type === 1) {
      const size = this.u64();
      return { size, offset: this.u64() };
    }
    throw this.error(`not supported yet: locator type ${type}`, at);
  }

  /** An envelope link: uncompressed length, then a locator. */
  envelopeLink(): Locator & { readonly length: number } {
    const length = this.u64();
    return { length, ...this.locator() };
  }
}
