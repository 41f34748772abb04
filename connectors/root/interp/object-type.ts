/**
 * The content of an object branch composed from its C++ type, as uproot's container interpretations are: a
 * list wraps any content (so vector<vector<vector<T>>> needs no case of its own), maps are lists of
 * key/value records, and classes the file's streamers describe (TLorentzVector, ...) are records.
 */
import type { DataType } from '../../../exec/batch/index.js';
import {
  normaliseTypeName,
  type StreamerElement,
  type StreamerRegistry,
  T,
} from '../streamers/streamer-info.js';
import { cppOfItem, type Item, itemOfCode, itemOfName, typeOfItem } from './items.js';
import { ELEMENT_LINK_BASE, TMATRIX_SYM_D, TREF_ARRAY } from './known-classes.js';

/**
 * `header`: the value is preceded by a byte count and version (ROOT writes one before each top-level STL
 * container and string, and before each class instance; not before the elements of a container).
 */
export type Content =
  /** A number, or a fixed-size array of them (a class member `short a[10]`: `dims` [10]). */
  | { readonly kind: 'primitive'; readonly item: Item; readonly dims?: readonly number[] }
  /**
   * A basic pointer member (`float* x; //[n]`): a 1-byte marker, then as many values as the class's counter
   * member `count`, read before it in the same object, says. `skip`: the bytes before the values when they are
   * not the 1-byte marker (TRefArray's fLowerBound and process id: 6). `triangle`: n(n+1)/2 values for a count
   * n (a symmetric matrix's packed elements).
   */
  | {
      readonly kind: 'slice';
      readonly item: Item;
      readonly count: string;
      readonly skip?: number;
      readonly triangle?: true;
    }
  /**
   * TObject::fBits: a uint32, then a 2-byte process id when the object is referenced (bit 4). `ref`: a whole
   * TRef, read as uproot's built-in model: its TObject's version, fUniqueID (the value: the referenced object's
   * unique id), fBits (and process id when referenced), then the TRef's own 2-byte process id.
   */
  | { readonly kind: 'bits'; readonly ref?: true }
  /** `wide`: a 32-bit length (a `char*` member), else ROOT's 1-byte length (255: a 32-bit one follows). */
  | { readonly kind: 'string'; readonly header: boolean; readonly cpp: string; readonly wide?: boolean }
  /**
   * A pointer to an object (`TFooMember*` as a member, `std::vector<allpix::MCTrack*>`), written as ROOT's
   * `WriteObjectAny` writes it: a class tag (a new class's name, or a reference to a tag earlier in the entry)
   * then the object; 0 for a null pointer (a null value). `content`: the pointee class.
   */
  | { readonly kind: 'pointer'; readonly content: Extract<Content, { kind: 'class' }> }
  /** A fixed-size array of objects (`zCluster Cluster[6]`): `size` contents, each with its own header. */
  | { readonly kind: 'array'; readonly size: number; readonly content: Content }
  /** std::vector, std::set, std::list, ...: a 32-bit length, then that many contents. */
  | { readonly kind: 'list'; readonly header: boolean; readonly cpp: string; readonly content: Content }
  /** std::map: a list of {first, second} records (ROOT writes all keys, then all values). */
  | {
      readonly kind: 'map';
      readonly header: boolean;
      readonly cpp: string;
      readonly key: Content;
      readonly value: Content;
    }
  /**
   * A member whose bytes are skipped by its byte count, giving no field: a collection of arbitrary objects (a
   * histogram's `TList* fFunctions`, streamed in place; an axis's `THashList* fLabels`, through a pointer with a
   * class tag when `tagged`, where 0 is a null pointer).
   */
  | { readonly kind: 'skip'; readonly cpp: string; readonly tagged: boolean }
  /**
   * A class read member by member with its streamer; `tobject` members are the TObject base, read and dropped;
   * `base` members are other base classes (each streamed with its own header), their fields merged into this
   * record as uproot merges them. `version` -1: any version (a layout hepq knows, the file has no streamer).
   */
  | {
      readonly kind: 'class';
      readonly name: string;
      readonly version: number;
      readonly members: readonly ClassMember[];
      /** The integer members that count the values of its basic pointer members. */
      readonly counts?: ReadonlySet<string>;
    };

export interface ClassMember {
  readonly name: string;
  readonly content: Content | 'tobject';
  readonly base?: boolean;
  /** Written after the object's byte count ends (TMatrixTSym's elements, after its TMatrixTBase part). */
  readonly outside?: true;
}

export { normaliseTypeName };

/** `name<a,b<c>>` split into `name` and its top-level template arguments (undefined when not a template). */
function splitTemplate(name: string): { base: string; args: string[] } | undefined {
  const open = name.indexOf('<');
  if (open < 0 || !name.endsWith('>')) return undefined;
  const args: string[] = [];
  let depth = 0;
  let from = open + 1;
  for (let i = open + 1; i < name.length - 1; i++) {
    const ch = name[i];
    if (ch === '<') depth++;
    else if (ch === '>') depth--;
    else if (ch === ',' && depth === 0) {
      args.push(name.slice(from, i));
      from = i + 1;
    }
    if (depth < 0) return undefined;
  }
  args.push(name.slice(from, name.length - 1));
  return { base: name.slice(0, open), args };
}

const LISTS = new Set([
  'vector',
  'set',
  'multiset',
  'unordered_set',
  'list',
  'deque',
  'ROOT::VecOps::RVec',
  'RVec',
]);
const MAPS = new Set(['map', 'multimap', 'unordered_map']);
const MAX_DEPTH = 8;

/**
 * `noData`: the type holds no data of its own (a class with no data members, only empty bases; an xAOD
 * interface container of such a class): said so, not "not supported yet".
 */
export type ContentResult =
  | { readonly content: Content }
  | { readonly refused: string; readonly noData?: true };

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

/** TArrayC/S/I/L/F/D, whose hand-written Streamer writes fN, then the values (no byte count, no version). */
const TARRAYS: Record<string, string> = {
  TArrayC: 'char',
  TArrayS: 'short',
  TArrayI: 'int',
  TArrayL: 'long',
  TArrayL64: 'Long64_t',
  TArrayF: 'float',
  TArrayD: 'double',
};

function tarray(name: string): Content | undefined {
  const it = TARRAYS[name] === undefined ? undefined : itemOfName(TARRAYS[name]);
  return it && { kind: 'list', header: false, cpp: name, content: { kind: 'primitive', item: it } };
}

/**
 * Lists of arbitrary objects (a histogram's fitted functions, an axis's labels), which a class member's bytes are
 * skipped over (`skip`). A TClonesArray or TObjArray member holds a class's data and stays refused.
 */
const COLLECTIONS = new Set(['TList', 'THashList']);

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

/** A `char*` member: a 32-bit length, then the characters (uproot's AsStrings with 4 length bytes). */
export const CHAR_STAR: Content = { kind: 'string', header: false, cpp: 'char*', wide: true };

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

/**
 * ROOT classes whose own Streamer writes other than their streamer info says (collections write their count
 * and each element through a class tag; TArray's values have no marker byte): not read from the streamer info.
 */
const OWN_STREAMER =
  /^(TCollection|TSeqCollection|TList|THashList|TObjArray|TClonesArray|TMap|TArray[CSILFD]?|TArrayL64)$/;

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

/** `, only empty bases (A, B)`: the bases whose byte counts and versions are all an object of the class holds. */
function emptyBases(members: readonly ClassMember[]): string {
  const names = members.flatMap((m) => (m.base ? [m.name] : []));
  return names.length ? `, only empty base classes (${names.join(', ')})` : '';
}

/**
 * The element class of a class that is itself a collection: ROOT describes ATLAS's `DataVector<X>` and its
 * typedef'd containers (`xAOD::CutBookkeeperContainer_v1`) by one STL element named `This`, of the class's own
 * type, titled `<X> Used to call the proper TStreamerInfo case` — a sequence of X, streamed as a std::vector of
 * X is (member-wise, as ROOT writes it), not a class containing itself.
 */
function collectionElement(elements: readonly StreamerElement[], name: string): string | undefined {
  const el = elements.length === 1 ? elements[0]! : undefined;
  if (el?.className !== 'TStreamerSTL' || el.name !== 'This') return undefined;
  if (normaliseTypeName(el.typeName) !== name || ![1, 2, 3].includes(el.stlType ?? 0)) return undefined;
  if (!el.title.startsWith('<')) return undefined;
  let depth = 0;
  for (let i = 0; i < el.title.length; i++) {
    if (el.title[i] === '<') depth++;
    else if (el.title[i] === '>' && --depth === 0) return normaliseTypeName(el.title.slice(1, i).trim());
  }
  return undefined;
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

/** A class's record fields: its members, with those of its (non-TObject) bases merged in, bases first. */
export function fieldsOf(members: readonly ClassMember[]): { name: string; content: Content }[] {
  return members.flatMap((m) => {
    if (m.content === 'tobject' || m.content.kind === 'skip') return [];
    if (m.base && m.content.kind === 'class') return fieldsOf(m.content.members);
    return [{ name: m.name, content: m.content }];
  });
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

/**
 * Why a counted array of objects (`KM3NETDAQ::JDAQHit* buffer; //[numberOfHits]`, a TStreamerLoop) is refused.
 * KM3NeT's files carry a streamer for JDAQHit without any members (its Streamer writes each hit as raw bytes no
 * streamer describes): uproot (whose TStreamerLoop model reads each element through that empty streamer) and
 * jsroot (which reads a class header before each hit) both misread it. A loop of a class with members has no
 * file here to check a layout against.
 */
export function loopRefusal(el: StreamerElement, streamers: StreamerRegistry): string {
  const cls = normaliseTypeName(el.typeName).replace(/\*$/, '');
  const where = `${el.typeName} ${el.name} //[${el.countName ?? '?'}] (a TStreamerLoop: a counted array of objects)`;
  const info = streamers.get(cls);
  if (!info) return `${where}: no streamer for ${cls} in the file`;
  if (info.elements.length === 0)
    return `${where}: the file's streamer for ${cls} (version ${info.classVersion}) has no members, so nothing describes an element's bytes (uproot and jsroot cannot read it either)`;
  return `${where}: counted arrays of objects are not read yet`;
}

/** The column type of a content. */
export function typeOfContent(c: Content): DataType {
  switch (c.kind) {
    case 'primitive':
      return typeOfItem(c.item, c.dims ?? []);
    case 'slice':
      return { kind: 'list', item: typeOfItem(c.item, []) };
    case 'array':
      return { kind: 'fixed-list', item: typeOfContent(c.content), size: c.size };
    case 'pointer':
      return typeOfContent(c.content);
    case 'bits':
      return { kind: 'primitive', type: 'uint32' };
    case 'string':
      return { kind: 'utf8' };
    case 'list':
      return { kind: 'list', item: typeOfContent(c.content) };
    case 'map':
      return {
        kind: 'list',
        item: {
          kind: 'struct',
          fields: [
            { name: 'first', type: typeOfContent(c.key) },
            { name: 'second', type: typeOfContent(c.value) },
          ],
        },
      };
    case 'skip':
      return { kind: 'struct', fields: [] };
    case 'class':
      return {
        kind: 'struct',
        fields: fieldsOf(c.members).map((m) => ({ name: m.name, type: typeOfContent(m.content) })),
      };
  }
}

/** ROOT's spelling of a content's type, e.g. `std::vector<std::vector<std::string>>`. */
export function cppOfContent(c: Content): string {
  switch (c.kind) {
    case 'primitive':
      return `${cppOfItem(c.item)}${(c.dims ?? []).map((d) => `[${d}]`).join('')}`;
    case 'slice':
      return `${cppOfItem(c.item)}*`;
    case 'array':
      return `${cppOfContent(c.content)}[${c.size}]`;
    case 'pointer':
      return `${cppOfContent(c.content)}*`;
    case 'bits':
      return c.ref ? 'TRef' : 'UInt_t';
    case 'string':
      return c.cpp;
    case 'list':
      // A class that is a collection (DataVector<X>, xAOD::CutBookkeeperContainer_v1) keeps its own name.
      return c.cpp.endsWith('>') || !/^(std|ROOT)::[\w:]+$/.test(c.cpp)
        ? c.cpp
        : `${c.cpp}<${cppOfContent(c.content)}>`;
    case 'skip':
      return c.cpp;
    case 'map':
      return `${c.cpp}<${cppOfContent(c.key)},${cppOfContent(c.value)}>`;
    case 'class':
      return c.name;
  }
}
