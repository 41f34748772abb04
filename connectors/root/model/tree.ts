/** TTree and TBranch as plain models: branch hierarchy, leaves, basket locations and embedded baskets. */
import type { RootObject } from '../streamers/object-reader.js';

export interface LeafModel {
  readonly className: string;
  readonly name: string;
  readonly title: string;
  /** Values per entry for fixed-size leaves (product of the dimensions). */
  readonly len: number;
  readonly lenType: number;
  readonly offset: number;
  readonly isUnsigned: boolean;
  /** Name of the leaf holding this leaf's per-entry count (`Jet_pt[nJet]`). */
  readonly countLeaf?: string;
  /** TLeafElement: the streamer element type code. */
  readonly type?: number;
}

/** An embedded basket: one still in memory when the tree was written, stored inside the TBranch. */
export interface EmbeddedBasket {
  readonly index: number;
  readonly keylen: number;
  readonly nevbuf: number;
  readonly last: number;
  readonly data: Uint8Array;
  readonly entryOffsets?: Int32Array;
}

export interface BranchModel {
  /** Full path: parent names joined by '/'. */
  readonly path: string;
  readonly name: string;
  readonly title: string;
  readonly className: string;
  readonly leaves: readonly LeafModel[];
  readonly branches: readonly BranchModel[];
  readonly entries: number;
  readonly entryOffsetLen: number;
  readonly writeBasket: number;
  readonly basketEntry: readonly number[];
  readonly basketSeek: readonly number[];
  readonly basketBytes: readonly number[];
  readonly embedded: readonly EmbeddedBasket[];
  readonly totBytes: number;
  readonly zipBytes: number;
  /** ROOT's compression setting (algorithm × 100 + level; -1: the file's). */
  readonly compress: number;
  /** TBranchElement fields. */
  readonly elementClass?: string;
  readonly parentName?: string;
  readonly clonesName?: string;
  readonly id?: number;
  readonly type?: number;
  readonly streamerType?: number;
  readonly classVersion?: number;
  readonly parent?: BranchModel;
}

export interface TreeModel {
  readonly name: string;
  readonly title: string;
  readonly entries: number;
  readonly branches: readonly BranchModel[];
  /** Every branch, depth first. */
  readonly all: readonly BranchModel[];
  readonly clusterSize: number;
}

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : 0);
const arr = (v: unknown): RootObject[] =>
  ((v as { arr?: RootObject[] } | null)?.arr ?? []).filter((x) => x !== null);

function leafModel(o: RootObject): LeafModel {
  const count = o.fLeafCount as RootObject | null | undefined;
  return {
    className: o._class,
    name: String(o.fName ?? ''),
    title: String(o.fTitle ?? ''),
    len: num(o.fLen) || 1,
    lenType: num(o.fLenType),
    offset: num(o.fOffset),
    isUnsigned: Boolean(o.fIsUnsigned),
    countLeaf: count && typeof count.fName === 'string' ? count.fName : undefined,
    type: o.fType === undefined ? undefined : num(o.fType),
  };
}

function embeddedBaskets(o: RootObject): EmbeddedBasket[] {
  const out: EmbeddedBasket[] = [];
  const list = ((o.fBaskets as { arr?: (RootObject | null)[] } | null)?.arr ?? []) as (RootObject | null)[];
  list.forEach((b, index) => {
    if (b?._class !== 'TBasket' || !b.data) return;
    const key = b.key as { keylen: number };
    out.push({
      index,
      keylen: key.keylen,
      nevbuf: num(b.fNevBuf),
      last: num(b.fLast),
      data: b.data as Uint8Array,
      entryOffsets: b.entryOffsets as Int32Array | undefined,
    });
  });
  return out;
}

function branchModel(o: RootObject, prefix: string, parent?: BranchModel): BranchModel {
  const name = String(o.fName ?? '');
  const path = prefix ? `${prefix}/${name}` : name;
  const numbers = (v: unknown) => ((v as unknown[] | undefined) ?? []).map(num);
  const model: BranchModel & { branches: BranchModel[] } = {
    path,
    name,
    title: String(o.fTitle ?? ''),
    className: o._class,
    leaves: arr(o.fLeaves).map(leafModel),
    branches: [],
    entries: num(o.fEntries),
    entryOffsetLen: num(o.fEntryOffsetLen),
    writeBasket: num(o.fWriteBasket),
    basketEntry: numbers(o.fBasketEntry),
    basketSeek: numbers(o.fBasketSeek),
    basketBytes: numbers(o.fBasketBytes),
    embedded: embeddedBaskets(o),
    totBytes: num(o.fTotBytes),
    zipBytes: num(o.fZipBytes),
    compress: o.fCompress === undefined ? -1 : num(o.fCompress),
    elementClass: o.fClassName === undefined ? undefined : String(o.fClassName),
    parentName: o.fParentName === undefined ? undefined : String(o.fParentName),
    clonesName: o.fClonesName === undefined ? undefined : String(o.fClonesName),
    id: o.fID === undefined ? undefined : num(o.fID),
    type: o.fType === undefined ? undefined : num(o.fType),
    streamerType: o.fStreamerType === undefined ? undefined : num(o.fStreamerType),
    classVersion: o.fClassVersion === undefined ? undefined : num(o.fClassVersion),
    parent,
  };
  model.branches.push(...arr(o.fBranches).map((b) => branchModel(b, path, model)));
  return model;
}

/** Build the tree model from a deserialised TTree (or TNtuple) object. */
export function treeModel(o: RootObject): TreeModel {
  const branches = arr(o.fBranches).map((b) => branchModel(b, ''));
  const all: BranchModel[] = [];
  const visit = (b: BranchModel) => {
    all.push(b);
    b.branches.forEach(visit);
  };
  branches.forEach(visit);
  return {
    name: String(o.fName ?? ''),
    title: String(o.fTitle ?? ''),
    entries: num(o.fEntries),
    branches,
    all,
    clusterSize: num(o.fAutoFlush),
  };
}

/** The entry ranges and locations of a branch's baskets, on disk and embedded, in entry order. */
export interface BasketRef {
  readonly index: number;
  readonly firstEntry: number;
  readonly stopEntry: number;
  readonly seek: number;
  readonly bytes: number;
  readonly embedded?: EmbeddedBasket;
}

/**
 * The first entries of `basketRefs(b)`, in the same order, without building the refs: a table's cluster
 * boundaries are the starts common to all its branches (10,000 baskets × 86 branches in a 10 M-event file).
 */
export function basketStarts(b: BranchModel): number[] {
  const out: number[] = [];
  const embedded = new Set(b.embedded.map((e) => e.index));
  let onDisk = 0;
  while (onDisk < b.writeBasket && (b.basketSeek[onDisk] ?? 0) !== 0 && !embedded.has(onDisk)) onDisk++;
  const more = b.embedded.length > 0;
  for (let i = 0; i < onDisk; i++) {
    const first = b.basketEntry[i] ?? 0;
    const stop = more || i + 1 < b.writeBasket ? (b.basketEntry[i + 1] ?? b.entries) : b.entries;
    if (stop > first) out.push(first);
  }
  for (const e of [...b.embedded].sort((x, y) => x.index - y.index))
    if (e.index >= onDisk) out.push(b.basketEntry[e.index] ?? 0);
  return out;
}

/**
 * The baskets of a branch in entry order. On-disk baskets are the first `fWriteBasket` with a file position;
 * baskets still in memory when the tree was written are stored inside the TBranch (its fBaskets array) — the
 * last one of a flushed tree, or every one of a small tree never flushed (their fBasketSeek is 0). An embedded
 * basket holds its own entry count, so its range is [fBasketEntry[i], + fNevBuf).
 */
export function basketRefs(b: BranchModel): BasketRef[] {
  const out: BasketRef[] = [];
  const embedded = new Map(b.embedded.map((e) => [e.index, e]));
  let onDisk = 0;
  while (onDisk < b.writeBasket && (b.basketSeek[onDisk] ?? 0) !== 0 && !embedded.has(onDisk)) onDisk++;
  for (let i = 0; i < onDisk; i++) {
    const first = b.basketEntry[i] ?? 0;
    const more = i + 1 < b.writeBasket || b.embedded.length > 0;
    const stop = more ? (b.basketEntry[i + 1] ?? b.entries) : b.entries;
    out.push({
      index: i,
      firstEntry: first,
      stopEntry: stop,
      seek: b.basketSeek[i] ?? 0,
      bytes: b.basketBytes[i] ?? 0,
    });
  }
  for (const e of [...b.embedded].sort((x, y) => x.index - y.index)) {
    if (e.index < onDisk) continue;
    const first = b.basketEntry[e.index] ?? 0;
    out.push({
      index: e.index,
      firstEntry: first,
      stopEntry: first + e.nevbuf,
      seek: 0,
      bytes: 0,
      embedded: e,
    });
  }
  return out.filter((r) => r.stopEntry > r.firstEntry || r.embedded);
}
