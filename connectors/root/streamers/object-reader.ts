/** Streamer-driven deserialisation of any stored ROOT object, with ROOT's class tags and object references. */
import type { Cursor } from '../cursor.js';
import { readPacked } from './float-packing.js';
import { NATIVE_READERS, readTNamed, readTObject } from './natives.js';
import { type StreamerElement, type StreamerRegistry, T } from './streamer-info.js';

/** A deserialised object: its members by name, plus `_class` (and `_version` for streamed classes). */
export type RootObject = { _class: string; [member: string]: unknown };

const kByteCountMask = 0x40000000;
const kNewClassTag = 0xffffffff;
const kClassMask = 0x80000000;
const kMapOffset = 2;

export class ObjectReader {
  readonly streamers: StreamerRegistry;

  constructor(streamers: StreamerRegistry) {
    this.streamers = streamers;
  }

  /** Read an object written through a pointer (TBufferFile::ReadObjectAny): null, a reference, or a tagged object. */
  readObjectAny(c: Cursor): RootObject | null {
    const beg = c.pos + c.refOffset;
    let bcnt = c.u32();
    let tag: number;
    let start = 0;
    let hasCount = false;
    if (!(bcnt & kByteCountMask) || bcnt === kNewClassTag) {
      tag = bcnt;
      bcnt = 0;
    } else {
      hasCount = true;
      bcnt &= ~kByteCountMask;
      start = c.pos + c.refOffset;
      tag = c.u32();
    }
    const end = hasCount ? beg - c.refOffset + 4 + bcnt : -1;
    if (!(tag & kClassMask)) {
      if (tag === 0) return null;
      const obj = c.refs.get(tag);
      if (end >= 0) c.pos = end;
      if (obj === undefined) return { _class: 'TRef', unresolved: tag };
      return obj as RootObject;
    }
    let className: string;
    if (tag === kNewClassTag) {
      className = c.cstring(256);
      c.refs.set(hasCount ? start + kMapOffset : c.refs.size + 1, className);
    } else {
      const ref = (tag & ~kClassMask) >>> 0;
      const cls = c.refs.get(ref);
      if (typeof cls !== 'string') throw c.error('root/bad-reference', `invalid class reference ${ref}`);
      className = cls;
    }
    // Register before reading so self-references inside the object resolve.
    const placeholder: RootObject = { _class: className };
    c.refs.set(hasCount ? beg + kMapOffset : c.refs.size + 1, placeholder);
    const obj = this.readClass(c, className, end);
    Object.assign(placeholder, obj);
    if (end >= 0) {
      if (c.pos > end) throw c.error('root/overrun', `reading ${className} overran its byte count`);
      c.pos = end;
    }
    return placeholder;
  }

  /** Read an object of a known class at the cursor (its own version header included). */
  readClass(c: Cursor, className: string, knownEnd = -1): RootObject {
    const native = NATIVE_READERS[className];
    if (native) return native(c, this);
    const hdr = c.version();
    const info = this.streamers.get(className, hdr.version);
    if (!info) {
      const end = hdr.end >= 0 ? hdr.end : knownEnd;
      if (end < 0)
        throw c.error('root/no-streamer', `no streamer for class ${className} and no byte count to skip it`);
      c.pos = end;
      return { _class: className, _version: hdr.version, _unreadable: `no streamer for ${className}` };
    }
    const obj: RootObject = { _class: className, _version: hdr.version };
    for (const el of info.elements) this.readElement(c, el, obj);
    c.close(hdr, className);
    return obj;
  }

  /** Read one member of `obj` as its streamer element describes it. */
  readElement(c: Cursor, el: StreamerElement, obj: RootObject): void {
    const t = el.type;
    if (t === T.Base) {
      if (el.name === 'TObject') Object.assign(obj, readTObject(c), { _class: obj._class });
      else if (el.name === 'TNamed') Object.assign(obj, readTNamed(c), { _class: obj._class });
      else {
        const base = this.readClass(c, el.name);
        for (const [k, v] of Object.entries(base)) if (k !== '_class' && k !== '_version') obj[k] = v;
        obj[`_base_${el.name}`] = base._version;
      }
      return;
    }
    if (t > 0 && t < T.OffsetL) {
      obj[el.name] = readBasic(c, t, el);
      return;
    }
    if (t > T.OffsetL && t < T.OffsetP) {
      const n = el.arrayLength;
      obj[el.name] = Array.from({ length: n }, () => readBasic(c, t - T.OffsetL, el));
      return;
    }
    if (t > T.OffsetP && t < T.Object) {
      const isArray = c.u8();
      const count = Number(obj[el.countName ?? ''] ?? 0);
      const values: unknown[] = [];
      if (isArray) for (let i = 0; i < count; i++) values.push(readBasic(c, t - T.OffsetP, el));
      obj[el.name] = values;
      return;
    }
    switch (t) {
      case T.Object:
      case T.Any:
      case T.Objectp:
      case T.Anyp: {
        // `//->` pointers (Objectp, Anyp) are never null and are streamed in place, without a class tag
        const cls = el.typeName.replace(/\*$/, '');
        obj[el.name] =
          el.arrayLength > 1
            ? Array.from({ length: el.arrayLength }, () => this.readClass(c, cls))
            : this.readClass(c, cls);
        return;
      }
      case T.ObjectP:
      case T.AnyP:
        obj[el.name] =
          el.arrayLength > 1
            ? Array.from({ length: el.arrayLength }, () => this.readObjectAny(c))
            : this.readObjectAny(c);
        return;
      case T.TString:
        obj[el.name] = c.string();
        return;
      case T.TObject:
      case T.TNamed: {
        const v = t === T.TObject ? readTObject(c) : readTNamed(c);
        if (el.className === 'TStreamerBase') Object.assign(obj, v, { _class: obj._class });
        else obj[el.name] = v;
        return;
      }
      case T.STLstring:
      case T.STL:
      case T.Streamer:
      case T.StreamLoop:
      case T.AnyPnoVT:
      case T.STLp:
      default:
        obj[el.name] = this.readSkippable(c, el);
    }
  }

  /** Containers and rarer members: read std::vector of numbers and std::string, skip the rest by byte count. */
  private readSkippable(c: Cursor, el: StreamerElement): unknown {
    const hdr = c.version();
    if (hdr.end < 0)
      throw c.error(
        'root/unsupported-member',
        `cannot skip member ${el.name} (${el.typeName}) without a byte count`,
      );
    let value: unknown = { _unread: el.typeName };
    if (el.type === T.STLstring || el.typeName === 'string' || el.typeName === 'std::string') {
      value = c.string();
    } else if (
      el.type === T.STL &&
      el.stlType === 1 &&
      el.ctype !== undefined &&
      el.ctype > 0 &&
      el.ctype < T.OffsetL
    ) {
      const n = c.i32();
      value = Array.from({ length: n }, () => readBasic(c, el.ctype!, el));
    }
    c.pos = hdr.end;
    return value;
  }
}

/** One basic value of ROOT type code `t` (1..19). 64-bit integers come back as bigint. */
export function readBasic(c: Cursor, t: number, el?: StreamerElement): number | bigint | boolean | string {
  switch (t) {
    case T.Char:
    case T.LegacyChar:
      return c.i8();
    case T.Short:
      return c.i16();
    case T.Int:
    case T.Counter:
      return c.i32();
    case T.Long:
    case T.Long64:
      return c.i64big();
    case T.Float:
      return c.f32();
    case T.Double:
      return c.f64();
    case T.Double32:
    case T.Float16: {
      const range = el?.range ?? ({ mode: t === T.Float16 ? 'truncated' : 'float', nbits: 12 } as never);
      const width = range.mode === 'truncated' ? 3 : 4;
      c.need(width);
      const v = readPacked(c.view, c.pos, range);
      c.pos += width;
      return v;
    }
    case T.UChar:
      return c.u8();
    case T.UShort:
      return c.u16();
    case T.UInt:
    case T.Bits:
      return c.u32();
    case T.ULong:
    case T.ULong64:
      return c.u64big();
    case T.Bool:
      return c.u8() !== 0;
    case T.CharStar: {
      const n = c.i32();
      return n > 0 ? new TextDecoder().decode(c.bytes(n)) : '';
    }
    default:
      throw c.error('root/bad-type', `unknown basic type code ${t}`);
  }
}
