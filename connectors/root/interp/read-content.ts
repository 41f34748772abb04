/**
 * Reads one value of an object branch's content (a number, string, STL container, pointer, class) into its
 * column builder, as decode-object.ts's entry loop asks: class members in streamer order, containers written
 * member-wise, pointers with class tags; located errors where the bytes do not fit.
 */
import { type Builder, kByteCountMask, pad, type Reader } from './object-builders.js';
import { type Content, cppOfContent, normaliseTypeName } from './object-type.js';

export const kStreamedMemberWise = 0x4000;
const kIsReferenced = 1 << 4;

/** A pointer to an object (Reader.classTag reads its tag): a null record for a null pointer, else the object. */
function readPointer(c: Extract<Content, { kind: 'pointer' }>, p: Builder, r: Reader): void {
  const b = p as Extract<Builder, { kind: 'pointer' }>;
  const tag = r.classTag(cppOfContent(c));
  if (!tag) {
    pad(c.content, b.child);
    b.valid.push(0);
    return;
  }
  const { name, end, at, tagAt } = tag;
  if (normaliseTypeName(name) !== c.content.name)
    throw r.b.cursor.error(
      'root/unsupported',
      `not supported yet: ${cppOfContent(c)} holding a ${name} (entry ${r.entry})`,
      tagAt,
    );
  // ROOT's generated streamers open an object with its byte count; a version alone is a class's own Streamer
  // (nEXO::SmartRef), whose layout the file's streamer info need not describe.
  r.need(4);
  if (!(r.view.getUint32(r.pos) & kByteCountMask))
    throw r.b.cursor.error(
      'root/unsupported',
      `not supported yet: ${cppOfContent(c)} holding a ${name} written by its own Streamer (version ${r.view.getUint16(r.pos)} without a byte count; entry ${r.entry})`,
      r.pos,
    );
  read(c.content, b.child, r, true);
  if (end >= 0 && r.pos !== end)
    throw r.fail(`${cppOfContent(c)} ends at ${r.pos} but its byte count says ${end}`, at);
  b.valid.push(1);
}

export function read(c: Content, bld: Builder, r: Reader, header: boolean): void {
  switch (c.kind) {
    case 'pointer':
      readPointer(c, bld, r);
      return;
    case 'bits': {
      const b = bld as Extract<Builder, { kind: 'primitive' }>;
      if (c.ref) r.u16(); // a TRef: its TObject's version, then fUniqueID is the value
      r.need(4);
      b.bytes.push(r.b.data, r.pos, 4);
      if (c.ref) r.u32();
      const bits = r.u32();
      if (bits & kIsReferenced) r.u16();
      if (c.ref) r.u16(); // the TRef's process id
      b.count++;
      return;
    }
    case 'primitive': {
      const b = bld as Extract<Builder, { kind: 'primitive' }>;
      const n = c.dims ? c.dims.reduce((a, d) => a * d, 1) : 1;
      r.need(c.item.width * n);
      b.bytes.push(r.b.data, r.pos, c.item.width * n);
      r.pos += c.item.width * n;
      b.count += n;
      return;
    }
    case 'slice': {
      const b = bld as Extract<Builder, { kind: 'list' }>;
      const p = b.child as Extract<Builder, { kind: 'primitive' }>;
      const at = r.pos;
      const k = r.counts.get(c.count);
      if (k === undefined || k < 0)
        throw r.fail(`no count ${c.count} read before its ${cppOfContent(c)}`, at);
      const n = c.triangle ? (k * (k + 1)) / 2 : k;
      const skip = c.skip ?? 1; // the pointer's marker byte (TRefArray: fLowerBound and process id)
      r.need(skip + n * c.item.width);
      r.pos += skip;
      p.bytes.push(r.b.data, r.pos, n * c.item.width);
      r.pos += n * c.item.width;
      p.count += n;
      b.offsets.push(b.offsets.at(-1)! + n);
      return;
    }
    case 'string': {
      const b = bld as Extract<Builder, { kind: 'string' }>;
      // A byte count and version, when there is one (a short string may be written without).
      if (c.header && header && r.pos + 4 <= r.end && r.view.getUint32(r.pos) & kByteCountMask) r.header();
      let n: number;
      if (c.wide) n = r.u32();
      else {
        r.need(1);
        n = r.b.data[r.pos++]!;
        if (n === 255) n = r.u32();
      }
      r.need(n);
      b.bytes.push(r.b.data, r.pos, n);
      r.pos += n;
      b.offsets.push(b.bytes.n);
      return;
    }
    case 'array': {
      const b = bld as Extract<Builder, { kind: 'list' }>;
      for (let i = 0; i < c.size; i++) read(c.content, b.child, r, true);
      b.offsets.push(b.offsets.at(-1)! + c.size);
      return;
    }
    case 'list': {
      const b = bld as Extract<Builder, { kind: 'list' }>;
      if (c.header && header) {
        const at = r.pos;
        const h = r.header();
        if (h.version & kStreamedMemberWise) {
          const n = readMemberWise(c, b.child, r, at);
          b.offsets.push(b.offsets.at(-1)! + n);
          if (h.end >= 0 && r.pos !== h.end)
            throw r.fail(`${cppOfContent(c)} ends at ${r.pos} but its byte count says ${h.end}`, at);
          return;
        }
      }
      const n = r.length(c.content.kind === 'primitive' ? c.content.item.width : 1);
      for (let i = 0; i < n; i++) read(c.content, b.child, r, false);
      b.offsets.push(b.offsets.at(-1)! + n);
      return;
    }
    case 'map': {
      const b = bld as Extract<Builder, { kind: 'map' }>;
      let memberwise = false;
      if (c.header && header) memberwise = (r.header().version & kStreamedMemberWise) !== 0;
      if (memberwise) {
        r.need(6);
        r.pos += 6;
      }
      const n = r.length(1);
      if (memberwise) {
        // All keys, then all values; a container or string among them is preceded by one shared 6-byte header.
        if (hasHeader(c.key) && header) r.pos += 6;
        for (let i = 0; i < n; i++) read(c.key, b.key, r, false);
        if (hasHeader(c.value) && header) r.pos += 6;
        for (let i = 0; i < n; i++) read(c.value, b.value, r, false);
      } else
        for (let i = 0; i < n; i++) {
          // Pair by pair, a string or container key or value has no header of its own (ROOT streams the
          // pairs with their class's streamer: ByteStreamAuxContainer_v1's map<string,vector<int>>).
          read(c.key, b.key, r, false);
          read(c.value, b.value, r, false);
        }
      b.offsets.push(b.offsets.at(-1)! + n);
      return;
    }
    case 'skip': {
      const at = r.pos;
      if (c.tagged) {
        const tag = r.classTag(c.cpp);
        if (tag && tag.end < 0) throw r.fail(`${c.cpp} has no byte count to skip it by`, at);
        if (tag) r.pos = tag.end;
        return;
      }
      const h = r.header();
      if (h.end < 0) throw r.fail(`${c.cpp} has no byte count to skip it by`, at);
      r.pos = h.end;
      return;
    }
    case 'class': {
      const b = bld as Extract<Builder, { kind: 'class' }>;
      const at = r.pos;
      // An object's byte count and version; an unsplit object of a branch may start right at its members
      // (its TObject base's bare version), which a header always tells apart by the byte-count bit.
      r.need(4);
      const h = r.view.getUint32(r.pos) & kByteCountMask ? r.header() : { version: c.version, end: -1 };
      // Version 0: a class without a ROOT dictionary version ("foreign"), identified by the checksum after it.
      if (h.version === 0 && c.version !== 0) r.u32();
      else if (h.version !== c.version && c.version !== -1)
        throw r.fail(`${c.name} version ${h.version}, but the file's streamer is version ${c.version}`, at);
      readMembers(c, b, r, h.end, at);
      if (h.end >= 0 && r.pos !== h.end && !c.members.at(-1)?.outside)
        throw r.fail(`${c.name} ends at ${r.pos} but its byte count says ${h.end}`, at);
      return;
    }
  }
}

/** A class's members in streamer order (its TObject base: version, fUniqueID, fBits and a referenced object's pid). */
export function readMembers(
  c: Extract<Content, { kind: 'class' }>,
  b: Extract<Builder, { kind: 'class' }>,
  r: Reader,
  end = -1,
  at = r.pos,
) {
  const outer = r.counts;
  if (c.counts) r.counts = new Map();
  c.members.forEach((m, i) => {
    if (m.content === 'tobject') {
      r.header();
      r.u32(); // fUniqueID
      const bits = r.u32();
      if (bits & kIsReferenced) r.u16();
      return;
    }
    const k = m.content;
    if (m.outside && end >= 0 && r.pos !== end)
      throw r.fail(`${c.name} ends at ${r.pos} but its byte count says ${end}`, at);
    // An integer member that counts the values of a basic pointer member after it.
    if (c.counts?.has(m.name) && k.kind === 'primitive' && r.pos + k.item.width <= r.end) {
      const w = k.item.width;
      const v =
        w === 4
          ? r.view.getInt32(r.pos)
          : w === 2
            ? r.view.getInt16(r.pos)
            : w === 1
              ? r.view.getInt8(r.pos)
              : -1;
      r.counts.set(m.name, v);
    }
    read(k, b.members[i]!, r, true);
  });
  r.counts = outer;
  b.count++;
}

/**
 * A container of class objects written member-wise (its version has kStreamedMemberWise): the element class's
 * version (and checksum when it is 0), the length, then each member of all the elements in turn.
 */
function readMemberWise(c: Extract<Content, { kind: 'list' }>, bld: Builder, r: Reader, at: number): number {
  const k = elementVersion(c, r, at);
  const n = r.length(1);
  memberWise(k, bld as Extract<Builder, { kind: 'class' }>, r, n, at);
  return n;
}

/** The element class's version (and checksum when 0) that opens a member-wise container's elements. */
function elementVersion(c: Extract<Content, { kind: 'list' }>, r: Reader, at: number) {
  const k = c.content;
  if (k.kind !== 'class')
    throw r.fail(`${cppOfContent(c)} is written member-wise, but only containers of classes can be`, at);
  const version = r.u16() & ~kStreamedMemberWise;
  if (version === 0)
    r.u32(); // checksum
  else if (version !== k.version && k.version !== -1)
    throw r.fail(`${k.name} version ${version}, but the file's streamer is version ${k.version}`, at);
  return k;
}

/**
 * A split collection's member entry of member-wise containers: one header and element-class version for all
 * the entry's containers, then each container's length and its elements' members.
 */
export function repeatedMemberWise(c: Content, bld: Builder, r: Reader, at: number): number {
  if (c.kind !== 'list')
    throw r.fail(`${cppOfContent(c)} is written member-wise, but only containers of classes can be`, at);
  const k = elementVersion(c, r, at);
  const b = bld as Extract<Builder, { kind: 'list' }>;
  let count = 0;
  for (; r.pos < r.end; count++) {
    const n = r.length(1);
    memberWise(k, b.child as Extract<Builder, { kind: 'class' }>, r, n, at);
    b.offsets.push(b.offsets.at(-1)! + n);
  }
  return count;
}

/** The members of `n` objects, member by member; a base class's members are written as this class's own. */
function memberWise(
  k: Extract<Content, { kind: 'class' }>,
  b: Extract<Builder, { kind: 'class' }>,
  r: Reader,
  n: number,
  at: number,
): void {
  k.members.forEach((m, i) => {
    if (m.content !== 'tobject' && m.content.kind === 'slice')
      throw r.b.cursor.error(
        'root/unsupported',
        `not supported yet: ${k.name}::${m.name} (a basic pointer) written member-wise (entry ${r.entry})`,
        at,
      );
    if (m.content === 'tobject')
      throw r.b.cursor.error(
        'root/unsupported',
        `not supported yet: ${k.name} (a TObject) written member-wise (entry ${r.entry})`,
        at,
      );
    if (m.base && m.content.kind === 'class')
      memberWise(m.content, b.members[i] as Extract<Builder, { kind: 'class' }>, r, n, at);
    else if (hasHeader(m.content) && n > 0) sharedMember(k, m.name, m.content, b.members[i]!, r, n);
    else for (let j = 0; j < n; j++) read(m.content, b.members[i]!, r, true);
  });
  b.count += n;
}

/**
 * A string or container member of `n` elements written member-wise: ROOT streams the member of all the
 * elements as one, under one byte count and version, each element's value without a header of its own; a
 * container member may itself be member-wise (its version says so), then one element-class version follows
 * the header and each container is its length and its elements' members.
 */
function sharedMember(
  k: Extract<Content, { kind: 'class' }>,
  name: string,
  c: Content,
  bld: Builder,
  r: Reader,
  n: number,
): void {
  const at = r.pos;
  const h = r.header();
  if (h.end < 0) throw r.fail(`${k.name}::${name} of ${n} elements has no byte count`, at);
  if (h.version & kStreamedMemberWise) {
    if (c.kind !== 'list')
      throw r.fail(`${cppOfContent(c)} is written member-wise, but only containers of classes can be`, at);
    const e = elementVersion(c, r, at);
    const b = bld as Extract<Builder, { kind: 'list' }>;
    for (let j = 0; j < n; j++) {
      const len = r.length(1);
      memberWise(e, b.child as Extract<Builder, { kind: 'class' }>, r, len, at);
      b.offsets.push(b.offsets.at(-1)! + len);
    }
  } else for (let j = 0; j < n; j++) read(c, bld, r, false);
  if (r.pos !== h.end)
    throw r.fail(`${k.name}::${name} ends at ${r.pos} but its byte count says ${h.end}`, at);
}

function hasHeader(c: Content): boolean {
  return (c.kind === 'list' || c.kind === 'map' || c.kind === 'string') && c.header;
}
