/**
 * Decoding a tree branch's fetched baskets into one column (tree-reader.ts's RootTree fetches them): the general
 * path basket by basket, a flat branch straight into one buffer, a leaf-count array from its counter's prefix
 * sums, and each basket's content (on disk, embedded in the TBranch, or none).
 */
import {
  type Column,
  columnLength,
  concatColumns,
  HepqError,
  sliceColumn,
  type TypedArray,
} from '../../exec/batch/index.js';
import { type Arena, checkEntryOffsets, basketContent as readBasketContent } from './basket.js';
import { Cursor } from './cursor.js';
import {
  type BasketContent,
  decodeBasket,
  decodeValues,
  flatColumn,
  inPlaceEntryBytes,
  withDims,
} from './interp/decode.js';
import type { BasketRef } from './model/tree.js';
import type { BranchInfo } from './tree-reader.js';

/** The tree a branch belongs to, as errors locate it. */
export interface TreeOwner {
  readonly file: { readonly name: string };
  readonly path: string;
}

/** Raw bytes of on-disk baskets fetched for one read, by file offset. */
export interface Fetched {
  readonly raws: ReadonlyMap<number, Uint8Array>;
  readonly views: readonly Uint8Array[];
  /** False once any basket turns out to be stored uncompressed (decoding may then keep views of it). */
  decompressedOnly: boolean;
  /** Where this read's baskets are decompressed to. */
  readonly arena: Arena;
}

/** Decode a branch's baskets (fetched) into one column of entries [start, stop). */
export function decodeColumn(
  tree: TreeOwner,
  b: BranchInfo,
  refs: readonly BasketRef[],
  f: Fetched,
  start: number,
  stop: number,
) {
  const flat = decodeFlat(tree, b, refs, f, start, stop);
  if (flat) return flat;
  const pieces: Column[] = [];
  for (const ref of refs) {
    const content = ref.embedded
      ? embeddedContent(tree, b, ref)
      : basketContent(tree, b, ref, f.raws.get(ref.seek)!, true, f.arena);
    if (!ref.embedded && !content.owned) f.decompressedOnly = false;
    let col = decodeBasket(b.interpretation.interp, content);
    const from = Math.max(start, ref.firstEntry) - ref.firstEntry;
    const to = Math.min(stop, ref.firstEntry + content.entries) - ref.firstEntry;
    if (from !== 0 || to !== content.entries) col = sliceColumn(col, from, Math.max(from, to));
    pieces.push(col);
  }
  const col =
    pieces.length === 0
      ? decodeBasket(b.interpretation.interp, emptyContent(tree, b))
      : concatColumns(pieces);
  if (columnLength(col) !== stop - start) {
    const covered = refs.length ? `entries ${refs[0]!.firstEntry}..${refs.at(-1)!.stopEntry}` : 'no entries';
    throw new HepqError(
      'root/missing-baskets',
      `branch ${b.name} has baskets for ${covered} but entries ${start}..${stop} were asked for`,
      {
        location: { file: tree.file.name, object: `${tree.path}/${b.name}` },
        hint: 'the TBranch basket list (fBasketSeek / fBaskets) is incomplete: the file is damaged or was not closed',
      },
    );
  }
  return col;
}

/**
 * A flat fixed-width branch whose baskets hold exactly entries [start, stop), one after the other (a scan's
 * batch): each basket decompressed straight into its slot of one buffer from the read's arena, then all its
 * values byte-swapped there at once — no piece per basket, no concatenation copy. Undefined when the branch or
 * its baskets do not fit that (an entry-offset array, an embedded basket, a cut at either end, a size that
 * disagrees): the general path then decodes them, with its located errors.
 */
export function decodeFlat(
  tree: TreeOwner,
  b: BranchInfo,
  refs: readonly BasketRef[],
  f: Fetched,
  start: number,
  stop: number,
): Column | undefined {
  const interp = b.interpretation.interp;
  const per = inPlaceEntryBytes(interp);
  if (per === undefined || refs.length < 2) return undefined;
  let at = start;
  for (const r of refs) {
    if (r.embedded || r.firstEntry !== at) return undefined;
    at = r.stopEntry;
  }
  if (at !== stop) return undefined;
  const bytes = f.arena.take((stop - start) * per);
  for (const r of refs) {
    const slot = bytes.subarray((r.firstEntry - start) * per, (r.stopEntry - start) * per);
    const content = basketContent(tree, b, r, f.raws.get(r.seek)!, true, f.arena, slot);
    if (content.data.length !== slot.length) return undefined;
    if (content.data.byteOffset !== slot.byteOffset || content.data.buffer !== slot.buffer)
      slot.set(content.data);
  }
  return flatColumn(interp, bytes, stop - start);
}

/**
 * A leaf-count array from its baskets' values alone (no entry-offset arrays) and the counter's prefix sums
 * over `entries` entries. Undefined — decode the usual way — when the counts and the values disagree (the
 * usual path then reports where).
 */
export function decodeByCounter(
  tree: TreeOwner,
  b: BranchInfo,
  refs: readonly BasketRef[],
  f: Fetched,
  offsets: Int32Array,
  entries: number,
): Column | undefined {
  const interp = b.interpretation.interp;
  if (interp.kind !== 'jagged') return undefined;
  const width = interp.item.width;
  const per = interp.dims.reduce((a, d) => a * d, 1);
  const pieces: TypedArray[] = [];
  let total = 0;
  for (const ref of refs) {
    const content = basketContent(tree, b, ref, f.raws.get(ref.seek)!, false, f.arena);
    if (!content.owned) f.decompressedOnly = false;
    if (content.data.length % width !== 0) return undefined;
    const n = content.data.length / width;
    pieces.push(decodeValues(content.data, 0, n, interp.item, content.owned));
    total += n;
  }
  if (offsets[entries]! * per !== total) return undefined;
  let values: TypedArray;
  if (pieces.length === 1) values = pieces[0]!;
  else {
    const Ctor = pieces[0]?.constructor as (new (n: number) => TypedArray) | undefined;
    values = Ctor ? new Ctor(total) : decodeValues(new Uint8Array(0), 0, 0, interp.item);
    let at = 0;
    for (const p of pieces) {
      (values as Float64Array).set(p as Float64Array, at);
      at += p.length;
    }
  }
  const child = withDims({ kind: 'primitive', type: interp.item.out, values }, interp.dims);
  return { kind: 'list', offsets, child };
}

export function objectName(tree: TreeOwner, b: BranchInfo, ref: BasketRef): string {
  return `${tree.path}/${b.name} (basket ${ref.index})`;
}

export function basketContent(
  tree: TreeOwner,
  b: BranchInfo,
  ref: BasketRef,
  raw: Uint8Array,
  withOffsets = true,
  arena?: Arena,
  into?: Uint8Array,
): BasketContent {
  const owner = {
    file: tree.file.name,
    object: objectName(tree, b, ref),
    entryOffsetLen: b.branch.entryOffsetLen,
  };
  return readBasketContent(owner, ref, raw, withOffsets, arena, into);
}

export function embeddedContent(tree: TreeOwner, b: BranchInfo, ref: BasketRef): BasketContent {
  const e = ref.embedded!;
  const object = objectName(tree, b, ref);
  const cursor = new Cursor(e.data, { file: tree.file.name, object, base: 0, decompressed: true });
  const border = e.last - e.keylen;
  let offsets: Int32Array | undefined;
  if (e.entryOffsets) {
    offsets = new Int32Array(e.nevbuf + 1);
    for (let i = 0; i < e.nevbuf; i++) offsets[i] = e.entryOffsets[i]! - e.keylen;
    offsets[e.nevbuf] = border;
    checkEntryOffsets(offsets, e.nevbuf, border, () => cursor);
  }
  return { data: e.data.subarray(0, border), entries: e.nevbuf, offsets, cursor, keylen: e.keylen };
}

export function emptyContent(tree: TreeOwner, b: BranchInfo): BasketContent {
  const cursor = new Cursor(new Uint8Array(0), {
    file: tree.file.name,
    object: `${tree.path}/${b.name}`,
    base: 0,
  });
  return { data: new Uint8Array(0), entries: 0, offsets: new Int32Array(1), cursor };
}
