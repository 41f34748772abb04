/** Serialises a finished TTree (version 20) with its TBranch / TBranchElement / TLeaf objects, as ROOT 6 lays them out. */
import type { WriteBuffer } from './buffer.js';
import { writeI32Array, writeI64Array, writeNamed, writeObjectArray } from './objects.js';

export type LeafClass =
  | 'TLeafO'
  | 'TLeafB'
  | 'TLeafS'
  | 'TLeafI'
  | 'TLeafL'
  | 'TLeafF'
  | 'TLeafD'
  | 'TLeafElement';

export interface LeafSpec {
  readonly className: LeafClass;
  readonly name: string;
  readonly title: string;
  /** Values per entry of a fixed-size leaf (1 for scalars and leaf-count arrays). */
  readonly len: number;
  /** Bytes per value (0 for TLeafElement). */
  readonly lenType: number;
  readonly isUnsigned: boolean;
  /** The leaf holding this leaf's per-entry count (`Jet_pt[nJet]`); it must be written before this one. */
  readonly count?: LeafSpec;
  /** Count leaves record the largest count (fIsRange, fMaximum), as ROOT does. */
  maximum: number;
}

export interface BranchSpec {
  readonly name: string;
  readonly title: string;
  readonly leaf: LeafSpec;
  readonly compress: number;
  /** Non-zero for branches whose entries vary in size (baskets then carry entry offsets). */
  readonly entryOffsetLen: number;
  /** TBranchElement of a top-level `std::vector<T>` (class name, checksum, class version). */
  readonly element?: { readonly className: string; readonly checksum: number; readonly classVersion: number };
  entries: number;
  totBytes: number;
  zipBytes: number;
  readonly basketBytes: number[];
  readonly basketEntry: number[];
  readonly basketSeek: number[];
}

export interface TreeSpec {
  readonly name: string;
  readonly title: string;
  readonly entries: number;
  readonly totBytes: number;
  readonly zipBytes: number;
  /** Entries per cluster after the last explicit cluster range. */
  readonly autoFlush: number;
  /** Last entry (inclusive) and cluster size of each range before the autoFlush one. */
  readonly clusterRangeEnd: readonly number[];
  readonly clusterSize: readonly number[];
  readonly branches: readonly BranchSpec[];
}

/** Bit 1 of fIOBits is kGenerateOffsetMap; ROOT 6 trees carry 0 unless asked. */
function writeIOFeatures(b: WriteBuffer): void {
  const m = b.beginObject(1);
  b.u8(0);
  b.endObject(m);
}

function writeAttFill(b: WriteBuffer): void {
  const m = b.beginObject(2);
  b.i16(0);
  b.i16(1001);
  b.endObject(m);
}

function writeLeaf(b: WriteBuffer, leaf: LeafSpec): void {
  b.objectAny(leaf, leaf.className, () => {
    const outer = b.beginObject(1);
    const tleaf = b.beginObject(2);
    writeNamed(b, leaf.name, leaf.title);
    b.i32(leaf.len);
    b.i32(leaf.lenType);
    b.i32(0); // fOffset
    b.u8(leaf.maximum > 0 ? 1 : 0); // fIsRange
    b.u8(leaf.isUnsigned ? 1 : 0);
    if (leaf.count) b.objectAny(leaf.count, leaf.count.className, () => writeLeafBody(b, leaf.count!));
    else b.u32(0);
    b.endObject(tleaf);
    writeMinMax(b, leaf);
    b.endObject(outer);
  });
}

/** A count leaf is always written before the leaves that point to it, so this is never reached in practice. */
function writeLeafBody(_b: WriteBuffer, leaf: LeafSpec): never {
  throw new Error(`count leaf ${leaf.name} must be written before the leaves that use it`);
}

function writeMinMax(b: WriteBuffer, leaf: LeafSpec): void {
  const max = leaf.maximum;
  switch (leaf.className) {
    case 'TLeafO':
    case 'TLeafB':
      b.u8(0);
      b.u8(max);
      return;
    case 'TLeafS':
      b.i16(0);
      b.i16(max);
      return;
    case 'TLeafI':
      b.i32(0);
      b.i32(max);
      return;
    case 'TLeafL':
      b.i64(0);
      b.i64(max);
      return;
    case 'TLeafF':
      b.f32(0);
      b.f32(max);
      return;
    case 'TLeafD':
      b.f64(0);
      b.f64(max);
      return;
    case 'TLeafElement':
      b.i32(-1); // fID: the whole object
      b.i32(-1); // fType
      return;
  }
}

function writeBranchBody(b: WriteBuffer, br: BranchSpec): void {
  const m = b.beginObject(13);
  writeNamed(b, br.name, br.title);
  writeAttFill(b);
  const nBaskets = br.basketBytes.length;
  const maxBaskets = Math.max(10, nBaskets + 1);
  const pad = (a: readonly number[], last = 0) =>
    [...a, ...Array(maxBaskets - a.length).fill(0)].map((v, i) => (i === a.length ? last : v));
  b.i32(br.compress);
  b.i32(32000); // fBasketSize
  b.i32(br.entryOffsetLen);
  b.i32(nBaskets); // fWriteBasket
  b.i64(br.entries); // fEntryNumber
  writeIOFeatures(b);
  b.i32(0); // fOffset
  b.i32(maxBaskets);
  b.i32(0); // fSplitLevel
  b.i64(br.entries);
  b.i64(0); // fFirstEntry
  b.i64(br.totBytes);
  b.i64(br.zipBytes);
  writeObjectArray(b, [], () => {}); // fBranches
  writeObjectArray(b, [br.leaf], (leaf) => writeLeaf(b, leaf));
  writeObjectArray(b, [], () => {}); // fBaskets: every basket is on disk
  writeI32Array(b, pad(br.basketBytes));
  writeI64Array(b, pad(br.basketEntry, br.entries));
  writeI64Array(b, pad(br.basketSeek));
  b.string(''); // fFileName
  b.endObject(m);
}

function writeBranch(b: WriteBuffer, br: BranchSpec): void {
  if (!br.element) {
    b.objectAny(br, 'TBranch', () => writeBranchBody(b, br));
    return;
  }
  const el = br.element;
  b.objectAny(br, 'TBranchElement', () => {
    const m = b.beginObject(10);
    writeBranchBody(b, br);
    b.string(el.className);
    b.string(''); // fParentName
    b.string(''); // fClonesName
    b.u32(el.checksum);
    b.i16(el.classVersion);
    b.i32(-1); // fID: the branch holds the whole object
    b.i32(0); // fType
    b.i32(-1); // fStreamerType
    b.i32(0); // fMaximum
    b.u32(0); // fBranchCount
    b.u32(0); // fBranchCount2
    b.endObject(m);
  });
}

/** The TTree object (the payload of its key). */
export function writeTree(b: WriteBuffer, t: TreeSpec): void {
  const m = b.beginObject(20);
  writeNamed(b, t.name, t.title);
  const line = b.beginObject(2);
  b.i16(602);
  b.i16(1);
  b.i16(1);
  b.endObject(line);
  writeAttFill(b);
  const marker = b.beginObject(2);
  b.i16(1);
  b.i16(1);
  b.f32(1);
  b.endObject(marker);
  b.i64(t.entries);
  b.i64(t.totBytes);
  b.i64(t.zipBytes);
  b.i64(t.zipBytes); // fSavedBytes
  b.i64(t.zipBytes); // fFlushedBytes
  b.f64(1); // fWeight
  b.i32(0); // fTimerInterval
  b.i32(25); // fScanField
  b.i32(0); // fUpdate
  b.i32(1000); // fDefaultEntryOffsetLen
  b.i32(t.clusterRangeEnd.length);
  b.i64(1000000000000); // fMaxEntries
  b.i64(1000000000000); // fMaxEntryLoop
  b.i64(0); // fMaxVirtualSize
  b.i64(0); // fAutoSave
  b.i64(t.autoFlush);
  b.i64(1000000); // fEstimate
  writeI64Array(b, t.clusterRangeEnd);
  writeI64Array(b, t.clusterSize);
  writeIOFeatures(b);
  writeObjectArray(b, t.branches, (br) => writeBranch(b, br));
  writeObjectArray(b, t.branches, (br) =>
    b.objectAny(br.leaf, br.leaf.className, () => writeLeafBody(b, br.leaf)),
  );
  b.u32(0); // fAliases
  b.i32(0); // fIndexValues (TArrayD)
  b.i32(0); // fIndex (TArrayI)
  b.u32(0); // fTreeIndex
  b.u32(0); // fFriends
  b.u32(0); // fUserInfo
  b.u32(0); // fBranchRef
  b.endObject(m);
}
