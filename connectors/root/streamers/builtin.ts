/**
 * Streamers hepq knows without the file: ROOT's histogram classes and what they are made of, at the versions ROOT 6
 * writes (the member lists and versions as files that do carry them describe them: TH1 8, TH1D 3, TH2 5, TH2D 4,
 * TH3 6, TH3D 4, TAxis 10, TAttAxis 4, TAttLine/TAttFill/TAttMarker 2, TNamed/TObject 1, TAtt3D 1). Consulted
 * only for a class the file has no streamer for: BDSIM's files store `std::vector<TH1D*>` / `TH2D*` / `TH3D*` but
 * carry no TH2D (or TH3D) streamer, as uproot reads them with its built-in models. TArrayD / TArrayF are not
 * here: their hand-written Streamer (fN, then the values) is read as such (`natives.ts`, `interp/object-type.ts`).
 */
import { type StreamerElement, type StreamerInfo, StreamerRegistry, T } from './streamer-info.js';

/** One member in our own compact form: how ROOT streams it, the member's name and its C++ type. */
type Member =
  | readonly ['base', string, number] // a base class and its version
  | readonly ['basic', string, T, string] // a number of type code T
  | readonly ['object', string, string] // a member object with its own header (TStreamerObject)
  | readonly ['any', string, string] // a member object streamed by its own Streamer (TStreamerObjectAny)
  | readonly ['string', string] // a TString
  | readonly ['inplace', string, string] // `T* x; //->`: never null, streamed in place
  | readonly ['pointer', string, string] // `T* x;`: null, or a class tag and the object
  | readonly ['counted', string, T, string, string]; // `T* x; //[n]`: a marker byte, then n values

const SIZES: Partial<Record<T, number>> = {
  [T.Short]: 2,
  [T.UShort]: 2,
  [T.Int]: 4,
  [T.Counter]: 4,
  [T.UInt]: 4,
  [T.Bits]: 4,
  [T.Float]: 4,
  [T.Double]: 8,
  [T.Bool]: 1,
};

function element(m: Member): StreamerElement {
  const common = { title: '', arrayLength: 0, arrayDim: 0, maxIndex: [0, 0, 0, 0, 0] };
  switch (m[0]) {
    case 'base': {
      const type = m[1] === 'TObject' ? T.TObject : m[1] === 'TNamed' ? T.TNamed : T.Base;
      return {
        ...common,
        className: 'TStreamerBase',
        name: m[1],
        type,
        size: 0,
        typeName: 'BASE',
        baseVersion: m[2],
      };
    }
    case 'basic':
      return {
        ...common,
        className: 'TStreamerBasicType',
        name: m[1],
        type: m[2],
        size: SIZES[m[2]] ?? 0,
        typeName: m[3],
      };
    case 'object':
      return { ...common, className: 'TStreamerObject', name: m[1], type: T.Object, size: 0, typeName: m[2] };
    case 'any':
      return { ...common, className: 'TStreamerObjectAny', name: m[1], type: T.Any, size: 0, typeName: m[2] };
    case 'string':
      return {
        ...common,
        className: 'TStreamerString',
        name: m[1],
        type: T.TString,
        size: 24,
        typeName: 'TString',
      };
    case 'inplace':
    case 'pointer':
      return {
        ...common,
        className: 'TStreamerObjectPointer',
        name: m[1],
        type: m[0] === 'inplace' ? T.Objectp : T.ObjectP,
        size: 8,
        typeName: m[2],
      };
    case 'counted':
      return {
        ...common,
        className: 'TStreamerBasicPointer',
        name: m[1],
        type: T.OffsetP + m[2],
        size: 8,
        typeName: m[3],
        countName: m[4],
      };
  }
}

const TAXIS: Member[] = [
  ['base', 'TNamed', 1],
  ['base', 'TAttAxis', 4],
  ['basic', 'fNbins', T.Int, 'int'],
  ['basic', 'fXmin', T.Double, 'double'],
  ['basic', 'fXmax', T.Double, 'double'],
  ['any', 'fXbins', 'TArrayD'],
  ['basic', 'fFirst', T.Int, 'int'],
  ['basic', 'fLast', T.Int, 'int'],
  ['basic', 'fBits2', T.UShort, 'unsigned short'],
  ['basic', 'fTimeDisplay', T.Bool, 'bool'],
  ['string', 'fTimeFormat'],
  ['pointer', 'fLabels', 'THashList*'],
  ['pointer', 'fModLabs', 'TList*'],
];

const shorts = (...names: string[]): Member[] => names.map((n) => ['basic', n, T.Short, 'short']);
const doubles = (...names: string[]): Member[] => names.map((n) => ['basic', n, T.Double, 'double']);
const floats = (...names: string[]): Member[] => names.map((n) => ['basic', n, T.Float, 'float']);

const TH1: Member[] = [
  ['base', 'TNamed', 1],
  ['base', 'TAttLine', 2],
  ['base', 'TAttFill', 2],
  ['base', 'TAttMarker', 2],
  ['basic', 'fNcells', T.Int, 'int'],
  ['object', 'fXaxis', 'TAxis'],
  ['object', 'fYaxis', 'TAxis'],
  ['object', 'fZaxis', 'TAxis'],
  ...shorts('fBarOffset', 'fBarWidth'),
  ...doubles('fEntries', 'fTsumw', 'fTsumw2', 'fTsumwx', 'fTsumwx2', 'fMaximum', 'fMinimum', 'fNormFactor'),
  ['any', 'fContour', 'TArrayD'],
  ['any', 'fSumw2', 'TArrayD'],
  ['string', 'fOption'],
  ['inplace', 'fFunctions', 'TList*'],
  ['basic', 'fBufferSize', T.Counter, 'int'],
  ['counted', 'fBuffer', T.Double, 'double*', 'fBufferSize'],
  ['basic', 'fBinStatErrOpt', T.Int, 'TH1::EBinErrorOpt'],
  ['basic', 'fStatOverflows', T.Int, 'TH1::EStatOverflows'],
];

/** Each class: its version and members, in streaming order. */
const CLASSES: Record<string, readonly [number, readonly Member[]]> = {
  TObject: [
    1,
    [
      ['basic', 'fUniqueID', T.UInt, 'unsigned int'],
      ['basic', 'fBits', T.Bits, 'unsigned int'],
    ],
  ],
  TNamed: [
    1,
    [
      ['base', 'TObject', 1],
      ['string', 'fName'],
      ['string', 'fTitle'],
    ],
  ],
  TAttLine: [2, shorts('fLineColor', 'fLineStyle', 'fLineWidth')],
  TAttFill: [2, shorts('fFillColor', 'fFillStyle')],
  TAttMarker: [2, [...shorts('fMarkerColor', 'fMarkerStyle'), ...floats('fMarkerSize')]],
  TAttAxis: [
    4,
    [
      ['basic', 'fNdivisions', T.Int, 'int'],
      ...shorts('fAxisColor', 'fLabelColor', 'fLabelFont'),
      ...floats('fLabelOffset', 'fLabelSize', 'fTickLength', 'fTitleOffset', 'fTitleSize'),
      ...shorts('fTitleColor', 'fTitleFont'),
    ],
  ],
  TAtt3D: [1, []],
  TAxis: [10, TAXIS],
  TH1: [8, TH1],
  TH2: [5, [['base', 'TH1', 8], ...doubles('fScalefactor', 'fTsumwy', 'fTsumwy2', 'fTsumwxy')]],
  TH3: [
    6,
    [
      ['base', 'TH1', 8],
      ['base', 'TAtt3D', 1],
      ...doubles('fTsumwy', 'fTsumwy2', 'fTsumwxy', 'fTsumwz', 'fTsumwz2', 'fTsumwxz', 'fTsumwyz'),
    ],
  ],
  TH1D: [
    3,
    [
      ['base', 'TH1', 8],
      ['base', 'TArrayD', 1],
    ],
  ],
  TH1F: [
    3,
    [
      ['base', 'TH1', 8],
      ['base', 'TArrayF', 1],
    ],
  ],
  TH2D: [
    4,
    [
      ['base', 'TH2', 5],
      ['base', 'TArrayD', 1],
    ],
  ],
  TH2F: [
    4,
    [
      ['base', 'TH2', 5],
      ['base', 'TArrayF', 1],
    ],
  ],
  TH3D: [
    4,
    [
      ['base', 'TH3', 6],
      ['base', 'TArrayD', 1],
    ],
  ],
  TH3F: [
    4,
    [
      ['base', 'TH3', 6],
      ['base', 'TArrayF', 1],
    ],
  ],
};

/** The built-in streamers, as a registry a file's own falls back on. */
export const BUILTIN_STREAMERS: StreamerRegistry = (() => {
  const registry = new StreamerRegistry();
  for (const [name, [classVersion, members]] of Object.entries(CLASSES)) {
    const info: StreamerInfo = {
      name,
      title: '',
      checksum: 0,
      classVersion,
      elements: members.map(element),
    };
    registry.add(info);
  }
  return registry;
})();
