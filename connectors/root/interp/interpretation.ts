/** Decides how a branch's bytes become a column (uproot's "interpretation"): its layout, ROOT type name and column type. */
import type { DataType, PrimitiveType } from '../../../exec/batch/index.js';
import type { BranchModel, LeafModel } from '../model/tree.js';
import type { SplitPlan } from '../split-objects.js';
import { parseFloatRange, type StreamerRegistry, T } from '../streamers/streamer-info.js';
import { cppOfItem, type Item, item, itemOfCode, itemOfName, typeOfItem } from './items.js';
import {
  CHAR_STAR,
  type Content,
  contentOf,
  cppOfContent,
  fieldsOf,
  loopRefusal,
  normaliseTypeName,
  typeOfContent,
} from './object-type.js';

export type { Item } from './items.js';

export type Interpretation =
  /** `inner` values per entry (fixed dimensions `dims`, empty for scalars). */
  | { readonly kind: 'flat'; readonly item: Item; readonly dims: readonly number[] }
  /** Entry-delimited values (leaf-count arrays): `headerBytes` skipped at the start of each entry. */
  | {
      readonly kind: 'jagged';
      readonly item: Item;
      readonly dims: readonly number[];
      readonly headerBytes: number;
    }
  /** std::vector<T> of a fixed-width T (the common case, decoded without per-entry builders). */
  | { readonly kind: 'vector'; readonly item: Item; readonly header: boolean }
  /** One string per entry (char*, TString, std::string). */
  | { readonly kind: 'string'; readonly header: boolean }
  /**
   * Any composition of STL containers, strings and streamer-described classes, read entry by entry. `bare`: each
   * entry is a class's members without the object's own byte count and version.
   */
  | {
      readonly kind: 'object';
      readonly content: Content;
      readonly repeated?: boolean;
      readonly bare?: boolean;
    }
  /** A leaf list (`x/D:n/I`): a record of fixed-size fields per entry. */
  | {
      readonly kind: 'leaflist';
      readonly fields: readonly { name: string; item: Item; dims: readonly number[] }[];
    }
  /** A whole split object: read from its member branches (the tree reader assembles it; no baskets of its own). */
  | { readonly kind: 'split'; readonly plan: SplitPlan }
  /**
   * `noData`: the branch holds no data of its own (an empty base class, an xAOD interface object, a std::bitset
   * member of a split object whose entries hold no bytes): left out of the split record it belongs to.
   */
  | { readonly kind: 'unsupported'; readonly reason: string; readonly noData?: true };

export interface BranchInterpretation {
  readonly interp: Interpretation;
  /** ROOT's name for the type, e.g. `float`, `float[]`, `std::vector<float>`, `char*`. */
  readonly rootType: string;
  /** Our column type (undefined when unsupported). */
  readonly type?: DataType;
  /**
   * Read when asked for by name, left out of a read of the whole tree: an xAOD interface container
   * (`egammaClusters`, a `DataVector<xAOD::CaloCluster_v1>`), whose name func_adl and SQL give to the
   * container's auxiliary-store branches (`egammaClustersAuxDyn.*`).
   */
  readonly byName?: true;
}

const LEAF_TYPES: Record<string, [PrimitiveType, PrimitiveType]> = {
  TLeafO: ['bool', 'bool'],
  TLeafB: ['int8', 'uint8'],
  TLeafS: ['int16', 'uint16'],
  TLeafI: ['int32', 'uint32'],
  TLeafL: ['int64', 'uint64'],
  TLeafG: ['int64', 'uint64'],
  TLeafF: ['float32', 'float32'],
  TLeafD: ['float64', 'float64'],
};

function leafItem(leaf: LeafModel): Item | undefined {
  const t = LEAF_TYPES[leaf.className];
  if (t) return item(leaf.isUnsigned ? t[1] : t[0]);
  if (leaf.className === 'TLeafD32') return item('float32', 'float64', parseFloatRange(leaf.title, false));
  if (leaf.className === 'TLeafF16') return item('float32', 'float32', parseFloatRange(leaf.title, true));
  return undefined;
}

/** Dimensions from a leaf title such as `x[3][2]` or `Jet_pt[nJet]`: the variable one (if any) and the fixed ones. */
function leafDims(leaf: LeafModel): { variable: boolean; dims: number[] } {
  const dims: number[] = [];
  let variable = Boolean(leaf.countLeaf);
  const name = leaf.title.split('/')[0] ?? '';
  for (const m of name.matchAll(/\[([^\]]+)\]/g)) {
    const v = m[1]!.trim();
    if (/^\d+$/.test(v)) dims.push(Number(v));
    else if (!/^[-+.\d\s,eE]+$/.test(v) && !v.includes(',')) variable = true;
  }
  if (!variable && dims.length === 0 && leaf.len > 1) dims.push(leaf.len);
  return { variable, dims };
}

const unsupported = (rootType: string, reason: string): BranchInterpretation => ({
  interp: { kind: 'unsupported', reason },
  rootType,
});

/**
 * A branch that holds no data of its own, with why: `${rootType} in branch ${path} holds no data of its own: why`
 * (ATLAS keeps an xAOD object's data in its auxiliary store, `XAux.` and `XAuxDyn.*`).
 */
export function noDataOfItsOwn(rootType: string, path: string, why: string): BranchInterpretation {
  return {
    interp: {
      kind: 'unsupported',
      reason: `${rootType} in branch ${path} holds no data of its own: ${why}`,
      noData: true,
    },
    rootType,
  };
}

/** Where an xAOD interface branch's data are: `X` → `XAux.`, `XAuxDyn.*`; `XAux.` → `XAuxDyn.*`. */
function auxStore(path: string, type: string): string {
  if (path.includes('/') || !/xAOD::|DataVector</.test(type)) return '';
  const base = path.endsWith('Aux.') ? path.slice(0, -4) : path;
  const stores = path.endsWith('Aux.') ? [`${base}AuxDyn.*`] : [`${base}Aux.`, `${base}AuxDyn.*`];
  return ` (its data, if any, are in other branches: ATLAS's auxiliary store ${stores.join(', ')})`;
}

function fromLeaves(b: BranchModel): BranchInterpretation {
  const leaves = b.leaves;
  if (leaves.length === 0) return unsupported('', `branch ${b.path} has no leaves`);
  if (leaves.length > 1) {
    const fields: { name: string; item: Item; dims: number[] }[] = [];
    for (const l of leaves) {
      const it = leafItem(l);
      const { variable, dims } = leafDims(l);
      if (!it || variable)
        return unsupported(
          'leaflist',
          `not supported yet: leaf list with ${l.className} ${l.title} in branch ${b.path}`,
        );
      fields.push({ name: l.name, item: it, dims });
    }
    return {
      interp: { kind: 'leaflist', fields },
      rootType: `struct{${fields.map((f) => `${cppOfItem(f.item)} ${f.name}${f.dims.map((d) => `[${d}]`).join('')}`).join('; ')}}`,
      type: {
        kind: 'struct',
        fields: fields.map((f) => ({ name: f.name, type: typeOfItem(f.item, f.dims) })),
      },
    };
  }
  const leaf = leaves[0]!;
  if (leaf.className === 'TLeafC')
    return { interp: { kind: 'string', header: false }, rootType: 'char*', type: { kind: 'utf8' } };
  const it = leafItem(leaf);
  if (!it) return unsupported(leaf.className, `not supported yet: ${leaf.className} in branch ${b.path}`);
  // Some writers leave the leaf's name and title empty: the branch title (`x[5]/D`, `y[N]/D`) then says it.
  const { variable, dims } = leafDims(leaf.title ? leaf : { ...leaf, title: b.title });
  const base = cppOfItem(it);
  if (variable) {
    return {
      interp: { kind: 'jagged', item: it, dims, headerBytes: 0 },
      rootType: `${base}[]${dims.map((d) => `[${d}]`).join('')}`,
      type: { kind: 'list', item: typeOfItem(it, dims) },
    };
  }
  return {
    interp: { kind: 'flat', item: it, dims },
    rootType: `${base}${dims.map((d) => `[${d}]`).join('')}`,
    type: typeOfItem(it, dims),
  };
}

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

/**
 * A member of a split object that is itself an object (TVector3, std::string, std::vector<...>, ...): read with
 * its content; in a split collection each entry holds one per element, back to back, until the entry's end.
 */
function memberObject(
  typeName: string,
  st: number,
  inCollection: boolean,
  streamers: StreamerRegistry,
): BranchInterpretation | undefined {
  const stl = st === T.STL || st === T.STLstring || (st > 300 && st < 400);
  if (st !== T.Object && st !== T.Any && st !== T.TString && !(stl && inCollection)) return undefined;
  const c = st === T.TString ? contentOf('TString', false, streamers) : contentOf(typeName, true, streamers);
  if ('refused' in c) return undefined;
  // A member object of a class that is not a TObject is streamed with its class's streamer, under its own
  // byte count and version (mu2e's XYZVectorF `_mom`, uproot test_0852); in a split collection, where the
  // elements' objects follow one another, it stays refused.
  if (c.content.kind === 'class' && inCollection && c.content.members[0]?.content !== 'tobject')
    return undefined;
  const type = typeOfContent(c.content);
  if (!inCollection)
    return { interp: { kind: 'object', content: c.content }, rootType: cppOfContent(c.content), type };
  return {
    interp: { kind: 'object', content: c.content, repeated: true },
    rootType: `${cppOfContent(c.content)}[]`,
    type: { kind: 'list', item: type },
  };
}

/**
 * A pointer member of a split object: with a class tag (kObjectP, kAnyP: a null pointer is a null record), or
 * `X* p; //->` (kObjectp, kAnyp), the object itself; in a split collection, one per element, back to back.
 */
function pointerMember(
  typeName: string,
  st: number,
  inCollection: boolean,
  streamers: StreamerRegistry,
  path: string,
): BranchInterpretation | undefined {
  const tagged = st === T.ObjectP || st === T.AnyP;
  if (!tagged && st !== T.Objectp && st !== T.Anyp) return undefined;
  const p = contentOf(typeName, true, streamers);
  if ('refused' in p || p.content.kind !== 'pointer')
    return unsupported(
      typeName,
      `not supported yet: ${typeName} in branch ${path} (${'refused' in p ? p.refused : 'not a pointer to a class'})`,
    );
  const content = tagged ? p.content : p.content.content;
  const rootType = cppOfContent(p.content);
  if (!inCollection) return { interp: { kind: 'object', content }, rootType, type: typeOfContent(content) };
  return {
    interp: { kind: 'object', content, repeated: true },
    rootType: `${rootType}[]`,
    type: { kind: 'list', item: typeOfContent(content) },
  };
}

/** Whether a class has TObject among its bases, directly or through other bases. */
function derivesFromTObject(c: Content): boolean {
  return (
    c.kind === 'class' &&
    c.members.some((m) => m.content === 'tobject' || (m.base === true && derivesFromTObject(m.content)))
  );
}

/**
 * A base class deriving from TObject as a later base, not split further (KM3NeT's `JDAQPreamble` in `KM3NET_EVENT`): ROOT writes
 * each entry as the class's data members alone — no byte count, no version, no TObject, none for its own bases
 * (`JDAQAbstractPreamble`): 8 bytes, `length` and `type`. Read so when all its fields are numbers (the entry's
 * end is checked: a layout that differs is a located error); otherwise refused, saying why. jsroot reads such an
 * entry as an object without members and uproot as an unknown class, so the values are checked by the KM3NeT DAQ
 * record they describe (`type` is the DAQ data type, `length` the record's size in bytes).
 */
function tobjectBase(content: Extract<Content, { kind: 'class' }>, path: string): BranchInterpretation {
  // Only where TObject is a later base (`class JDAQPreamble : public JDAQAbstractPreamble, public TObject`): a
  // class whose first base leads to TObject (nEXO's HeaderObject in uproot-issue475.root) is written with its
  // byte count, version and TObject, a layout no second reader checks here.
  if (content.members.findIndex((m) => m.content === 'tobject') <= 0)
    return unsupported(
      'BASE',
      `not supported yet: BASE ${content.name} in branch ${path} (a base class deriving from TObject through its first base, not split further)`,
    );
  const fields = fieldsOf(content.members);
  if (fields.length === 0 || !fields.every((f) => f.content.kind === 'primitive'))
    return unsupported(
      'BASE',
      `not supported yet: BASE ${content.name} in branch ${path} (a base class deriving from TObject, not split further, with members other than numbers)`,
    );
  const flat: Content = {
    kind: 'class',
    name: content.name,
    version: content.version,
    members: fields.map((f) => ({ name: f.name, content: f.content })),
  };
  return {
    interp: { kind: 'object', content: flat, bare: true },
    rootType: content.name,
    type: typeOfContent(flat),
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
