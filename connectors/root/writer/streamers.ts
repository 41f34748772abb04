/**
 * The TStreamerInfo record a written file carries: a declarative description of every class the writer
 * serialises (TTree, TBranch, TBranchElement, the TLeaf family, std::vector<T>), and its serialisation.
 */
import type { WriteBuffer } from './buffer.js';
import { writeNamed, writeObjectArray, writeTObject } from './objects.js';

/** One member of a class as ROOT's TStreamerElement subclasses describe it. */
export interface MemberDef {
  /** TStreamerBase, TStreamerBasicType, TStreamerString, TStreamerObject, ... */
  readonly element: string;
  readonly name: string;
  readonly type: number;
  readonly size: number;
  readonly typeName: string;
  readonly title?: string;
  /** TStreamerBase: version and checksum of the base class. */
  readonly baseVersion?: number;
  readonly baseChecksum?: number;
  /** TStreamerBasicPointer: the member holding the array length and its class. */
  readonly countName?: string;
  readonly countClass?: string;
  /** TStreamerSTL: container kind (1 = vector) and element type code. */
  readonly stlType?: number;
  readonly ctype?: number;
}

export interface ClassDef {
  readonly name: string;
  readonly version: number;
  readonly checksum: number;
  readonly members: readonly MemberDef[];
}

export const base = (name: string, version: number, checksum: number, type = 0): MemberDef => ({
  element: 'TStreamerBase',
  name,
  type,
  size: 0,
  typeName: 'BASE',
  baseVersion: version,
  baseChecksum: checksum,
});
export const CODE = {
  char: 1,
  short: 2,
  int: 3,
  float: 5,
  counter: 6,
  double: 8,
  uchar: 11,
  ushort: 12,
  uint: 13,
  bits: 15,
  long64: 16,
  bool: 18,
};
const SIZE: Record<number, number> = {
  1: 1,
  2: 2,
  3: 4,
  5: 4,
  6: 4,
  8: 8,
  11: 1,
  12: 2,
  13: 4,
  15: 4,
  16: 8,
  18: 1,
};
export const basic = (name: string, typeName: string, code: number, title = ''): MemberDef => ({
  element: 'TStreamerBasicType',
  name,
  type: code,
  size: SIZE[code]!,
  typeName,
  title,
});
export const tstring = (name: string): MemberDef => ({
  element: 'TStreamerString',
  name,
  type: 65,
  size: 24,
  typeName: 'TString',
});
const objArray = (name: string): MemberDef => ({
  element: 'TStreamerObject',
  name,
  type: 61,
  size: 64,
  typeName: 'TObjArray',
});
export const pointer = (name: string, typeName: string): MemberDef => ({
  element: 'TStreamerObjectPointer',
  name,
  type: 64,
  size: 8,
  typeName,
});
export const any = (name: string, typeName: string, size: number): MemberDef => ({
  element: 'TStreamerObjectAny',
  name,
  type: 62,
  size,
  typeName,
});
export const array = (
  name: string,
  typeName: string,
  code: number,
  countName: string,
  countClass: string,
): MemberDef => ({
  element: 'TStreamerBasicPointer',
  name,
  type: 40 + code,
  size: 8,
  typeName,
  title: `[${countName}]`,
  countName,
  countClass,
});

// Checksums as ROOT 6 computes them for these class layouts (they identify a layout; readers match on versions).
export const TOBJECT = 2417737773;
export const TNAMED = 3753331260;
export const TATTLINE = 2483504457;
export const TATTFILL = 4292422290;
export const TATTMARKER = 689802220;
const TBRANCH = 278366892;
const TLEAF = 1830715730;

const leafClass = (name: string, checksum: number, typeName: string, code: number): ClassDef => ({
  name,
  version: 1,
  checksum,
  members: [base('TLeaf', 2, TLEAF), basic('fMinimum', typeName, code), basic('fMaximum', typeName, code)],
});

/** The classes of the TTree object graph, in the order ROOT lists them. */
export const TREE_CLASSES: readonly ClassDef[] = [
  {
    name: 'TObject',
    version: 1,
    checksum: TOBJECT,
    members: [basic('fUniqueID', 'unsigned int', CODE.uint), basic('fBits', 'unsigned int', CODE.bits)],
  },
  {
    name: 'TNamed',
    version: 1,
    checksum: TNAMED,
    members: [base('TObject', 1, TOBJECT, 66), tstring('fName'), tstring('fTitle')],
  },
  {
    name: 'TAttLine',
    version: 2,
    checksum: TATTLINE,
    members: [
      basic('fLineColor', 'short', CODE.short),
      basic('fLineStyle', 'short', CODE.short),
      basic('fLineWidth', 'short', CODE.short),
    ],
  },
  {
    name: 'TAttFill',
    version: 2,
    checksum: TATTFILL,
    members: [basic('fFillColor', 'short', CODE.short), basic('fFillStyle', 'short', CODE.short)],
  },
  {
    name: 'TAttMarker',
    version: 2,
    checksum: TATTMARKER,
    members: [
      basic('fMarkerColor', 'short', CODE.short),
      basic('fMarkerStyle', 'short', CODE.short),
      basic('fMarkerSize', 'float', CODE.float),
    ],
  },
  {
    name: 'ROOT::TIOFeatures',
    version: 1,
    checksum: 446770960,
    members: [basic('fIOBits', 'unsigned char', CODE.uchar)],
  },
  {
    name: 'TTree',
    version: 20,
    checksum: 1919213695,
    members: [
      base('TNamed', 1, TNAMED, 67),
      base('TAttLine', 2, TATTLINE),
      base('TAttFill', 2, TATTFILL),
      base('TAttMarker', 2, TATTMARKER),
      ...['fEntries', 'fTotBytes', 'fZipBytes', 'fSavedBytes', 'fFlushedBytes'].map((n) =>
        basic(n, 'Long64_t', CODE.long64),
      ),
      basic('fWeight', 'double', CODE.double),
      ...['fTimerInterval', 'fScanField', 'fUpdate', 'fDefaultEntryOffsetLen'].map((n) =>
        basic(n, 'int', CODE.int),
      ),
      basic('fNClusterRange', 'int', CODE.counter),
      ...['fMaxEntries', 'fMaxEntryLoop', 'fMaxVirtualSize', 'fAutoSave', 'fAutoFlush', 'fEstimate'].map(
        (n) => basic(n, 'Long64_t', CODE.long64),
      ),
      array('fClusterRangeEnd', 'Long64_t*', CODE.long64, 'fNClusterRange', 'TTree'),
      array('fClusterSize', 'Long64_t*', CODE.long64, 'fNClusterRange', 'TTree'),
      any('fIOFeatures', 'ROOT::TIOFeatures', 1),
      objArray('fBranches'),
      objArray('fLeaves'),
      pointer('fAliases', 'TList*'),
      any('fIndexValues', 'TArrayD', 24),
      any('fIndex', 'TArrayI', 24),
      pointer('fTreeIndex', 'TVirtualIndex*'),
      pointer('fFriends', 'TList*'),
      pointer('fUserInfo', 'TList*'),
      pointer('fBranchRef', 'TBranchRef*'),
    ],
  },
  {
    name: 'TBranch',
    version: 13,
    checksum: TBRANCH,
    members: [
      base('TNamed', 1, TNAMED, 67),
      base('TAttFill', 2, TATTFILL),
      ...['fCompress', 'fBasketSize', 'fEntryOffsetLen', 'fWriteBasket'].map((n) =>
        basic(n, 'int', CODE.int),
      ),
      basic('fEntryNumber', 'Long64_t', CODE.long64),
      any('fIOFeatures', 'ROOT::TIOFeatures', 1),
      basic('fOffset', 'int', CODE.int),
      basic('fMaxBaskets', 'int', CODE.counter),
      basic('fSplitLevel', 'int', CODE.int),
      ...['fEntries', 'fFirstEntry', 'fTotBytes', 'fZipBytes'].map((n) => basic(n, 'Long64_t', CODE.long64)),
      objArray('fBranches'),
      objArray('fLeaves'),
      objArray('fBaskets'),
      array('fBasketBytes', 'int*', CODE.int, 'fMaxBaskets', 'TBranch'),
      array('fBasketEntry', 'Long64_t*', CODE.long64, 'fMaxBaskets', 'TBranch'),
      array('fBasketSeek', 'Long64_t*', CODE.long64, 'fMaxBaskets', 'TBranch'),
      tstring('fFileName'),
    ],
  },
  {
    name: 'TBranchElement',
    version: 10,
    checksum: 3880738403,
    members: [
      base('TBranch', 13, TBRANCH),
      tstring('fClassName'),
      tstring('fParentName'),
      tstring('fClonesName'),
      basic('fCheckSum', 'unsigned int', CODE.uint),
      basic('fClassVersion', 'short', CODE.short),
      ...['fID', 'fType', 'fStreamerType', 'fMaximum'].map((n) => basic(n, 'int', CODE.int)),
      pointer('fBranchCount', 'TBranchElement*'),
      pointer('fBranchCount2', 'TBranchElement*'),
    ],
  },
  {
    name: 'TLeaf',
    version: 2,
    checksum: TLEAF,
    members: [
      base('TNamed', 1, TNAMED, 67),
      ...['fLen', 'fLenType', 'fOffset'].map((n) => basic(n, 'int', CODE.int)),
      basic('fIsRange', 'bool', CODE.bool),
      basic('fIsUnsigned', 'bool', CODE.bool),
      pointer('fLeafCount', 'TLeaf*'),
    ],
  },
  leafClass('TLeafO', 44976339, 'bool', CODE.bool),
  leafClass('TLeafB', 253643614, 'char', CODE.char),
  leafClass('TLeafS', 1266195551, 'short', CODE.short),
  leafClass('TLeafI', 2120920601, 'int', CODE.int),
  leafClass('TLeafL', 3727820898, 'Long64_t', CODE.long64),
  leafClass('TLeafF', 987602290, 'float', CODE.float),
  leafClass('TLeafD', 294553462, 'double', CODE.double),
  {
    name: 'TLeafElement',
    version: 1,
    checksum: 2689566867,
    members: [base('TLeaf', 2, TLEAF), basic('fID', 'int', CODE.int), basic('fType', 'int', CODE.int)],
  },
];

/** ROOT's checksums of std::vector<T> (class version 6), keyed by the element's C++ name. */
export const VECTOR_CHECKSUMS: Record<string, number> = {
  bool: 0,
  char: 29929535,
  'unsigned char': 728903898,
  short: 89793095,
  'unsigned short': 2186716184,
  int: 9976712,
  'unsigned int': 3106279697,
  Long64_t: 0,
  ULong64_t: 0,
  float: 89790107,
  double: 269370212,
};

/** The streamer info of `vector<T>`: one TStreamerSTL element named "This" (container 1 = vector). */
export function vectorClass(cppItem: string, code: number): ClassDef {
  return {
    name: `vector<${cppItem}>`,
    version: 6,
    checksum: VECTOR_CHECKSUMS[cppItem] ?? 0,
    members: [
      {
        element: 'TStreamerSTL',
        name: 'This',
        type: 500,
        size: 24,
        typeName: `vector<${cppItem}>`,
        title: `<${cppItem}> Used to call the proper TStreamerInfo case`,
        stlType: 1,
        ctype: code,
      },
    ],
  };
}

const ELEMENT_VERSION: Record<string, number> = {
  TStreamerBase: 3,
  TStreamerBasicType: 2,
  TStreamerBasicPointer: 2,
  TStreamerString: 2,
  TStreamerObject: 2,
  TStreamerObjectPointer: 2,
  TStreamerObjectAny: 2,
  TStreamerSTL: 3,
};

function writeElement(b: WriteBuffer, m: MemberDef): void {
  b.objectAny(m, m.element, () => {
    const outer = b.beginObject(ELEMENT_VERSION[m.element]!);
    const el = b.beginObject(4); // TStreamerElement
    writeNamed(b, m.name, m.title ?? '');
    b.i32(m.type);
    b.i32(m.size);
    b.i32(0); // fArrayLength
    b.i32(0); // fArrayDim
    b.i32(0); // fMaxIndex[0..4]; ROOT keeps a base's checksum in [1]
    b.i32(m.baseChecksum ?? 0);
    b.i32(0);
    b.i32(0);
    b.i32(0);
    b.string(m.typeName);
    b.endObject(el);
    if (m.element === 'TStreamerBase') b.i32(m.baseVersion ?? 0);
    if (m.element === 'TStreamerBasicPointer') {
      b.i32(1); // fCountVersion
      b.string(m.countName ?? '');
      b.string(m.countClass ?? '');
    }
    if (m.element === 'TStreamerSTL') {
      b.i32(m.stlType ?? 1);
      b.i32(m.ctype ?? 0);
    }
    b.endObject(outer);
  });
}

/** The payload of the StreamerInfo key: a TList of TStreamerInfo objects (each option string empty). */
export function writeStreamerInfoList(b: WriteBuffer, classes: readonly ClassDef[]): void {
  const list = b.beginObject(5);
  writeTObject(b);
  b.string('');
  b.i32(classes.length);
  for (const cls of classes) {
    b.objectAny(cls, 'TStreamerInfo', () => {
      const info = b.beginObject(9);
      writeNamed(b, cls.name, '');
      b.u32(cls.checksum);
      b.i32(cls.version);
      const elements = { members: cls.members };
      b.objectAny(elements, 'TObjArray', () => writeObjectArray(b, cls.members, (m) => writeElement(b, m)));
      b.endObject(info);
    });
    b.string(''); // option
  }
  b.endObject(list);
}
