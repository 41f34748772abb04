/** Concatenating and slicing columns (rows of consecutive pieces, e.g. baskets, into one column). */
import { HepqError } from '../core/index.js';
import { columnLength, typedArrayFor } from './column.js';
import type { Column, TypedArray, Validity } from './types.js';
import { assertNever } from './types.js';
import { concatBits, sliceBits, takeBits, validityOf } from './validity.js';

/** `{ validity }` when there is one (so columns without stay without the key). */
function withBits(validity: Validity | undefined): { validity?: Validity } {
  return validity === undefined ? {} : { validity };
}

function partsBits(parts: readonly Column[]): { validity?: Validity } {
  return withBits(
    concatBits(
      parts.map((p) => ({
        validity: validityOf(p),
        length: columnLength(p),
      })),
    ),
  );
}

function concatTyped(parts: TypedArray[]): TypedArray {
  if (parts.length === 1) return parts[0]!;
  const Ctor = parts[0]!.constructor as { new (n: number): TypedArray };
  const out = new Ctor(parts.reduce((a, p) => a + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    (out as Float64Array).set(p as Float64Array, pos);
    pos += p.length;
  }
  return out;
}

function concatOffsets(parts: Int32Array[]): Int32Array {
  const n = parts.reduce((a, p) => a + p.length - 1, 0);
  const out = new Int32Array(n + 1);
  let pos = 0;
  let base = 0;
  for (const p of parts) {
    const first = p[0]!;
    for (let i = 1; i < p.length; i++) out[pos + i] = p[i]! - first + base;
    pos += p.length - 1;
    base = out[pos]!;
  }
  return out;
}

/** Rows of `parts` one after another. All parts must share one layout. */
export function concatColumns(parts: readonly Column[]): Column {
  if (parts.length === 0) throw HepqError.internal('concatenating columns', new Error('no parts'));
  if (parts.length === 1) return parts[0]!;
  const first = parts[0]!;
  switch (first.kind) {
    case 'primitive':
      return {
        kind: 'primitive',
        type: first.type,
        values: concatTyped(parts.map((p) => (p as typeof first).values)),
        ...partsBits(parts),
      };
    case 'list': {
      const ps = parts as (typeof first)[];
      const children = ps.map((p) => sliceColumn(p.child, p.offsets[0]!, p.offsets[p.offsets.length - 1]!));
      return {
        kind: 'list',
        offsets: concatOffsets(ps.map((p) => p.offsets)),
        child: concatColumns(children),
        ...partsBits(parts),
      };
    }
    case 'fixed-list':
      return {
        kind: 'fixed-list',
        size: first.size,
        child: concatColumns(parts.map((p) => (p as typeof first).child)),
      };
    case 'struct': {
      const ps = parts as (typeof first)[];
      return {
        kind: 'struct',
        names: first.names,
        children: first.names.map((_, i) => concatColumns(ps.map((p) => p.children[i]!))),
        length: ps.reduce((a, p) => a + p.length, 0),
        ...partsBits(parts),
      };
    }
    case 'utf8': {
      const ps = parts as (typeof first)[];
      const bytes = concatTyped(
        ps.map((p) => p.bytes.subarray(p.offsets[0]!, p.offsets[p.offsets.length - 1]!)),
      ) as Uint8Array;
      return { kind: 'utf8', offsets: concatOffsets(ps.map((p) => p.offsets)), bytes, ...partsBits(parts) };
    }
    case 'constant':
      return { ...first, length: parts.reduce((a, p) => a + columnLength(p), 0) };
    case 'boxed':
      return { ...first, values: parts.flatMap((p) => (p as typeof first).values) };
    default:
      return assertNever(first, 'column');
  }
}

/** Rows [start, stop) of a column; typed arrays are shared (subarray), offsets keep their base. */
export function sliceColumn(c: Column, start: number, stop: number): Column {
  if (start === 0 && stop === columnLength(c)) return c;
  const validity = validityOf(c);
  const bits = validity === undefined ? {} : { validity: sliceBits(validity, start, stop - start) };
  switch (c.kind) {
    case 'primitive':
      return {
        kind: 'primitive',
        type: c.type,
        values: c.values.subarray(start, stop) as TypedArray,
        ...bits,
      };
    case 'list':
      return { kind: 'list', offsets: c.offsets.subarray(start, stop + 1), child: c.child, ...bits };
    case 'fixed-list':
      return { kind: 'fixed-list', size: c.size, child: sliceColumn(c.child, start * c.size, stop * c.size) };
    case 'struct':
      return {
        kind: 'struct',
        names: c.names,
        children: c.children.map((ch) => sliceColumn(ch, start, stop)),
        length: stop - start,
        ...bits,
      };
    case 'utf8':
      return { kind: 'utf8', offsets: c.offsets.subarray(start, stop + 1), bytes: c.bytes, ...bits };
    case 'constant':
      return { ...c, length: stop - start };
    case 'boxed':
      return { ...c, values: c.values.slice(start, stop) };
    default:
      return assertNever(c, 'column');
  }
}

/** A list column whose offsets start at zero (Arrow consumers and exporters expect it). */
export function normalizeOffsets(c: Column): Column {
  if (c.kind === 'list' && c.offsets[0] !== 0) {
    const base = c.offsets[0]!;
    const offsets = c.offsets.map((o) => o - base);
    return {
      kind: 'list',
      offsets,
      child: normalizeOffsets(sliceColumn(c.child, base, c.offsets[c.offsets.length - 1]!)),
      ...withBits(c.validity),
    };
  }
  if (c.kind === 'utf8' && c.offsets[0] !== 0) {
    const base = c.offsets[0]!;
    return {
      kind: 'utf8',
      offsets: c.offsets.map((o) => o - base),
      bytes: c.bytes.subarray(base, c.offsets[c.offsets.length - 1]!),
      ...withBits(c.validity),
    };
  }
  if (c.kind === 'list') return { ...c, child: normalizeOffsets(c.child) };
  if (c.kind === 'fixed-list') return { ...c, child: normalizeOffsets(c.child) };
  if (c.kind === 'struct') return { ...c, children: c.children.map(normalizeOffsets) };
  return c;
}

/** Rows `idx` of `c`, in that order (a selection vector applied, rows reordered). */
export function takeRows(c: Column, idx: ArrayLike<number>): Column {
  switch (c.kind) {
    case 'primitive': {
      const out = new (typedArrayFor(c.type))(idx.length);
      for (let i = 0; i < idx.length; i++) out[i] = c.values[idx[i]!]!;
      return { kind: 'primitive', type: c.type, values: out, ...withBits(takeBits(c.validity, idx)) };
    }
    case 'list':
    case 'utf8': {
      const offsets = new Int32Array(idx.length + 1);
      const inner: number[] = [];
      for (let i = 0; i < idx.length; i++) {
        const r = idx[i]!;
        const lo = c.offsets[r]!;
        const hi = c.offsets[r + 1]!;
        offsets[i + 1] = offsets[i]! + (hi - lo);
        for (let k = lo; k < hi; k++) inner.push(k);
      }
      if (c.kind === 'utf8') {
        const bytes = new Uint8Array(inner.length);
        inner.forEach((k, i) => {
          bytes[i] = c.bytes[k]!;
        });
        return { kind: 'utf8', offsets, bytes, ...withBits(takeBits(c.validity, idx)) };
      }
      return {
        kind: 'list',
        offsets,
        child: takeRows(c.child, inner),
        ...withBits(takeBits(c.validity, idx)),
      };
    }
    case 'fixed-list': {
      const inner: number[] = [];
      for (let i = 0; i < idx.length; i++) for (let k = 0; k < c.size; k++) inner.push(idx[i]! * c.size + k);
      return { kind: 'fixed-list', size: c.size, child: takeRows(c.child, inner) };
    }
    case 'struct':
      return {
        kind: 'struct',
        names: c.names,
        children: c.children.map((ch) => takeRows(ch, idx)),
        length: idx.length,
        ...withBits(takeBits(c.validity, idx)),
      };
    case 'constant':
      return { ...c, length: idx.length };
    case 'boxed':
      return { ...c, values: Array.from(idx, (i) => c.values[i]!) };
    default:
      return assertNever(c, 'column');
  }
}
