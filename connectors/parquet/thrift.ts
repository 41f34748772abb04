/**
 * Thrift's compact protocol (the encoding of Parquet's footer and page headers), read into a generic tree
 * that keeps every field's wire type, so a footer can be changed and written back (the streaming writer
 * joins row groups of separately encoded chunks by rewriting their offsets).
 */

/** Compact-protocol wire types. */
export const T = {
  STOP: 0,
  TRUE: 1,
  FALSE: 2,
  I8: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12,
} as const;

export type TValue = number | boolean | Uint8Array | TStruct | TList | TMap;
export interface TField {
  type: number;
  value: TValue;
}
/** A struct: field id → typed value. */
export type TStruct = Map<number, TField>;
export interface TList {
  readonly kind: 'list';
  elem: number;
  items: TValue[];
}
export interface TMap {
  readonly kind: 'map';
  key: number;
  val: number;
  entries: [TValue, TValue][];
}

export class ThriftError extends Error {}

/** A reader over a byte array; `pos` is where the next value starts. */
export class CompactReader {
  pos: number;
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
  ) {
    this.pos = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private byte(): number {
    if (this.pos >= this.bytes.length) throw new ThriftError(`thrift data ends at byte ${this.pos}`);
    return this.bytes[this.pos++]!;
  }

  /** Unsigned LEB128 varint as a number (exact below 2^53). */
  varint(): number {
    let out = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      out += (b & 0x7f) * mul;
      if (!(b & 0x80)) return out;
      mul *= 128;
    }
    throw new ThriftError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  zigzag(): number {
    const v = this.varint();
    // (v >>> 1) ^ -(v & 1) without 32-bit truncation
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }

  private value(type: number, depth: number): TValue {
    switch (type) {
      case T.TRUE:
        return true;
      case T.FALSE:
        return false;
      case T.I8: {
        const b = this.byte();
        return b > 127 ? b - 256 : b;
      }
      case T.I16:
      case T.I32:
      case T.I64:
        return this.zigzag();
      case T.DOUBLE: {
        if (this.pos + 8 > this.bytes.length) throw new ThriftError(`thrift data ends at byte ${this.pos}`);
        const d = this.view.getFloat64(this.pos, true);
        this.pos += 8;
        return d;
      }
      case T.BINARY: {
        const n = this.varint();
        if (this.pos + n > this.bytes.length)
          throw new ThriftError(`binary of ${n} bytes runs past the end at byte ${this.pos}`);
        const b = this.bytes.subarray(this.pos, this.pos + n);
        this.pos += n;
        return b;
      }
      case T.LIST:
      case T.SET: {
        const h = this.byte();
        const elem = h & 0x0f;
        const n = h >> 4 === 15 ? this.varint() : h >> 4;
        if (n > this.bytes.length - this.pos) throw new ThriftError(`list of ${n} items at byte ${this.pos}`);
        const items: TValue[] = [];
        for (let i = 0; i < n; i++)
          items.push(elem === T.TRUE || elem === T.FALSE ? this.byte() === 1 : this.value(elem, depth + 1));
        return { kind: 'list', elem, items };
      }
      case T.MAP: {
        const n = this.varint();
        const kv = n > 0 ? this.byte() : 0;
        if (n > this.bytes.length - this.pos)
          throw new ThriftError(`map of ${n} entries at byte ${this.pos}`);
        const entries: [TValue, TValue][] = [];
        for (let i = 0; i < n; i++)
          entries.push([this.value(kv >> 4, depth + 1), this.value(kv & 15, depth + 1)]);
        return { kind: 'map', key: kv >> 4, val: kv & 15, entries };
      }
      case T.STRUCT:
        return this.struct(depth + 1);
      default:
        throw new ThriftError(`unknown thrift type ${type} at byte ${this.pos - 1}`);
    }
  }

  /** One struct (up to and including its STOP byte). */
  struct(depth = 0): TStruct {
    if (depth > 64) throw new ThriftError('thrift structs nested deeper than 64');
    const out: TStruct = new Map();
    let id = 0;
    for (;;) {
      const h = this.byte();
      if (h === T.STOP) return out;
      const type = h & 0x0f;
      id = h >> 4 ? id + (h >> 4) : this.zigzag();
      out.set(id, { type, value: this.value(type, depth) });
    }
  }
}

/** Writes a generic tree back in the compact protocol. */
export class CompactWriter {
  private buf = new Uint8Array(1024);
  private len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  private varint(v: number): void {
    while (v >= 128) {
      this.byte((v % 128) | 0x80);
      v = Math.floor(v / 128);
    }
    this.byte(v);
  }

  private zigzag(v: number): void {
    this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  private value(type: number, v: TValue): void {
    switch (type) {
      case T.TRUE:
      case T.FALSE:
        return; // in the field header
      case T.I8:
        this.byte((v as number) & 0xff);
        return;
      case T.I16:
      case T.I32:
      case T.I64:
        this.zigzag(v as number);
        return;
      case T.DOUBLE: {
        this.ensure(8);
        new DataView(this.buf.buffer).setFloat64(this.len, v as number, true);
        this.len += 8;
        return;
      }
      case T.BINARY: {
        const b = v as Uint8Array;
        this.varint(b.length);
        this.ensure(b.length);
        this.buf.set(b, this.len);
        this.len += b.length;
        return;
      }
      case T.LIST:
      case T.SET: {
        const l = v as TList;
        if (l.items.length < 15) this.byte((l.items.length << 4) | l.elem);
        else {
          this.byte(0xf0 | l.elem);
          this.varint(l.items.length);
        }
        for (const it of l.items)
          if (l.elem === T.TRUE || l.elem === T.FALSE) this.byte(it ? 1 : 2);
          else this.value(l.elem, it);
        return;
      }
      case T.MAP: {
        const m = v as TMap;
        this.varint(m.entries.length);
        if (m.entries.length) this.byte((m.key << 4) | m.val);
        for (const [k, x] of m.entries) {
          this.value(m.key, k);
          this.value(m.val, x);
        }
        return;
      }
      case T.STRUCT:
        this.struct(v as TStruct);
        return;
    }
    throw new ThriftError(`cannot write thrift type ${type}`);
  }

  struct(s: TStruct): void {
    let last = 0;
    for (const id of [...s.keys()].sort((a, b) => a - b)) {
      const f = s.get(id)!;
      const type = f.type === T.TRUE || f.type === T.FALSE ? (f.value ? T.TRUE : T.FALSE) : f.type;
      const delta = id - last;
      if (delta > 0 && delta < 16) this.byte((delta << 4) | type);
      else {
        this.byte(type);
        this.zigzag(id);
      }
      this.value(type, f.value);
      last = id;
    }
    this.byte(T.STOP);
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Field accessors that check the wire type (a corrupt footer must not be read as something else). */
export const get = {
  int(s: TStruct, id: number): number | undefined {
    const f = s.get(id);
    if (!f) return undefined;
    if (typeof f.value !== 'number') throw new ThriftError(`field ${id} is not an integer`);
    return f.value;
  },
  bin(s: TStruct, id: number): Uint8Array | undefined {
    const f = s.get(id);
    if (!f) return undefined;
    if (!(f.value instanceof Uint8Array)) throw new ThriftError(`field ${id} is not binary`);
    return f.value;
  },
  str(s: TStruct, id: number): string | undefined {
    const b = get.bin(s, id);
    return b && new TextDecoder().decode(b);
  },
  struct(s: TStruct, id: number): TStruct | undefined {
    const f = s.get(id);
    if (!f) return undefined;
    if (!(f.value instanceof Map)) throw new ThriftError(`field ${id} is not a struct`);
    return f.value;
  },
  list(s: TStruct, id: number): TValue[] {
    const f = s.get(id);
    if (!f) return [];
    if (typeof f.value !== 'object' || !('kind' in f.value) || f.value.kind !== 'list')
      throw new ThriftError(`field ${id} is not a list`);
    return f.value.items;
  },
  bool(s: TStruct, id: number): boolean | undefined {
    const f = s.get(id);
    return f && typeof f.value === 'boolean' ? f.value : undefined;
  },
};
