/** Decides how a branch's bytes become a column (uproot's "interpretation"): its layout, ROOT type name and column type. */
import type { DataType } from '../../../exec/batch/index.js';
import type { BranchModel } from '../model/tree.js';
import { type StreamerRegistry, T } from '../streamers/streamer-info.js';
import { auxStore, type BranchInterpretation, noDataOfItsOwn, unsupported } from './branch-interpretation.js';
import { cppOfItem, itemOfCode, itemOfName, typeOfItem } from './items.js';
import { fromLeaves } from './leaf-interpretation.js';
import { derivesFromTObject, memberObject, pointerMember, tobjectBase } from './member-interpretation.js';
import {
  CHAR_STAR,
  type Content,
  contentOf,
  cppOfContent,
  loopRefusal,
  normaliseTypeName,
  typeOfContent,
} from './object-type.js';

export type { BranchInterpretation, Interpretation } from './branch-interpretation.js';
export { noDataOfItsOwn } from './branch-interpretation.js';
export type { Item } from './items.js';

/** Interpret a C++ class name of a whole-object branch: std::string, TString, any STL composition, classes. */
function fromClassName(cls: string, b: BranchModel, streamers: StreamerRegistry): BranchInterpretation {
  const name = normaliseTypeName(cls);
  if (name === 'string')
    return { interp: { kind: 'string', header: true }, rootType: 'std::string', type: { kind: 'utf8' } };
  if (name === 'TString')
    return { interp: { kind: 'string', header: false }, rootType: 'TString', type: { kind: 'utf8' } };
  const display = cls.replace(/(?<=^|[<,\s])vector</g, 'std::vector<').replace(/std::std::/g, 'std::');
  if (b.branches.length)
    return unsupported(
      display,
      `not supported yet: ${display} in branch ${b.path} (split: read its member branches)`,
    );
  const vec = /^vector<(.+)>$/.exec(name);
  const it = vec ? itemOfName(vec[1]!) : undefined;
  if (it && !it.packed)
    return {
      interp: { kind: 'vector', item: it, header: true },
      rootType: `std::vector<${cppOfItem(it, vec![1])}>`,
      type: { kind: 'list', item: typeOfItem(it, []) },
    };
  const c = contentOf(name, true, streamers);
  if ('refused' in c)
    return c.noData
      ? noDataOfItsOwn(display, b.path, `${c.refused}${auxStore(b.path, display)}`)
      : unsupported(display, `not supported yet: ${display} in branch ${b.path} (${c.refused})`);
  // A top-level unsplit object: ROOT streams it member by member, without the object's own byte count and
  // version, when the branch's type is 0; type -1 is the class's own Streamer (TVector2/3 write a header,
  // TDatime its one UInt_t — uproot's built-in TDatime model); other custom streamers stay refused.
  const bare =
    c.content.kind === 'class' && (b.id ?? -1) < 0 && (b.type === 0 || c.content.name === 'TDatime');
  if (c.content.kind === 'class' && !bare && c.content.members[0]?.content !== 'tobject')
    return unsupported(
      display,
      `not supported yet: ${display} in branch ${b.path} (an unsplit non-TObject class with its own Streamer, branch type ${b.type})`,
    );
  return {
    interp: bare ? { kind: 'object', content: c.content, bare } : { kind: 'object', content: c.content },
    rootType: cppOfContent(c.content),
    type: typeOfContent(c.content),
    // A collection class (DataVector<X>) of a top-level branch: an xAOD interface container.
    ...(c.content.kind === 'list' && c.content.cpp === name ? { byName: true as const } : {}),
  };
}

/** How to read a branch. `streamers` resolves member types of split objects (Double32_t ranges, STL members). */
export function interpret(b: BranchModel, streamers: StreamerRegistry): BranchInterpretation {
  if (b.className !== 'TBranchElement' && b.className !== 'TBranchSTL') {
    if (b.className === 'TBranchObject')
      return unsupported(b.elementClass ?? 'TObject', `not supported yet: TBranchObject ${b.path}`);
    return fromLeaves(b);
  }
  const id = b.id ?? -1;
  const st = b.streamerType ?? -1;
  if (id < 0) return fromClassName(b.elementClass ?? '', b, streamers);
  // A member of a split object: find its streamer element for the title (Double32 ranges) and type name.
  const parentClass = b.parentName || b.elementClass || '';
  const info = streamers.get(b.elementClass ?? parentClass, b.classVersion);
  const el = info?.elements[id];
  const title = el?.title ?? b.title;
  const leaf = b.leaves[0];
  const inCollection = b.type === 31 || b.type === 41;
  if (st === T.CharStar) {
    // A char* member of a split object: a 32-bit length, then the characters (uproot test_0029 issue31).
    const type: DataType = { kind: 'utf8' };
    return inCollection
      ? {
          interp: { kind: 'object', content: CHAR_STAR, repeated: true },
          rootType: 'char*[]',
          type: { kind: 'list', item: type },
        }
      : { interp: { kind: 'object', content: CHAR_STAR }, rootType: 'char*', type };
  }
  if (st > 0 && st < T.OffsetL) {
    const it = itemOfCode(st, title);
    if (!it) return unsupported(`code ${st}`, `not supported yet: type code ${st} in branch ${b.path}`);
    // TObject::fBits of split objects: a referenced object's is followed by a 2-byte process id.
    if (st === T.Bits && (inCollection || b.entryOffsetLen > 0)) {
      const content: Content = { kind: 'bits' };
      return inCollection
        ? {
            interp: { kind: 'object', content, repeated: true },
            rootType: 'UInt_t[]',
            type: { kind: 'list', item: typeOfContent(content) },
          }
        : { interp: { kind: 'object', content }, rootType: 'UInt_t', type: typeOfContent(content) };
    }
    if (inCollection)
      return {
        interp: { kind: 'jagged', item: it, dims: [], headerBytes: 0 },
        rootType: `${cppOfItem(it)}[]`,
        type: { kind: 'list', item: typeOfItem(it, []) },
      };
    return {
      interp: { kind: 'flat', item: it, dims: [] },
      rootType: cppOfItem(it),
      type: typeOfItem(it, []),
    };
  }
  if (st > T.OffsetL && st < T.OffsetP) {
    const it = itemOfCode(st - T.OffsetL, title);
    const n = el?.arrayLength || leaf?.len || 1;
    const dims = el && el.arrayDim > 1 ? el.maxIndex.slice(0, el.arrayDim) : [n];
    if (!it) return unsupported(`code ${st}`, `not supported yet: type code ${st} in branch ${b.path}`);
    if (inCollection)
      return {
        interp: { kind: 'jagged', item: it, dims, headerBytes: 0 },
        rootType: `${cppOfItem(it)}[]${dims.map((d) => `[${d}]`).join('')}`,
        type: { kind: 'list', item: typeOfItem(it, dims) },
      };
    return {
      interp: { kind: 'flat', item: it, dims },
      rootType: `${cppOfItem(it)}${dims.map((d) => `[${d}]`).join('')}`,
      type: typeOfItem(it, dims),
    };
  }
  if (st > T.OffsetP && st < T.Object) {
    const it = itemOfCode(st - T.OffsetP, title);
    if (!it) return unsupported(`code ${st}`, `not supported yet: type code ${st} in branch ${b.path}`);
    return {
      interp: { kind: 'jagged', item: it, dims: [], headerBytes: 1 },
      rootType: `${cppOfItem(it)}*`,
      type: { kind: 'list', item: typeOfItem(it, []) },
    };
  }
  // A fixed array of objects, not split further: each element with its own header (uproot test_0911). In a
  // split collection (Delphes' `Jet.TrimmedP4[5]`) an entry is every element's array, one after the other: the
  // objects are read to the entry's end and grouped by the array's size (uproot's AsArray with inner_shape);
  // TObject classes only, as for single member objects there.
  if (
    el &&
    (st === T.OffsetL + T.Object || st === T.OffsetL + T.Any) &&
    el.arrayLength > 0 &&
    el.arrayDim <= 1 &&
    b.branches.length === 0
  ) {
    const c = contentOf(el.typeName, true, streamers);
    if (
      'content' in c &&
      c.content.kind === 'class' &&
      (!inCollection || c.content.members[0]?.content === 'tobject')
    ) {
      const content: Content = { kind: 'array', size: el.arrayLength, content: c.content };
      const type = typeOfContent(content);
      if (inCollection)
        return {
          interp: { kind: 'object', content, repeated: true },
          rootType: `${cppOfContent(c.content)}[][${el.arrayLength}]`,
          type: { kind: 'list', item: type },
        };
      return { interp: { kind: 'object', content }, rootType: cppOfContent(content), type };
    }
  }
  // A std::bitset member of a split object: ROOT writes its entries without bytes (uproot-mc10events.root's
  // triggerBits and hltMatchBits: none in events with three muons; uproot's AsBitSet fails on them, jsroot too),
  // so there is nothing to read; its split record reads without it.
  if (el && /^bitset</.test(normaliseTypeName(el.typeName)))
    return {
      interp: {
        kind: 'unsupported',
        reason: `not supported yet: ${el.typeName} member of a split object in branch ${b.path} (written without bytes)`,
        noData: true,
      },
      rootType: el.typeName,
    };
  const composed =
    el && b.branches.length === 0
      ? (pointerMember(el.typeName, st, inCollection, streamers, b.path) ??
        memberObject(el.typeName, st, inCollection, streamers))
      : undefined;
  if (composed) return composed;
  // A base class of a split object, not split further: each entry is the base object (header and members).
  // Bases deriving from TObject are left refused: their entries hold the members without the TObject part
  // (KM3NeT's JDAQPreamble), a layout not checked against a second reader yet.
  if (st === T.Base && el?.className === 'TStreamerBase' && !inCollection && b.branches.length === 0) {
    const c = contentOf(el.name, true, streamers);
    if ('content' in c && c.content.kind === 'class' && !derivesFromTObject(c.content))
      return {
        interp: { kind: 'object', content: c.content },
        rootType: cppOfContent(c.content),
        type: typeOfContent(c.content),
      };
    // Each entry is the base object's byte count and version and those of its own empty bases: nothing else.
    if ('refused' in c && c.noData) return noDataOfItsOwn('BASE', b.path, `base class ${c.refused}`);
    if ('content' in c && c.content.kind === 'class') return tobjectBase(c.content, b.path);
  }
  if (el && st === T.StreamLoop)
    return unsupported(el.typeName, `not supported yet: ${loopRefusal(el, streamers)} in branch ${b.path}`);
  if (inCollection)
    return unsupported(
      el?.typeName ?? `code ${st}`,
      `not supported yet: ${el?.typeName ?? `type code ${st}`} member of a split collection in branch ${b.path}`,
    );
  if (st === T.TString)
    return { interp: { kind: 'string', header: false }, rootType: 'TString', type: { kind: 'utf8' } };
  if (st === T.STL || st === T.STLstring || (st > 300 && st < 400)) {
    const typeName = el?.typeName ?? leaf?.title ?? '';
    return fromClassName(typeName, b, streamers);
  }
  return unsupported(
    el?.typeName ?? b.elementClass ?? `code ${st}`,
    `not supported yet: ${el?.typeName ?? b.elementClass ?? `type code ${st}`} in branch ${b.path}`,
  );
}
