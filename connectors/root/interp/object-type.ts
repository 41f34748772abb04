/**
 * The content of an object branch composed from its C++ type, as uproot's container interpretations are: a
 * list wraps any content (so vector<vector<vector<T>>> needs no case of its own), maps are lists of
 * key/value records, and classes the file's streamers describe (TLorentzVector, ...) are records.
 */
import {
  normaliseTypeName,
  type StreamerElement,
  type StreamerRegistry,
  T,
} from '../streamers/streamer-info.js';
import {
  type ClassMember,
  type Content,
  type ContentResult,
  cppOfContent,
  fieldsOf,
  typeOfContent,
} from './content.js';
import {
  CHAR_STAR,
  COLLECTIONS,
  collectionElement,
  emptyBases,
  LISTS,
  loopRefusal,
  MAPS,
  MAX_DEPTH,
  OWN_STREAMER,
  splitTemplate,
  tarray,
} from './content-helpers.js';
import { itemOfCode, itemOfName } from './items.js';
import { ELEMENT_LINK_BASE, TMATRIX_SYM_D, TREF_ARRAY } from './known-classes.js';

export type { ClassMember, Content, ContentResult };
export { CHAR_STAR, cppOfContent, fieldsOf, loopRefusal, normaliseTypeName, typeOfContent };

/**
 * The content of C++ type `name`. `header`: whether this value carries a byte count and version; the contents
 * of a list never do, those of a map inherit the map's (uproot's `outer_header` / `inner_header`).
 */
export function contentOf(
  name: string,
  header: boolean,
  streamers: StreamerRegistry,
  depth = 0,
): ContentResult {
  // A top-level const (`const std::string bar;`: uproot-issue-1043.root) changes nothing in the bytes.
  const n = normaliseTypeName(name).replace(/^const /, '');
  if (depth > MAX_DEPTH) return { refused: `types nest deeper than ${MAX_DEPTH} levels` };
  const it = itemOfName(n);
  if (it) return { content: { kind: 'primitive', item: it } };
  if (n === 'string') return { content: { kind: 'string', header, cpp: 'std::string' } };
  if (n === 'TString') return { content: { kind: 'string', header: false, cpp: 'TString' } };
  if (n.endsWith('*')) return pointerContent(n, streamers, depth);
  const t = splitTemplate(n);
  // std::bitset<N>: ROOT streams it as a container of N bools (a 32-bit count, then a byte per bit), as
  // uproot's AsBitSet and jsroot read it; its streamer names the bitset itself as its only member.
  if (t?.base === 'bitset' && /^\d+$/.test(t.args[0] ?? '')) {
    const bool = itemOfName('bool')!;
    const cpp = `std::bitset<${t.args[0]}>`;
    return { content: { kind: 'list', header, cpp, content: { kind: 'primitive', item: bool } } };
  }
  if (t && LISTS.has(t.base) && t.args.length >= 1) {
    const inner = contentOf(t.args[0]!, false, streamers, depth + 1);
    if ('refused' in inner) return inner;
    const cpp = t.base.includes('RVec') ? 'ROOT::VecOps::RVec' : `std::${t.base}`;
    return { content: { kind: 'list', header, cpp, content: inner.content } };
  }
  if (t && MAPS.has(t.base) && t.args.length >= 2) {
    const key = contentOf(t.args[0]!, header, streamers, depth + 1);
    if ('refused' in key) return key;
    const value = contentOf(t.args[1]!, header, streamers, depth + 1);
    if ('refused' in value) return value;
    return {
      content: { kind: 'map', header, cpp: `std::${t.base}`, key: key.content, value: value.content },
    };
  }
  return classContent(n, streamers, depth);
}
/**
 * A pointer to a class, `X*` or `const X*` (uproot's AsPointer: the `*` and `const` stripped, the pointee's
 * streamer used); only classes are streamed through pointers with class tags.
 */
function pointerContent(name: string, streamers: StreamerRegistry, depth: number): ContentResult {
  const pointee = name.slice(0, -1).replace(/^const /, '');
  const c = contentOf(pointee, true, streamers, depth + 1);
  if ('refused' in c) return c;
  if (c.content.kind !== 'class') return { refused: `a pointer to ${cppOfContent(c.content)}` };
  return { content: { kind: 'pointer', content: c.content } };
}

/**
 * Classes hepq knows the layout of when the file carries no streamer for them (as uproot does): ATLAS xAOD's
 * `ElementLink<T>`, whose persistent part is its base `ElementLinkBase` {m_persKey, m_persIndex}, its
 * `DataVector<X>` of a class without data members (only a count), and std::pair.
 */
function knownClass(name: string, streamers: StreamerRegistry, depth: number): ContentResult | undefined {
  const t = splitTemplate(name);
  if (t?.base === 'pair' && t.args.length === 2) return pairContent(name, t.args, streamers, depth);
  // ATLAS's DataVector<X> of a class X without data members holds only its element count, however it is
  // written (uproot-issue-123b.root has no streamer for it, and each entry is a bare 4-byte count): said so. One
  // of a class with data stays refused for want of a streamer.
  if (t?.base === 'DataVector' && t.args.length === 1) {
    const c = collectionContent(name, normaliseTypeName(t.args[0]!), streamers, depth);
    return 'refused' in c && c.noData ? c : undefined;
  }
  if (!/^ElementLink<.*>$/.test(name)) return undefined;
  const base = streamers.has('ElementLinkBase')
    ? classContent('ElementLinkBase', streamers, depth + 1)
    : { content: ELEMENT_LINK_BASE };
  if ('refused' in base) return base;
  return {
    content: {
      kind: 'class',
      name,
      version: -1,
      members: [{ name: 'ElementLinkBase', content: base.content, base: true }],
    },
  };
}

/**
 * `std::pair<A,B>` without a streamer in the file (xAOD::EventAuxInfo_v1's `vector<pair<string,string>>`):
 * the record {first, second}, the members ROOT's generated pair streamer has, in that order; as in a map's
 * pairs, a string or container member carries no header of its own.
 */
function pairContent(
  name: string,
  args: readonly string[],
  streamers: StreamerRegistry,
  depth: number,
): ContentResult {
  const members: ClassMember[] = [];
  for (const [i, field] of ['first', 'second'].entries()) {
    const c = contentOf(args[i]!, false, streamers, depth + 1);
    if ('refused' in c) return c;
    members.push({ name: field, content: c.content });
  }
  return { content: { kind: 'class', name, version: -1, members } };
}

/**
 * A class from its streamer: TObject and other bases, basic members, strings, STL members and member objects.
 * `asBase`: the class is a base of another, where an interface with no data members at all (xAOD's
 * `SG::IAuxStore`, `ILockable`) is only its byte count and version.
 */
/** The classes being composed (outermost first): a class met again inside itself is a recursive type. */
const composing: string[] = [];

function classContent(
  name: string,
  streamers: StreamerRegistry,
  depth: number,
  asBase = false,
): ContentResult {
  // A pointer to a class of its own kind (a tree node's `ND::TDatum* fParent`) makes a type of no fixed depth.
  if (composing.includes(name))
    return {
      refused: `${name} contains itself (${[...composing.slice(composing.indexOf(name)), name].join(' → ')})`,
    };
  composing.push(name);
  try {
    return streamedClass(name, streamers, depth, asBase);
  } finally {
    composing.pop();
  }
}
function streamedClass(
  name: string,
  streamers: StreamerRegistry,
  depth: number,
  asBase: boolean,
): ContentResult {
  // TArrays first: their own Streamer is simple enough to read (fN, then the values).
  const array = tarray(name);
  if (array) return { content: array };
  if (OWN_STREAMER.test(name))
    return { refused: `${name} is written by its own Streamer, not as its streamer info says` };
  if (name === 'TRefArray') return { content: TREF_ARRAY };
  if (name === 'TRef') return { content: { kind: 'bits', ref: true } };
  if (name === 'TMatrixTSym<double>' && !streamers.has(name)) return { content: TMATRIX_SYM_D };
  const info = streamers.get(name);
  if (!info) return knownClass(name, streamers, depth) ?? { refused: `no streamer for ${name} in the file` };
  const element = collectionElement(info.elements, name);
  if (element !== undefined) return collectionContent(name, element, streamers, depth);
  const members: ClassMember[] = [];
  for (const el of info.elements) {
    if (normaliseTypeName(el.typeName) === name) return { refused: `${name} contains itself` };
    const m = memberContent(el, streamers, depth);
    // The innermost cause names the member type that cannot be read.
    if ('refused' in m) return m;
    // A TArray base (TH1D's TArrayD: the bin contents) is its values, as ROOT names them.
    if (m.base && m.content !== 'tobject' && m.content.kind === 'list')
      members.push({ name: 'fArray', content: m.content });
    else members.push({ name: el.name, content: m.content, base: m.base });
  }
  // TRef and the like stream more than their streamer says: refused rather than read as empty records. An
  // empty interface base (no members but other empty bases) holds nothing and is read as its header; so is a
  // base that is only a TObject (allpix::Object), whose TObject is read and dropped as any TObject base.
  if (
    fieldsOf(members).length === 0 &&
    !(asBase && members.every((m) => m.base === true || m.content === 'tobject'))
  )
    return members.some((m) => m.content === 'tobject')
      ? { refused: `${name} has no data members besides its TObject base (a reference?)` }
      : { refused: `${name} has no data members${emptyBases(members)}`, noData: true };
  const counts = new Set(
    members.flatMap((m) => (m.content !== 'tobject' && m.content.kind === 'slice' ? [m.content.count] : [])),
  );
  return {
    content: {
      kind: 'class',
      name,
      version: info.classVersion,
      members,
      ...(counts.size ? { counts } : {}),
    },
  };
}

/**
 * A collection class (`DataVector<X>`): a list of X records. An element class with no data members (xAOD's
 * interface classes `xAOD::Electron_v1`, `xAOD::CutBookkeeper_v1`: their data are in the container's
 * auxiliary store) leaves each entry only its element count: said so, not read as empty records.
 */
function collectionContent(
  name: string,
  element: string,
  streamers: StreamerRegistry,
  depth: number,
): ContentResult {
  const c = classContent(element, streamers, depth + 1);
  if ('refused' in c)
    return c.noData
      ? {
          refused: `${name} is an xAOD interface container: each entry holds only its number of ${element} objects, and ${c.refused}`,
          noData: true,
        }
      : { refused: `element class ${element}: ${c.refused}` };
  return { content: { kind: 'list', header: true, cpp: name, content: c.content } };
}

function memberContent(
  el: StreamerElement,
  streamers: StreamerRegistry,
  depth: number,
): { content: Content | 'tobject'; base?: boolean } | { refused: string } {
  if (el.className === 'TStreamerBase') {
    if (el.name === 'TObject') return { content: 'tobject' };
    const base = classContent(normaliseTypeName(el.name), streamers, depth + 1, true);
    if ('refused' in base) return { refused: `base class ${el.name}: ${base.refused}` };
    return { content: base.content, base: true };
  }
  if (el.type > 0 && el.type < T.OffsetL && el.arrayLength === 0) {
    const it = itemOfCode(el.type, el.title);
    if (it) return { content: { kind: 'primitive', item: it } };
  }
  if (el.type > T.OffsetL && el.type < T.OffsetP && el.arrayLength > 0) {
    const it = itemOfCode(el.type - T.OffsetL, el.title);
    const dims = el.arrayDim > 1 ? el.maxIndex.slice(0, el.arrayDim) : [el.arrayLength];
    if (it && !it.packed) return { content: { kind: 'primitive', item: it, dims } };
  }
  if (el.type > T.OffsetP && el.type < T.OffsetP + 20 && el.countName) {
    const it = itemOfCode(el.type - T.OffsetP, el.title);
    if (it && !it.packed) return { content: { kind: 'slice', item: it, count: el.countName } };
  }
  if (el.type === T.TString) return { content: { kind: 'string', header: false, cpp: 'TString' } };
  if (el.type === T.CharStar) return { content: CHAR_STAR };
  if (el.className === 'TStreamerSTL' || el.className === 'TStreamerSTLstring')
    return contentOf(el.typeName, true, streamers, depth + 1);
  if (
    (el.type === T.OffsetL + T.Object || el.type === T.OffsetL + T.Any) &&
    el.arrayLength > 0 &&
    el.arrayDim <= 1
  ) {
    const c = classContent(normaliseTypeName(el.typeName), streamers, depth + 1);
    if ('refused' in c) return c;
    return { content: { kind: 'array', size: el.arrayLength, content: c.content } };
  }
  // A collection of arbitrary objects (a histogram's functions, an axis's labels) cannot be a column: skipped.
  const pointee = normaliseTypeName(el.typeName).replace(/\*$/, '');
  if ((el.type === T.Objectp || el.type === T.ObjectP) && COLLECTIONS.has(pointee))
    return { content: { kind: 'skip', cpp: el.typeName, tagged: el.type === T.ObjectP } };
  // `X* p` with a class tag (kObjectP, kAnyP); `X* p; //->` (kObjectp, kAnyp) is the object itself, never null.
  if ((el.type === T.ObjectP || el.type === T.AnyP) && el.arrayLength === 0)
    return contentOf(el.typeName, true, streamers, depth + 1);
  if ((el.type === T.Objectp || el.type === T.Anyp) && el.arrayLength === 0) {
    const c = contentOf(el.typeName, true, streamers, depth + 1);
    if ('refused' in c || c.content.kind !== 'pointer') return c;
    return { content: c.content.content };
  }
  if ((el.type === T.Object || el.type === T.Any) && el.className !== 'TStreamerBase') {
    const c = classContent(normaliseTypeName(el.typeName), streamers, depth + 1);
    return c;
  }
  if (el.type === T.StreamLoop) return { refused: loopRefusal(el, streamers) };
  return { refused: `member type ${el.typeName} (${el.className})` };
}
