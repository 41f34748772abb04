/**
 * The column builders object branches are decoded into (raw bytes per leaf, byte-swapped once by `finish`) and
 * the bounds-checked reader of one entry's bytes, whose errors name the entry and the byte offset.
 */
import { bitmapBytes, type Column } from '../../../exec/batch/index.js';
import type { BasketContent } from './decode.js';
import { decodeValues, withDims } from './decode.js';
import type { Item } from './items.js';
import type { Content } from './object-type.js';

export const kByteCountMask = 0x40000000;
const kNewClassTag = 0xffffffff;
const kClassMask = 0x80000000;
/** ROOT's offset of buffer positions in its map of class tags. */
const kMapOffset = 2;

/** A growable byte buffer. */
export class Bytes {
  buf = new Uint8Array(256);
  n = 0;
  push(src: Uint8Array, from: number, len: number): void {
    if (this.n + len > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.n + len));
      next.set(this.buf.subarray(0, this.n));
      this.buf = next;
    }
    if (len > 32) this.buf.set(src.subarray(from, from + len), this.n);
    else for (let k = 0; k < len; k++) this.buf[this.n + k] = src[from + k]!;
    this.n += len;
  }
}

export type Builder =
  | { kind: 'primitive'; item: Item; bytes: Bytes; count: number }
  | { kind: 'string'; bytes: Bytes; offsets: number[] }
  | { kind: 'list'; offsets: number[]; child: Builder }
  | { kind: 'map'; offsets: number[]; key: Builder; value: Builder }
  | { kind: 'class'; members: (Builder | undefined)[]; count: number }
  /** `valid`: one 0/1 per value (a null pointer's place in `child` holds a placeholder). */
  | { kind: 'pointer'; child: Builder; valid: number[] };

const BITS: Item = { disk: 'uint32', out: 'uint32', width: 4 };

export function builderFor(c: Content): Builder {
  switch (c.kind) {
    case 'bits':
      return { kind: 'primitive', item: BITS, bytes: new Bytes(), count: 0 };
    case 'primitive':
      return { kind: 'primitive', item: c.item, bytes: new Bytes(), count: 0 };
    case 'string':
      return { kind: 'string', bytes: new Bytes(), offsets: [0] };
    case 'slice':
      return {
        kind: 'list',
        offsets: [0],
        child: { kind: 'primitive', item: c.item, bytes: new Bytes(), count: 0 },
      };
    case 'list':
    case 'array':
      return { kind: 'list', offsets: [0], child: builderFor(c.content) };
    case 'map':
      return { kind: 'map', offsets: [0], key: builderFor(c.key), value: builderFor(c.value) };
    case 'skip':
      throw new Error('a skipped member has no builder');
    case 'class':
      return {
        kind: 'class',
        members: c.members.map((m) =>
          m.content === 'tobject' || m.content.kind === 'skip' ? undefined : builderFor(m.content),
        ),
        count: 0,
      };
    case 'pointer':
      return { kind: 'pointer', child: builderFor(c.content), valid: [] };
  }
}

/** One placeholder value of `c` (zeros, empty strings and lists): the slot under a null pointer. */
export function pad(c: Content, b: Builder): void {
  switch (c.kind) {
    case 'bits':
    case 'primitive': {
      const p = b as Extract<Builder, { kind: 'primitive' }>;
      const n = c.kind === 'primitive' && c.dims ? c.dims.reduce((a, d) => a * d, 1) : 1;
      const width = c.kind === 'primitive' ? c.item.width : 4;
      p.bytes.push(new Uint8Array(width * n), 0, width * n);
      p.count += n;
      return;
    }
    case 'string': {
      const s = b as Extract<Builder, { kind: 'string' }>;
      s.offsets.push(s.bytes.n);
      return;
    }
    case 'array': {
      const l = b as Extract<Builder, { kind: 'list' }>;
      for (let i = 0; i < c.size; i++) pad(c.content, l.child);
      l.offsets.push(l.offsets.at(-1)! + c.size);
      return;
    }
    case 'slice':
    case 'list':
    case 'map': {
      const l = b as Extract<Builder, { kind: 'list' | 'map' }>;
      l.offsets.push(l.offsets.at(-1)!);
      return;
    }
    case 'class': {
      const k = b as Extract<Builder, { kind: 'class' }>;
      c.members.forEach((m, i) => {
        if (m.content !== 'tobject' && m.content.kind !== 'skip') pad(m.content, k.members[i]!);
      });
      k.count++;
      return;
    }
    case 'skip':
      return;
    case 'pointer': {
      const p = b as Extract<Builder, { kind: 'pointer' }>;
      pad(c.content, p.child);
      p.valid.push(0);
      return;
    }
  }
}

/** Reads one entry's bytes with bounds checks; errors name the entry and the byte offset. */
export class Reader {
  readonly view: DataView;
  pos = 0;
  end = 0;
  entry = 0;
  /** The integer members read so far in the object being read, by name (the counts of its basic pointers). */
  counts = new Map<string, number>();
  /**
   * The class tags read so far in this entry, by the reference a later tag uses: the tag's position in the
   * basket's buffer (the key's length, then the payload) plus kMapOffset (2), as ROOT's TBufferFile numbers them.
   */
  readonly classTags = new Map<number, string>();
  constructor(readonly b: BasketContent) {
    this.view = new DataView(b.data.buffer, b.data.byteOffset, b.data.byteLength);
  }
  fail(message: string, at = this.pos): Error {
    return this.b.cursor.error('root/corrupt-entry', `entry ${this.entry}: ${message}`, at);
  }
  need(n: number): void {
    if (n < 0 || this.pos + n > this.end)
      throw this.fail(`entry data ends at ${this.end} but needs ${n} bytes at ${this.pos}`);
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }
  /** A NUL-terminated name (a class tag's class name), at most 512 characters. */
  cstring(): string {
    const at = this.pos;
    const stop = Math.min(this.end, at + 513);
    let i = at;
    while (i < stop && this.b.data[i] !== 0) i++;
    if (i === stop) throw this.fail(`a class name runs past byte ${stop} without its terminating NUL`, at);
    this.pos = i + 1;
    return Buffer.from(this.b.data.buffer, this.b.data.byteOffset + at, i - at).toString('latin1');
  }
  /** A container length: non-negative and no larger than the bytes left could hold. */
  length(minBytesEach: number): number {
    const at = this.pos;
    const n = this.u32();
    if (n > 0x7fffffff || n * minBytesEach > this.end - this.pos)
      throw this.fail(`container length ${n} does not fit in the ${this.end - this.pos} bytes left`, at);
    return n;
  }
  /**
   * A pointer as ROOT's WriteObjectAny writes it (uproot's `read_object_any`): an optional byte count, then a
   * tag — 0 for a null pointer (null here), kNewClassTag followed by the class name (registered at the tag's
   * position in the basket buffer, key included, plus kMapOffset, as ROOT's map numbers it), or a reference
   * (kClassMask set) to such a tag earlier in the entry. A tag without kClassMask is a second pointer to an
   * object read before in the entry, which hepq cannot share between rows: refused with the location. `what`
   * names the pointer in messages; `end` is -1 without a byte count.
   */
  classTag(what: string): { name: string; end: number; at: number; tagAt: number } | null {
    const at = this.pos;
    let tag = this.u32();
    let tagAt = at;
    let end = -1;
    if (tag & kByteCountMask && tag !== kNewClassTag) {
      end = at + 4 + (tag & ~kByteCountMask);
      if (end > this.end)
        throw this.fail(`byte count ${end - at - 4} runs past the entry's end ${this.end}`, at);
      tagAt = this.pos;
      tag = this.u32();
    }
    if (tag === 0) {
      if (end >= 0 && this.pos !== end)
        throw this.fail(`a null ${what} with a byte count of ${end - at - 4}`, at);
      return null;
    }
    if ((tag & kClassMask) === 0)
      throw this.b.cursor.error(
        'root/unsupported',
        `not supported yet: ${what} pointing to the object at buffer position ${tag - kMapOffset} read before in the entry (entry ${this.entry})`,
        at,
      );
    if (tag === kNewClassTag) {
      const name = this.cstring();
      this.classTags.set((this.b.keylen ?? 0) + tagAt + kMapOffset, name);
      return { name, end, at, tagAt };
    }
    const ref = tag & ~kClassMask;
    const name = this.classTags.get(ref);
    if (name === undefined)
      throw this.fail(
        `class tag refers to buffer position ${ref - kMapOffset}, where this entry has no class tag`,
        tagAt,
      );
    return { name, end, at, tagAt };
  }
  /** A byte count and version (or a bare 2-byte version): the version and where the object ends. */
  header(): { version: number; end: number } {
    const at = this.pos;
    this.need(4);
    const first = this.view.getUint32(this.pos);
    if (first & kByteCountMask) {
      const count = first & ~kByteCountMask;
      const end = this.pos + 4 + count;
      if (end > this.end) throw this.fail(`byte count ${count} runs past the entry's end ${this.end}`, at);
      this.pos += 4;
      return { version: this.u16(), end };
    }
    return { version: this.u16(), end: -1 };
  }
}

/** The column of a builder's values. */
export function finish(c: Content, b: Builder): Column {
  switch (c.kind) {
    case 'bits': {
      const p = b as Extract<Builder, { kind: 'primitive' }>;
      return { kind: 'primitive', type: 'uint32', values: decodeValues(p.bytes.buf, 0, p.count, BITS, true) };
    }
    case 'primitive': {
      const p = b as Extract<Builder, { kind: 'primitive' }>;
      const values = decodeValues(p.bytes.buf, 0, p.count, c.item, true);
      return withDims({ kind: 'primitive', type: c.item.out, values }, c.dims ?? []);
    }
    case 'slice': {
      const l = b as Extract<Builder, { kind: 'list' }>;
      const p = l.child as Extract<Builder, { kind: 'primitive' }>;
      const values = decodeValues(p.bytes.buf, 0, p.count, c.item, true);
      return {
        kind: 'list',
        offsets: Int32Array.from(l.offsets),
        child: { kind: 'primitive', type: c.item.out, values },
      };
    }
    case 'string': {
      const s = b as Extract<Builder, { kind: 'string' }>;
      return { kind: 'utf8', offsets: Int32Array.from(s.offsets), bytes: s.bytes.buf.slice(0, s.bytes.n) };
    }
    case 'list': {
      const l = b as Extract<Builder, { kind: 'list' }>;
      return { kind: 'list', offsets: Int32Array.from(l.offsets), child: finish(c.content, l.child) };
    }
    case 'array': {
      const l = b as Extract<Builder, { kind: 'list' }>;
      return { kind: 'fixed-list', size: c.size, child: finish(c.content, l.child) };
    }
    case 'map': {
      const m = b as Extract<Builder, { kind: 'map' }>;
      const length = m.offsets.at(-1)!;
      return {
        kind: 'list',
        offsets: Int32Array.from(m.offsets),
        child: {
          kind: 'struct',
          names: ['first', 'second'],
          children: [finish(c.key, m.key), finish(c.value, m.value)],
          length,
        },
      };
    }
    case 'pointer': {
      const p = b as Extract<Builder, { kind: 'pointer' }>;
      const col = finish(c.content, p.child) as Extract<Column, { kind: 'struct' }>;
      if (p.valid.every((v) => v === 1)) return col;
      const validity = new Uint8Array(bitmapBytes(p.valid.length));
      p.valid.forEach((v, i) => {
        if (v) validity[i >> 3]! |= 1 << (i & 7);
      });
      return { ...col, validity };
    }
    case 'skip':
      throw new Error('a skipped member has no column');
    case 'class': {
      const k = b as Extract<Builder, { kind: 'class' }>;
      const names: string[] = [];
      const children: Column[] = [];
      c.members.forEach((m, i) => {
        if (m.content === 'tobject' || m.content.kind === 'skip') return;
        const col = finish(m.content, k.members[i]!);
        if (m.base && col.kind === 'struct') {
          // A base class's fields are this record's own (one base object per instance).
          names.push(...col.names);
          children.push(...col.children);
          return;
        }
        names.push(m.name);
        children.push(col);
      });
      return { kind: 'struct', names, children, length: k.count };
    }
  }
}
