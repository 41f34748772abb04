/** Row-level column operations the executor needs off the hot path: concatenation and gathering by index. */
import {
  assertNever,
  type Column,
  columnLength,
  HepqError,
  type TypedArray,
  typedArrayFor,
} from './batch/index.js';

/** Rows `idx` of `c`, in that order. */
export function takeRows(c: Column, idx: ArrayLike<number>): Column {
  switch (c.kind) {
    case 'primitive': {
      const out = new (typedArrayFor(c.type))(idx.length);
      for (let i = 0; i < idx.length; i++) out[i] = c.values[idx[i]!]!;
      return { kind: 'primitive', type: c.type, values: out };
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
        return { kind: 'utf8', offsets, bytes };
      }
      return { kind: 'list', offsets, child: takeRows(c.child, inner) };
    }
    case 'fixed-list': {
      const inner: number[] = [];
      for (let i = 0; i < idx.length; i++) for (let k = 0; k < c.size; k++) inner.push(idx[i]! * c.size + k);
      return { kind: 'fixed-list', size: c.size, child: takeRows(c.child, inner) };
    }
    case 'struct':
      return { ...c, children: c.children.map((ch) => takeRows(ch, idx)), length: idx.length };
    case 'constant':
      return { ...c, length: idx.length };
    default:
      return assertNever(c, 'column');
  }
}

/** One column holding the rows of `parts` one after another (all of the same layout). */
export function concatColumns(parts: readonly Column[]): Column {
  const first = parts[0];
  if (!first) throw new HepqError('exec', 'internal: concatenating no columns');
  if (parts.length === 1) return first;
  switch (first.kind) {
    case 'primitive': {
      const ps = parts as (Column & { kind: 'primitive' })[];
      const n = ps.reduce((s, p) => s + p.values.length, 0);
      const out = new (typedArrayFor(first.type))(n) as TypedArray;
      let at = 0;
      for (const p of ps) {
        out.set(p.values as never, at);
        at += p.values.length;
      }
      return { kind: 'primitive', type: first.type, values: out };
    }
    case 'list': {
      const ps = parts as (Column & { kind: 'list' })[];
      const rows = ps.reduce((s, p) => s + p.offsets.length - 1, 0);
      const offsets = new Int32Array(rows + 1);
      let r = 0;
      let base = 0;
      const children: Column[] = [];
      for (const p of ps) {
        const start = p.offsets[0]!;
        for (let i = 1; i < p.offsets.length; i++) offsets[++r] = base + p.offsets[i]! - start;
        base += p.offsets[p.offsets.length - 1]! - start;
        const idx = Array.from({ length: p.offsets[p.offsets.length - 1]! - start }, (_x, k) => start + k);
        children.push(start === 0 && idx.length === columnLength(p.child) ? p.child : takeRows(p.child, idx));
      }
      return { kind: 'list', offsets, child: concatColumns(children) };
    }
    case 'struct': {
      const ps = parts as (Column & { kind: 'struct' })[];
      return {
        kind: 'struct',
        names: first.names,
        children: first.names.map((_n, k) => concatColumns(ps.map((p) => p.children[k]!))),
        length: ps.reduce((s, p) => s + p.length, 0),
      };
    }
    default: {
      // utf8, fixed-list, constant: gather through row indices.
      const rows = parts.flatMap((p) => Array.from({ length: columnLength(p) }, (_x, i) => [p, i] as const));
      if (first.kind === 'utf8') {
        const dec = new TextDecoder();
        const enc = new TextEncoder();
        const strs = rows.map(([p, i]) => {
          const u = p as Column & { kind: 'utf8' };
          return enc.encode(dec.decode(u.bytes.subarray(u.offsets[i]!, u.offsets[i + 1]!)));
        });
        const offsets = new Int32Array(strs.length + 1);
        strs.forEach((s, i) => {
          offsets[i + 1] = offsets[i]! + s.length;
        });
        const bytes = new Uint8Array(offsets[strs.length]!);
        for (let i = 0; i < strs.length; i++) bytes.set(strs[i]!, offsets[i]!);
        return { kind: 'utf8', offsets, bytes };
      }
      throw new HepqError('exec', `cannot concatenate ${first.kind} columns yet`);
    }
  }
}
