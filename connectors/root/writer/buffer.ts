/** A growable big-endian output buffer with ROOT's object framing: byte counts, class tags and object references. */

const kByteCountMask = 0x40000000;
const kNewClassTag = 0xffffffff;
const kClassMask = 0x80000000;
/** ROOT maps an object at (position of its byte count + this), so tag 0 stays free for null. */
const kMapOffset = 2;

export class WriteBuffer {
  private buf: Uint8Array;
  private view: DataView;
  pos = 0;
  /**
   * Offset added to positions when computing reference tags: a key's length when the buffer is an object
   * payload (ROOT counts reference positions from the start of the key).
   */
  refOffset = 0;
  private readonly classTags = new Map<string, number>();
  private readonly objectTags = new Map<object, number>();

  constructor(initial = 4096) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** The bytes written so far (a view, valid until the next write). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v & 0xff;
  }
  i8(v: number): void {
    this.u8(v);
  }
  i16(v: number): void {
    this.ensure(2);
    this.view.setInt16(this.pos, v);
    this.pos += 2;
  }
  u16(v: number): void {
    this.ensure(2);
    this.view.setUint16(this.pos, v);
    this.pos += 2;
  }
  i32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.pos, v);
    this.pos += 4;
  }
  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v >>> 0);
    this.pos += 4;
  }
  i64(v: number | bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.pos, BigInt(v));
    this.pos += 8;
  }
  u64(v: number | bigint): void {
    this.ensure(8);
    this.view.setBigUint64(this.pos, BigInt(v));
    this.pos += 8;
  }
  f32(v: number): void {
    this.ensure(4);
    this.view.setFloat32(this.pos, v);
    this.pos += 4;
  }
  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
  }
  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }
  zeros(n: number): void {
    this.ensure(n);
    this.buf.fill(0, this.pos, this.pos + n);
    this.pos += n;
  }

  /** A TString: one length byte (255 then a 4-byte length for long strings) and the UTF-8 bytes. */
  string(s: string): void {
    const b = new TextEncoder().encode(s);
    if (b.length < 255) this.u8(b.length);
    else {
      this.u8(255);
      this.i32(b.length);
    }
    this.raw(b);
  }

  /** A NUL-terminated class name (as written after a new-class tag). */
  cstring(s: string): void {
    this.raw(new TextEncoder().encode(s));
    this.u8(0);
  }

  patchI32(at: number, v: number): void {
    this.view.setInt32(at, v);
  }
  patchU32(at: number, v: number): void {
    this.view.setUint32(at, v >>> 0);
  }
  patchI64(at: number, v: number | bigint): void {
    this.view.setBigInt64(at, BigInt(v));
  }

  /** Open an object: a byte-count placeholder and the class version. Returns the mark for `endObject`. */
  beginObject(version: number): number {
    const mark = this.pos;
    this.u32(0);
    this.i16(version);
    return mark;
  }

  /** Close an object opened by `beginObject`: its byte count covers everything after the count itself. */
  endObject(mark: number): void {
    this.patchU32(mark, (this.pos - mark - 4) | kByteCountMask);
  }

  /**
   * Write an object through a pointer (TBufferFile::WriteObjectAny): null as 0, an object already written as a
   * reference to it, otherwise a byte count, the class (name on first use, then a reference) and `body`.
   */
  objectAny(obj: object | null, className: string, body: () => void): void {
    if (obj === null) {
      this.u32(0);
      return;
    }
    const ref = this.objectTags.get(obj);
    if (ref !== undefined) {
      this.u32(ref);
      return;
    }
    const mark = this.pos;
    this.u32(0);
    const classRef = this.classTags.get(className);
    if (classRef !== undefined) this.u32(classRef | kClassMask);
    else {
      this.classTags.set(className, this.pos + this.refOffset + kMapOffset);
      this.u32(kNewClassTag);
      this.cstring(className);
    }
    this.objectTags.set(obj, mark + this.refOffset + kMapOffset);
    body();
    this.patchU32(mark, (this.pos - mark - 4) | kByteCountMask);
  }
}
