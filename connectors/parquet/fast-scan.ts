/**
 * The direct read of a local Parquet file: the asked column chunks of one row group are read from the file
 * and decoded here (`pages.ts`, `assemble.ts`) into the same top-level columns the parquet-wasm route builds
 * — a primitive, a list of primitives, a struct of primitives, or a list of structs of primitives — without
 * WebAssembly decoding or an Arrow IPC copy. Layouts it does not cover (strings, deeper nesting, other codecs
 * or encodings) return no plan, and the table reads them through parquet-wasm.
 */
import type { FileHandle } from 'node:fs/promises';
import type { Column, DataType, Field, PrimitiveType } from '../../exec/batch/index.js';
import { type Alloc, freshAlloc } from '../../exec/batch/index.js';
import { flatColumn, listChild, listOffsets, physicalFits } from './assemble.js';
import type { Footer, Leaf } from './footer.js';
import type { ChunkLevels } from './levels.js';
import { CODECS, decodeChunk, ENCODINGS, PHYSICAL } from './pages.js';

interface LeafRead {
  readonly name: string;
  readonly leaf: Leaf;
  readonly key: string;
  readonly type: PrimitiveType;
}

/** How one top-level column is rebuilt from its leaves. */
export type TopPlan =
  | { readonly top: string; readonly shape: 'flat'; readonly leaf: LeafRead }
  | { readonly top: string; readonly shape: 'list'; readonly leaf: LeafRead }
  | { readonly top: string; readonly shape: 'struct'; readonly fields: LeafRead[] }
  | { readonly top: string; readonly shape: 'list-struct'; readonly fields: LeafRead[] };

const prim = (t: DataType | undefined): PrimitiveType | undefined =>
  t?.kind === 'primitive' ? t.type : undefined;

/**
 * The plan for reading these leaf paths (`MET.pt`, `Muon.list.item.pt`) of these top-level fields, or
 * undefined when any of them needs parquet-wasm.
 */
export function planTops(
  footer: Footer,
  fields: readonly Field[],
  paths: readonly string[],
): TopPlan[] | undefined {
  const plans = new Map<string, TopPlan>();
  for (const asked of paths) {
    // A whole top-level column (`Muon_pt`, a list of floats) is read as its one leaf (`Muon_pt.list.element`).
    const under = [...footer.leaves.keys()].filter((k) => k.startsWith(`${asked}.`));
    const key = footer.leaves.has(asked) ? asked : under.length === 1 ? under[0]! : asked;
    const leaf = footer.leaves.get(key);
    if (!leaf || !PHYSICAL.has(leaf.physical) || leaf.maxRep > 1) return undefined;
    for (const g of footer.rowGroups) {
      const c = g.chunks.get(key);
      if (!c || !CODECS.has(c.codec) || c.encodings.some((e) => !ENCODINGS.has(e))) return undefined;
    }
    const top = leaf.path[0]!;
    const type = fields.find((f) => f.name === top)?.type;
    if (!type) return undefined;
    const name = leaf.path[leaf.path.length - 1]!;
    let shape: TopPlan['shape'];
    let p: PrimitiveType | undefined;
    if (type.kind === 'primitive' && leaf.path.length === 1 && leaf.maxRep === 0) {
      shape = 'flat';
      p = type.type;
    } else if (type.kind === 'list' && leaf.maxRep === 1 && prim(type.item)) {
      shape = 'list';
      p = prim(type.item);
    } else if (type.kind === 'struct' && leaf.path.length === 2 && leaf.maxRep === 0) {
      shape = 'struct';
      p = prim(type.fields.find((f) => f.name === name)?.type);
    } else if (
      type.kind === 'list' &&
      type.item.kind === 'struct' &&
      leaf.maxRep === 1 &&
      leaf.path.length > 2
    ) {
      shape = 'list-struct';
      p = prim(type.item.fields.find((f) => f.name === name)?.type);
    } else return undefined;
    if (!p || !physicalFits(leaf.physical, p)) return undefined;
    const read: LeafRead = { name, leaf, key, type: p };
    const had = plans.get(top);
    if (shape === 'flat' || shape === 'list') {
      if (had) return undefined;
      plans.set(top, shape === 'flat' ? { top, shape, leaf: read } : { top, shape, leaf: read });
    } else if (!had)
      plans.set(top, shape === 'struct' ? { top, shape, fields: [read] } : { top, shape, fields: [read] });
    else if ('fields' in had && had.shape === shape) had.fields.push(read);
    else return undefined;
  }
  return [...plans.values()];
}

/** One row group's compressed chunks, read (see `fetchRowGroup`) and not yet decoded. */
export interface FetchedGroup {
  readonly g: number;
  readonly chunks: ReadonlyMap<string, Uint8Array>;
}

/**
 * Reads one row group's chunks for the planned tops into `scratch` (grown as needed; the caller alternates two
 * so that the next group's reads overlap this group's decoding and the query's work on it).
 */
export async function fetchRowGroup(
  file: FileHandle,
  footer: Footer,
  plans: readonly TopPlan[],
  g: number,
  scratch: { buffer: Uint8Array },
): Promise<FetchedGroup> {
  const group = footer.rowGroups[g]!;
  const reads = plans.flatMap((p) => ('fields' in p ? p.fields : [p.leaf]));
  let total = 0;
  for (const r of reads) total += group.chunks.get(r.key)!.length;
  if (scratch.buffer.length < total)
    scratch.buffer = new Uint8Array(Math.max(total, scratch.buffer.length * 1.5));
  const chunks = new Map<string, Uint8Array>();
  let at = 0;
  const pending: Promise<void>[] = [];
  for (const r of reads) {
    const c = group.chunks.get(r.key)!;
    const bytes = scratch.buffer.subarray(at, at + c.length);
    at += c.length;
    chunks.set(r.key, bytes);
    pending.push(
      file.read(bytes, 0, c.length, c.start).then(({ bytesRead }) => {
        if (bytesRead !== c.length) throw new Error(`the file ends inside column chunk ${r.key}`);
      }),
    );
  }
  await Promise.all(pending);
  return { g, chunks };
}

/**
 * Decodes a fetched row group into columns by top-level name. Synchronous: the decoder's level and page
 * buffers are shared, and no other decode can run in between.
 */
export function decodeRowGroup(
  footer: Footer,
  plans: readonly TopPlan[],
  fetched: FetchedGroup,
  /** Where values and offsets go (a scan's pool when it reuses buffers). */
  alloc: Alloc = freshAlloc,
): Map<string, Column> {
  const group = footer.rowGroups[fetched.g]!;
  const rows = group.numRows;
  const chunks = fetched.chunks;
  const decode = (r: LeafRead, withRep = true, like?: ChunkLevels) => {
    const c = group.chunks.get(r.key)!;
    return decodeChunk(chunks.get(r.key)!, r.leaf, c.codec, c.numValues, withRep, alloc, like);
  };
  const out = new Map<string, Column>();
  for (const p of plans) {
    if (p.shape === 'flat') {
      out.set(p.top, flatColumn(decode(p.leaf), p.leaf.leaf, p.leaf.type));
    } else if (p.shape === 'list') {
      const d = decode(p.leaf);
      const offsets = listOffsets(d, p.leaf.leaf, rows, alloc);
      out.set(p.top, {
        kind: 'list',
        offsets,
        child: listChild(d, p.leaf.leaf, p.leaf.type, offsets[rows]!),
      });
    } else if (p.shape === 'struct') {
      const children: Column[] = [];
      for (const f of p.fields) children.push(flatColumn(decode(f), f.leaf, f.type));
      out.set(p.top, { kind: 'struct', names: p.fields.map((f) => f.name), children, length: rows });
    } else {
      // The fields of one collection share the first field's offsets (the writer gives them the same levels;
      // a field whose levels hold another number of elements fails in listChild).
      let offsets: Int32Array | undefined;
      let firstDef: ChunkLevels | undefined;
      const children: Column[] = [];
      for (const f of p.fields) {
        const d = decode(f, offsets === undefined, firstDef);
        firstDef ??= d.def;
        offsets ??= listOffsets(d, f.leaf, rows, alloc);
        children.push(listChild(d, f.leaf, f.type, offsets[rows]!));
      }
      const names = p.fields.map((f) => f.name);
      out.set(p.top, {
        kind: 'list',
        offsets: offsets!,
        child: { kind: 'struct', names, children, length: offsets![rows]! },
      });
    }
  }
  return out;
}
