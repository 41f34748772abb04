/**
 * TH1D and TH2D as ROOT streams them (TH1 v8, TAxis v10, TArrayD payloads), and the streamer infos those classes
 * need — the layouts of ROOT 6.16, which every later ROOT (and jsroot, uproot) reads.
 */
import type { WriteBuffer } from './buffer.js';
import { writeNamed, writeTObject } from './objects.js';
import {
  any,
  base,
  basic,
  type ClassDef,
  CODE,
  type MemberDef,
  pointer,
  TATTFILL,
  TATTLINE,
  TATTMARKER,
  TNAMED,
  TREE_CLASSES,
  tstring,
} from './streamers.js';

/** One axis: its edges (nbins + 1, increasing), title and name (xaxis, yaxis, zaxis). */
export interface AxisData {
  readonly edges: readonly number[];
  readonly title: string;
  readonly name: string;
}

/** A histogram ready to stream: 1 or 2 axes, values and sumw2 over every bin including flows (ROOT global order). */
export interface HistogramObject {
  readonly name: string;
  readonly title: string;
  readonly axes: readonly AxisData[];
  readonly values: Float64Array;
  readonly sumw2: Float64Array;
  readonly entries: number;
}

const TH1_CHECKSUM = 473383108;
const TH2_CHECKSUM = 25310335;
const TARRAYD_CHECKSUM = 1899622196;
const TATTAXIS_CHECKSUM = 1550843710;
const TAXIS_CHECKSUM = 1514761840;

const object = (name: string, typeName: string, type: number, size: number): MemberDef => ({
  element: type === 61 ? 'TStreamerObject' : 'TStreamerObjectPointer',
  name,
  type,
  size,
  typeName,
});
const doubles = (...names: string[]) => names.map((n) => basic(n, 'double', CODE.double));

const TH1_CLASS: ClassDef = {
  name: 'TH1',
  version: 8,
  checksum: TH1_CHECKSUM,
  members: [
    base('TNamed', 1, TNAMED, 67),
    base('TAttLine', 2, TATTLINE),
    base('TAttFill', 2, TATTFILL),
    base('TAttMarker', 2, TATTMARKER),
    basic('fNcells', 'int', CODE.int),
    object('fXaxis', 'TAxis', 61, 216),
    object('fYaxis', 'TAxis', 61, 216),
    object('fZaxis', 'TAxis', 61, 216),
    basic('fBarOffset', 'short', CODE.short),
    basic('fBarWidth', 'short', CODE.short),
    ...doubles('fEntries', 'fTsumw', 'fTsumw2', 'fTsumwx', 'fTsumwx2', 'fMaximum', 'fMinimum', 'fNormFactor'),
    any('fContour', 'TArrayD', 24),
    any('fSumw2', 'TArrayD', 24),
    tstring('fOption'),
    object('fFunctions', 'TList*', 63, 8),
    basic('fBufferSize', 'int', CODE.counter),
    {
      element: 'TStreamerBasicPointer',
      name: 'fBuffer',
      type: 40 + CODE.double,
      size: 8,
      typeName: 'double*',
      title: '[fBufferSize]',
      countName: 'fBufferSize',
      countClass: 'TH1',
    },
    basic('fBinStatErrOpt', 'TH1::EBinErrorOpt', CODE.int),
    basic('fStatOverflows', 'TH1::EStatOverflows', CODE.int),
  ],
};

/** Streamer infos for files holding TH1D / TH2D (TArrayD has a custom streamer and needs none). */
export const HISTOGRAM_CLASSES: readonly ClassDef[] = [
  ...TREE_CLASSES.filter((c) => ['TObject', 'TNamed', 'TAttLine', 'TAttFill', 'TAttMarker'].includes(c.name)),
  {
    name: 'TAttAxis',
    version: 4,
    checksum: TATTAXIS_CHECKSUM,
    members: [
      basic('fNdivisions', 'int', CODE.int),
      ...['fAxisColor', 'fLabelColor', 'fLabelFont'].map((n) => basic(n, 'short', CODE.short)),
      ...['fLabelOffset', 'fLabelSize', 'fTickLength', 'fTitleOffset', 'fTitleSize'].map((n) =>
        basic(n, 'float', CODE.float),
      ),
      ...['fTitleColor', 'fTitleFont'].map((n) => basic(n, 'short', CODE.short)),
    ],
  },
  {
    name: 'TAxis',
    version: 10,
    checksum: TAXIS_CHECKSUM,
    members: [
      base('TNamed', 1, TNAMED, 67),
      base('TAttAxis', 4, TATTAXIS_CHECKSUM),
      basic('fNbins', 'int', CODE.int),
      ...doubles('fXmin', 'fXmax'),
      any('fXbins', 'TArrayD', 24),
      basic('fFirst', 'int', CODE.int),
      basic('fLast', 'int', CODE.int),
      basic('fBits2', 'unsigned short', CODE.ushort),
      basic('fTimeDisplay', 'bool', CODE.bool),
      tstring('fTimeFormat'),
      pointer('fLabels', 'THashList*'),
      pointer('fModLabs', 'TList*'),
    ],
  },
  TH1_CLASS,
  {
    name: 'TH1D',
    version: 2,
    checksum: 4189148831,
    members: [base('TH1', 8, TH1_CHECKSUM), base('TArrayD', 1, TARRAYD_CHECKSUM)],
  },
  {
    name: 'TH2',
    version: 4,
    checksum: TH2_CHECKSUM,
    members: [base('TH1', 8, TH1_CHECKSUM), ...doubles('fScalefactor', 'fTsumwy', 'fTsumwy2', 'fTsumwxy')],
  },
  {
    name: 'TH2D',
    version: 3,
    checksum: 2142929648,
    members: [base('TH2', 4, TH2_CHECKSUM), base('TArrayD', 1, TARRAYD_CHECKSUM)],
  },
];

function writeArrayD(b: WriteBuffer, values: ArrayLike<number>): void {
  b.i32(values.length);
  for (let i = 0; i < values.length; i++) b.f64(values[i]!);
}

/** Equal-width edges (to 1e-9 of the width) are stored as fXmin/fXmax alone, as ROOT does. */
function isUniform(edges: readonly number[]): boolean {
  const n = edges.length - 1;
  const w = (edges[n]! - edges[0]!) / n;
  return edges.every((e, i) => Math.abs(e - (edges[0]! + i * w)) <= 1e-9 * Math.abs(w));
}

function writeAxis(b: WriteBuffer, axis: AxisData): void {
  const m = b.beginObject(10);
  writeNamed(b, axis.name, axis.title);
  const att = b.beginObject(4);
  b.i32(510); // fNdivisions
  b.i16(1); // fAxisColor
  b.i16(1); // fLabelColor
  b.i16(42); // fLabelFont
  b.f32(0.005); // fLabelOffset
  b.f32(0.035); // fLabelSize
  b.f32(0.03); // fTickLength
  b.f32(1); // fTitleOffset
  b.f32(0.035); // fTitleSize
  b.i16(1); // fTitleColor
  b.i16(42); // fTitleFont
  b.endObject(att);
  const nbins = axis.edges.length - 1;
  b.i32(nbins);
  b.f64(axis.edges[0]!);
  b.f64(axis.edges[nbins]!);
  writeArrayD(b, isUniform(axis.edges) ? [] : axis.edges);
  b.i32(0); // fFirst
  b.i32(0); // fLast
  b.u16(0); // fBits2
  b.u8(0); // fTimeDisplay
  b.string(''); // fTimeFormat
  b.u32(0); // fLabels
  b.u32(0); // fModLabs
  b.endObject(m);
}

function writeAttributes(b: WriteBuffer): void {
  const line = b.beginObject(2);
  b.i16(602);
  b.i16(1);
  b.i16(1);
  b.endObject(line);
  const fill = b.beginObject(2);
  b.i16(0);
  b.i16(1001);
  b.endObject(fill);
  const marker = b.beginObject(2);
  b.i16(1);
  b.i16(1);
  b.f32(1);
  b.endObject(marker);
}

/** Σw, Σw², Σw·x, Σw·x² over in-range bins (bin centres), and for 2-D Σw·y, Σw·y², Σw·x·y: ROOT's fTsumw… */
function moments(h: HistogramObject): number[] {
  const [ax, ay] = h.axes;
  const nx = ax!.edges.length - 1;
  const ny = ay ? ay.edges.length - 1 : 1;
  const cx = (i: number) => (ax!.edges[i - 1]! + ax!.edges[i]!) / 2;
  const cy = (j: number) => (ay ? (ay.edges[j - 1]! + ay.edges[j]!) / 2 : 0);
  const s = [0, 0, 0, 0, 0, 0, 0];
  for (let j = ay ? 1 : 0; j <= (ay ? ny : 0); j++)
    for (let i = 1; i <= nx; i++) {
      const g = i + (nx + 2) * j;
      const w = h.values[g]!;
      const x = cx(i);
      const y = cy(j);
      s[0]! += w;
      s[1]! += h.sumw2[g]!;
      s[2]! += w * x;
      s[3]! += w * x * x;
      s[4]! += w * y;
      s[5]! += w * y * y;
      s[6]! += w * x * y;
    }
  return s;
}

/** The payload of a TH1D (one axis) or TH2D (two axes) key. */
export function writeHistogramObject(b: WriteBuffer, h: HistogramObject): void {
  const dim = h.axes.length;
  const top = b.beginObject(dim === 1 ? 2 : 3);
  const th2 = dim === 2 ? b.beginObject(4) : -1;
  const th1 = b.beginObject(8);
  writeNamed(b, h.name, h.title);
  writeAttributes(b);
  b.i32(h.values.length); // fNcells
  const unit: AxisData = { edges: [0, 1], title: '', name: '' };
  writeAxis(b, h.axes[0]!);
  writeAxis(b, h.axes[1] ?? { ...unit, name: 'yaxis' });
  writeAxis(b, { ...unit, name: 'zaxis' });
  b.i16(0); // fBarOffset
  b.i16(1000); // fBarWidth
  const [sw, sw2, swx, swx2, swy, swy2, swxy] = moments(h);
  for (const v of [h.entries, sw!, sw2!, swx!, swx2!, -1111, -1111, 0]) b.f64(v);
  writeArrayD(b, []); // fContour
  writeArrayD(b, h.sumw2); // fSumw2
  b.string(''); // fOption
  // fFunctions is a `->` pointer (kObjectp): the TList itself, without a class tag
  const list = b.beginObject(5);
  writeTObject(b);
  b.string('');
  b.i32(0);
  b.endObject(list);
  b.i32(0); // fBufferSize
  b.u8(0); // fBuffer: no array
  b.i32(0); // fBinStatErrOpt: kNormal
  b.i32(2); // fStatOverflows: kNeutral
  b.endObject(th1);
  if (dim === 2) {
    for (const v of [1, swy!, swy2!, swxy!]) b.f64(v); // fScalefactor, fTsumwy, fTsumwy2, fTsumwxy
    b.endObject(th2);
  }
  writeArrayD(b, h.values);
  b.endObject(top);
}
