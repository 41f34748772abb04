/**
 * Helpers of object-type.ts's `contentOf` that need no recursion: C++ template names split, the STL container
 * families, TArray's own layout, ROOT's own-Streamer classes, collection classes' element types, and the
 * reasons given for refused classes and counted arrays of objects.
 */
import {
  normaliseTypeName,
  type StreamerElement,
  type StreamerRegistry,
} from '../streamers/streamer-info.js';
import type { ClassMember, Content } from './content.js';
import { itemOfName } from './items.js';

/** `name<a,b<c>>` split into `name` and its top-level template arguments (undefined when not a template). */
export function splitTemplate(name: string): { base: string; args: string[] } | undefined {
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

export const LISTS = new Set([
  'vector',
  'set',
  'multiset',
  'unordered_set',
  'list',
  'deque',
  'ROOT::VecOps::RVec',
  'RVec',
]);
export const MAPS = new Set(['map', 'multimap', 'unordered_map']);
export const MAX_DEPTH = 8;

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

export function tarray(name: string): Content | undefined {
  const it = TARRAYS[name] === undefined ? undefined : itemOfName(TARRAYS[name]);
  return it && { kind: 'list', header: false, cpp: name, content: { kind: 'primitive', item: it } };
}

/**
 * Lists of arbitrary objects (a histogram's fitted functions, an axis's labels), which a class member's bytes are
 * skipped over (`skip`). A TClonesArray or TObjArray member holds a class's data and stays refused.
 */
export const COLLECTIONS = new Set(['TList', 'THashList']);

/** A `char*` member: a 32-bit length, then the characters (uproot's AsStrings with 4 length bytes). */
export const CHAR_STAR: Content = { kind: 'string', header: false, cpp: 'char*', wide: true };

/**
 * ROOT classes whose own Streamer writes other than their streamer info says (collections write their count
 * and each element through a class tag; TArray's values have no marker byte): not read from the streamer info.
 */
export const OWN_STREAMER =
  /^(TCollection|TSeqCollection|TList|THashList|TObjArray|TClonesArray|TMap|TArray[CSILFD]?|TArrayL64)$/;

/** `, only empty bases (A, B)`: the bases whose byte counts and versions are all an object of the class holds. */
export function emptyBases(members: readonly ClassMember[]): string {
  const names = members.flatMap((m) => (m.base ? [m.name] : []));
  return names.length ? `, only empty base classes (${names.join(', ')})` : '';
}

/**
 * The element class of a class that is itself a collection: ROOT describes ATLAS's `DataVector<X>` and its
 * typedef'd containers (`xAOD::CutBookkeeperContainer_v1`) by one STL element named `This`, of the class's own
 * type, titled `<X> Used to call the proper TStreamerInfo case` — a sequence of X, streamed as a std::vector of
 * X is (member-wise, as ROOT writes it), not a class containing itself.
 */
export function collectionElement(elements: readonly StreamerElement[], name: string): string | undefined {
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
