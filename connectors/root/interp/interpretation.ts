/** Decides how a branch's bytes become a column (uproot's "interpretation"): its layout, ROOT type name and column type. */
import type { DataType, PrimitiveType } from '../../../exec/batch/index.js';
import type { BranchModel, LeafModel } from '../model/tree.js';
import { type FloatRange, parseFloatRange, type StreamerRegistry, T } from '../streamers/streamer-info.js';

/** One on-disk value: its big-endian type, the type it is decoded to, and Double32/Float16 packing. */
export interface Item {
  readonly disk: PrimitiveType;
  readonly out: PrimitiveType;
  readonly packed?: FloatRange;
  /** Bytes one value occupies on disk. */
  readonly width: number;
}

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
  /** std::vector<T> (depth 1) or std::vector<std::vector<T>> (depth 2), with 32-bit lengths. */
  | { readonly kind: 'vector'; readonly item: Item; readonly depth: 1 | 2; readonly header: boolean }
  /** One string per entry (char*, TString, std::string). */
  | { readonly kind: 'string'; readonly header: boolean }
  /** std::vector<std::string>. */
  | { readonly kind: 'vector-string'; readonly header: boolean }
  /** A leaf list (`x/D:n/I`): a record of fixed-size fields per entry. */
  | {
      readonly kind: 'leaflist';
      readonly fields: readonly { name: string; item: Item; dims: readonly number[] }[];
    }
  | { readonly kind: 'unsupported'; readonly reason: string };

export interface BranchInterpretation {
  readonly interp: Interpretation;
  /** ROOT's name for the type, e.g. `float`, `float[]`, `std::vector<float>`, `char*`. */
  readonly rootType: string;
  /** Our column type (undefined when unsupported). */
  readonly type?: DataType;
}

const WIDTH: Record<PrimitiveType, number> = {
  bool: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  float32: 4,
  float64: 8,
};

const CPP: Record<PrimitiveType, string> = {
  bool: 'bool',
  int8: 'int8_t',
  uint8: 'uint8_t',
  int16: 'int16_t',
  uint16: 'uint16_t',
  int32: 'int32_t',
  uint32: 'uint32_t',
  int64: 'int64_t',
  uint64: 'uint64_t',
  float32: 'float',
  float64: 'double',
};

function item(disk: PrimitiveType, out: PrimitiveType = disk, packed?: FloatRange): Item {
  return { disk, out, packed, width: packed ? (packed.mode === 'truncated' ? 3 : 4) : WIDTH[disk] };
}

/** The item of ROOT basic type code 1..19 (64-bit longs and Double32/Float16 included). */
function itemOfCode(code: number, title = ''): Item | undefined {
  switch (code) {
    case T.Char:
    case T.LegacyChar:
      return item('int8');
    case T.Short:
      return item('int16');
    case T.Int:
    case T.Counter:
      return item('int32');
    case T.Long:
    case T.Long64:
      return item('int64');
    case T.Float:
      return item('float32');
    case T.Double:
      return item('float64');
    case T.Double32:
      return item('float32', 'float64', parseFloatRange(title, false));
    case T.Float16:
      return item('float32', 'float32', parseFloatRange(title, true));
    case T.UChar:
      return item('uint8');
    case T.UShort:
      return item('uint16');
    case T.UInt:
    case T.Bits:
      return item('uint32');
    case T.ULong:
    case T.ULong64:
      return item('uint64');
    case T.Bool:
      return item('bool');
    default:
      return undefined;
  }
}

/** The item of a C++ / ROOT basic type name (`float`, `Float_t`, `int32_t`, `unsigned int`, ...). */
function itemOfName(name: string): Item | undefined {
  const n = name
    .replace(/^std::/, '')
    .replace(/\s+/g, ' ')
    .trim();
  const table: Record<string, PrimitiveType> = {
    bool: 'bool',
    Bool_t: 'bool',
    char: 'int8',
    Char_t: 'int8',
    int8_t: 'int8',
    'signed char': 'int8',
    'unsigned char': 'uint8',
    UChar_t: 'uint8',
    uint8_t: 'uint8',
    short: 'int16',
    Short_t: 'int16',
    int16_t: 'int16',
    'unsigned short': 'uint16',
    UShort_t: 'uint16',
    uint16_t: 'uint16',
    int: 'int32',
    Int_t: 'int32',
    int32_t: 'int32',
    'unsigned int': 'uint32',
    UInt_t: 'uint32',
    uint32_t: 'uint32',
    unsigned: 'uint32',
    long: 'int64',
    Long_t: 'int64',
    Long64_t: 'int64',
    int64_t: 'int64',
    'long long': 'int64',
    'unsigned long': 'uint64',
    ULong_t: 'uint64',
    ULong64_t: 'uint64',
    uint64_t: 'uint64',
    'unsigned long long': 'uint64',
    float: 'float32',
    Float_t: 'float32',
    double: 'float64',
    Double_t: 'float64',
  };
  if (n === 'Double32_t') return item('float32', 'float64', { mode: 'float' });
  if (n === 'Float16_t') return item('float32', 'float32', { mode: 'truncated', nbits: 12 });
  const t = table[n];
  return t ? item(t) : undefined;
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

function typeOfItem(it: Item, dims: readonly number[]): DataType {
  let t: DataType = { kind: 'primitive', type: it.out };
  for (let i = dims.length - 1; i >= 0; i--) t = { kind: 'fixed-list', item: t, size: dims[i]! };
  return t;
}

function cppOfItem(it: Item, packedName?: string): string {
  if (it.packed) return packedName ?? (it.out === 'float64' ? 'Double32_t' : 'Float16_t');
  return CPP[it.disk === it.out ? it.disk : it.out];
}

const unsupported = (rootType: string, reason: string): BranchInterpretation => ({
  interp: { kind: 'unsupported', reason },
  rootType,
});

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
  const { variable, dims } = leafDims(leaf);
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

/** Interpret a C++ class name of a whole-object branch: std::vector, std::string, TString. */
function fromClassName(cls: string, b: BranchModel): BranchInterpretation {
  const name = cls
    .replace(/std::/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([<>,])\s*/g, '$1')
    .trim();
  if (name === 'string')
    return { interp: { kind: 'string', header: true }, rootType: 'std::string', type: { kind: 'utf8' } };
  if (name === 'TString')
    return { interp: { kind: 'string', header: false }, rootType: 'TString', type: { kind: 'utf8' } };
  const vec = /^vector<(.+)>$/.exec(name);
  if (vec) {
    const inner = vec[1]!;
    const it = itemOfName(inner);
    if (it)
      return {
        interp: { kind: 'vector', item: it, depth: 1, header: true },
        rootType: `std::vector<${cppOfItem(it, inner)}>`,
        type: { kind: 'list', item: typeOfItem(it, []) },
      };
    if (inner === 'string' || inner === 'TString')
      return {
        interp: { kind: 'vector-string', header: true },
        rootType: 'std::vector<std::string>',
        type: { kind: 'list', item: { kind: 'utf8' } },
      };
    const vec2 = /^vector<(.+)>$/.exec(inner);
    const it2 = vec2 ? itemOfName(vec2[1]!) : undefined;
    if (it2) {
      return {
        interp: { kind: 'vector', item: it2, depth: 2, header: true },
        rootType: `std::vector<std::vector<${cppOfItem(it2, vec2![1])}>>`,
        type: { kind: 'list', item: { kind: 'list', item: typeOfItem(it2, []) } },
      };
    }
  }
  const display = cls.replace(/vector</g, 'std::vector<').replace(/std::std::/g, 'std::');
  const split = b.branches.length ? ' (split: read its member branches)' : '';
  return unsupported(display, `not supported yet: ${display} in branch ${b.path}${split}`);
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
  if (id < 0) return fromClassName(b.elementClass ?? '', b);
  // A member of a split object: find its streamer element for the title (Double32 ranges) and type name.
  const parentClass = b.parentName || b.elementClass || '';
  const info = streamers.get(b.elementClass ?? parentClass, b.classVersion);
  const el = info?.elements[id];
  const title = el?.title ?? b.title;
  const leaf = b.leaves[0];
  const inCollection = b.type === 31 || b.type === 41;
  if (st > 0 && st < T.OffsetL) {
    const it = itemOfCode(st, title);
    if (!it) return unsupported(`code ${st}`, `not supported yet: type code ${st} in branch ${b.path}`);
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
  if (inCollection)
    return unsupported(
      el?.typeName ?? `code ${st}`,
      `not supported yet: ${el?.typeName ?? `type code ${st}`} member of a split collection in branch ${b.path}`,
    );
  if (st === T.TString)
    return { interp: { kind: 'string', header: false }, rootType: 'TString', type: { kind: 'utf8' } };
  if (st === T.STL || st === T.STLstring || (st > 300 && st < 400)) {
    const typeName = el?.typeName ?? leaf?.title ?? '';
    return fromClassName(typeName, b);
  }
  return unsupported(
    el?.typeName ?? b.elementClass ?? `code ${st}`,
    `not supported yet: ${el?.typeName ?? b.elementClass ?? `type code ${st}`} in branch ${b.path}`,
  );
}
