/** Classes ROOT streams with hand-written code (TObject, collections, arrays, streamer descriptions, TBasket). */
import type { Cursor } from '../cursor.js';
import { readKey } from '../key.js';
import type { ObjectReader, RootObject } from './object-reader.js';
import { applyFloatRange, type StreamerElement, type StreamerInfo } from './streamer-info.js';

export type NativeReader = (c: Cursor, r: ObjectReader) => RootObject;

const kIsReferenced = 1 << 4;

export function readTObject(c: Cursor): RootObject {
  const hdr = c.version();
  const fUniqueID = c.u32();
  const fBits = c.u32();
  if (fBits & kIsReferenced) c.u16();
  c.close(hdr, 'TObject');
  return { _class: 'TObject', fUniqueID, fBits };
}

export function readTNamed(c: Cursor): RootObject {
  const hdr = c.version();
  readTObject(c);
  const fName = c.string();
  const fTitle = c.string();
  c.close(hdr, 'TNamed');
  return { _class: 'TNamed', fName, fTitle };
}

function readTList(c: Cursor, r: ObjectReader): RootObject {
  const hdr = c.version();
  if (hdr.version > 3) readTObject(c);
  const fName = c.string();
  const n = c.i32();
  if (n < 0 || n > c.remaining) throw c.error('root/bad-collection', `TList claims ${n} entries`);
  const arr: unknown[] = [];
  const options: string[] = [];
  for (let i = 0; i < n; i++) {
    arr.push(r.readObjectAny(c));
    options.push(c.string());
  }
  c.close(hdr, 'TList');
  return { _class: 'TList', fName, arr, options };
}

function readTObjArray(c: Cursor, r: ObjectReader): RootObject {
  const hdr = c.version();
  if (hdr.version > 2) readTObject(c);
  const fName = hdr.version > 1 ? c.string() : '';
  const n = c.i32();
  const fLowerBound = c.i32();
  if (n < 0 || n > c.remaining) throw c.error('root/bad-collection', `TObjArray claims ${n} entries`);
  const arr: unknown[] = [];
  for (let i = 0; i < n; i++) arr.push(r.readObjectAny(c));
  c.close(hdr, 'TObjArray');
  return { _class: 'TObjArray', fName, fLowerBound, arr };
}

function readTObjString(c: Cursor): RootObject {
  const hdr = c.version();
  readTObject(c);
  const fString = c.string();
  c.close(hdr, 'TObjString');
  return { _class: 'TObjString', fString };
}

function arrayReader(name: string, width: number, get: (c: Cursor) => number): NativeReader {
  return (c) => {
    const n = c.i32();
    if (n < 0 || n * width > c.remaining) throw c.error('root/bad-array', `${name} claims ${n} elements`);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = get(c);
    return { _class: name, fN: n, fArray: values };
  };
}

function readStreamerInfo(c: Cursor, r: ObjectReader): RootObject {
  const hdr = c.version();
  const named = readTNamed(c);
  const checksum = c.u32();
  const classVersion = c.i32();
  const elems = r.readObjectAny(c) as { arr?: unknown[] } | null;
  c.close(hdr, 'TStreamerInfo');
  const info: StreamerInfo = {
    name: named.fName as string,
    title: named.fTitle as string,
    checksum,
    classVersion,
    elements: ((elems?.arr ?? []) as (StreamerElement | null)[]).filter(
      (e): e is StreamerElement => e !== null,
    ),
  };
  return { _class: 'TStreamerInfo', info };
}

function readElementBase(c: Cursor, className: string): StreamerElement {
  const hdr = c.version();
  const named = readTNamed(c);
  let type = c.i32();
  const size = c.i32();
  const arrayLength = c.i32();
  const arrayDim = c.i32();
  let maxIndex: number[];
  if (hdr.version === 1) {
    const n = c.i32();
    maxIndex = Array.from({ length: n }, () => c.i32());
  } else {
    maxIndex = Array.from({ length: 5 }, () => c.i32());
  }
  const typeName = c.string();
  if (type === 11 && (typeName === 'Bool_t' || typeName === 'bool')) type = 18;
  c.close(hdr, 'TStreamerElement');
  const el: StreamerElement = {
    className,
    name: named.fName as string,
    title: named.fTitle as string,
    type,
    size,
    arrayLength,
    arrayDim,
    maxIndex,
    typeName,
  };
  applyFloatRange(el);
  return el;
}

function elementReader(
  className: string,
  extra?: (c: Cursor, el: StreamerElement, version: number) => void,
): NativeReader {
  return (c) => {
    const hdr = c.version();
    const el = readElementBase(c, className);
    extra?.(c, el, hdr.version);
    c.close(hdr, className);
    return el as unknown as RootObject;
  };
}

const readCount = (c: Cursor, el: StreamerElement) => {
  c.i32(); // fCountVersion
  el.countName = c.string();
  el.countClass = c.string();
};

function readSTL(c: Cursor, el: StreamerElement): void {
  el.stlType = c.i32();
  el.ctype = c.i32();
}

/** TBasket as embedded in a branch's fBaskets (the basket still in memory when the tree was written). */
function readTBasket(c: Cursor): RootObject {
  const start = c.pos;
  const key = readKey(c, false);
  const fVersion = c.i16();
  const fBufferSize = c.i32();
  let fNevBufSize = c.i32();
  if (fNevBufSize < 0) {
    fNevBufSize = -fNevBufSize;
    c.u8(); // fIOBits
  }
  const fNevBuf = c.i32();
  const fLast = c.i32();
  const flag = c.i8();
  let entryOffsets: Int32Array | undefined;
  if (flag !== 0 && flag % 10 !== 2) {
    if (fNevBuf) {
      const n = c.i32();
      entryOffsets = new Int32Array(n);
      for (let i = 0; i < n; i++) entryOffsets[i] = c.i32() & (flag > 20 && flag < 40 ? 0x00ffffff : -1);
    }
    if (flag > 40) {
      const m = c.i32();
      c.skip(4 * m);
    }
  }
  let data: Uint8Array | undefined;
  if (flag === 1 || flag > 10) {
    // The in-memory buffer is written whole, key-header space included.
    data = c.bytes(fLast).subarray(key.keylen);
  }
  return {
    _class: 'TBasket',
    key,
    fVersion,
    fBufferSize,
    fNevBufSize,
    fNevBuf,
    fLast,
    flag,
    entryOffsets,
    data,
    start,
  };
}

export const NATIVE_READERS: Record<string, NativeReader> = {
  TObject: readTObject,
  TNamed: readTNamed,
  TList: readTList,
  THashList: readTList,
  TMap: (c) => {
    const hdr = c.version();
    c.pos = hdr.end >= 0 ? hdr.end : c.pos;
    return { _class: 'TMap', skipped: true };
  },
  TObjArray: readTObjArray,
  TObjString: readTObjString,
  TArrayC: arrayReader('TArrayC', 1, (c) => c.i8()),
  TArrayS: arrayReader('TArrayS', 2, (c) => c.i16()),
  TArrayI: arrayReader('TArrayI', 4, (c) => c.i32()),
  TArrayL: arrayReader('TArrayL', 8, (c) => c.i64()),
  TArrayL64: arrayReader('TArrayL64', 8, (c) => c.i64()),
  TArrayF: arrayReader('TArrayF', 4, (c) => c.f32()),
  TArrayD: arrayReader('TArrayD', 8, (c) => c.f64()),
  TString: (c) => ({ _class: 'TString', value: c.string() }),
  TStreamerInfo: readStreamerInfo,
  TStreamerBase: elementReader('TStreamerBase', (c, el, v) => {
    if (v > 2) el.baseVersion = c.i32();
  }),
  TStreamerBasicType: elementReader('TStreamerBasicType'),
  TStreamerBasicPointer: elementReader('TStreamerBasicPointer', readCount),
  TStreamerLoop: elementReader('TStreamerLoop', readCount),
  TStreamerObject: elementReader('TStreamerObject'),
  TStreamerObjectPointer: elementReader('TStreamerObjectPointer'),
  TStreamerObjectAny: elementReader('TStreamerObjectAny'),
  TStreamerObjectAnyPointer: elementReader('TStreamerObjectAnyPointer'),
  TStreamerString: elementReader('TStreamerString'),
  TStreamerArtificial: elementReader('TStreamerArtificial'),
  TStreamerSTL: elementReader('TStreamerSTL', readSTL),
  TStreamerSTLstring: (c) => {
    const hdr = c.version();
    const inner = c.version();
    const el = readElementBase(c, 'TStreamerSTLstring');
    readSTL(c, el);
    c.close(inner, 'TStreamerSTL');
    c.close(hdr, 'TStreamerSTLstring');
    return el as unknown as RootObject;
  },
  TBasket: readTBasket,
};
