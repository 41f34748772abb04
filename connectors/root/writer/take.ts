/** Rows of a column picked by a selection vector (the writer stores only the rows a filtered batch keeps). */
import { type Column, HepqError, type TypedArray } from '../../../exec/batch/index.js';

export function takeRows(c: Column, idx: Uint32Array): Column {
  switch (c.kind) {
    case 'primitive': {
      const Ctor = c.values.constructor as { new (n: number): TypedArray };
      const out = new Ctor(idx.length);
      for (let i = 0; i < idx.length; i++) (out as Float64Array)[i] = (c.values as Float64Array)[idx[i]!]!;
      return { kind: 'primitive', type: c.type, values: out };
    }
    case 'list': {
      const offsets = new Int32Array(idx.length + 1);
      const picks: number[] = [];
      for (let i = 0; i < idx.length; i++) {
        const a = c.offsets[idx[i]!]!;
        const b = c.offsets[idx[i]! + 1]!;
        offsets[i + 1] = offsets[i]! + (b - a);
        for (let j = a; j < b; j++) picks.push(j);
      }
      return { kind: 'list', offsets, child: takeRows(c.child, Uint32Array.from(picks)) };
    }
    case 'fixed-list': {
      const picks = new Uint32Array(idx.length * c.size);
      for (let i = 0; i < idx.length; i++)
        for (let j = 0; j < c.size; j++) picks[i * c.size + j] = idx[i]! * c.size + j;
      return { kind: 'fixed-list', size: c.size, child: takeRows(c.child, picks) };
    }
    case 'struct':
      return {
        kind: 'struct',
        names: c.names,
        children: c.children.map((ch) => takeRows(ch, idx)),
        length: idx.length,
      };
    default:
      throw new HepqError(
        'root/unsupported-column',
        `a ${c.kind} column cannot be written as a TTree branch`,
      );
  }
}
