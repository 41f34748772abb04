/** Row-level column operations the executor needs off the hot path: gathering by index (concatenation is exec/batch's). */
import { assertNever, type Column, takeBits, typedArrayFor, type Validity } from './batch/index.js';

function bits(v: Validity | undefined, idx: ArrayLike<number>): { validity?: Validity } {
  const t = takeBits(v, idx);
  return t === undefined ? {} : { validity: t };
}

/** Rows `idx` of `c`, in that order. */
export function takeRows(c: Column, idx: ArrayLike<number>): Column {
  switch (c.kind) {
    case 'primitive': {
      const out = new (typedArrayFor(c.type))(idx.length);
      for (let i = 0; i < idx.length; i++) out[i] = c.values[idx[i]!]!;
      return { kind: 'primitive', type: c.type, values: out, ...bits(c.validity, idx) };
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
        return { kind: 'utf8', offsets, bytes, ...bits(c.validity, idx) };
      }
      return { kind: 'list', offsets, child: takeRows(c.child, inner), ...bits(c.validity, idx) };
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
        ...bits(c.validity, idx),
      };
    case 'constant':
      return { ...c, length: idx.length };
    case 'boxed':
      return { ...c, values: Array.from(idx, (i) => c.values[i]!) };
    default:
      return assertNever(c, 'column');
  }
}
