/** Column builders for one physics collection: objects are staged per event, sorted by pt, then appended. */
import type { Column, PrimitiveType, TypedArray } from '../../exec/batch/index.js';

export type FieldKind = 'float32' | 'int32' | 'bool';
export type FieldSpec = readonly [name: string, kind: FieldKind];

/** `{ pt: 0, eta: 1, … }` for a field list, so the model writes fields by constant index. */
export function fieldIndex<const F extends readonly FieldSpec[]>(
  fields: F,
): { readonly [K in F[number][0]]: number } {
  return Object.fromEntries(fields.map((f, i) => [f[0], i])) as never;
}

const STAGE = 64;

class Growable {
  data: TypedArray;
  len = 0;
  constructor(
    readonly kind: FieldKind,
    capacity: number,
  ) {
    this.data = make(kind, capacity);
  }
  push(v: number): void {
    if (this.len === this.data.length) {
      const next = make(this.kind, this.data.length * 2);
      (next as Float32Array).set(this.data as Float32Array);
      this.data = next;
    }
    (this.data as Float32Array)[this.len++] = v;
  }
  take(): TypedArray {
    return this.data.subarray(0, this.len) as TypedArray;
  }
}

function make(kind: FieldKind, n: number): TypedArray {
  return kind === 'float32' ? new Float32Array(n) : kind === 'int32' ? new Int32Array(n) : new Uint8Array(n);
}

export class Collection {
  readonly fields: readonly FieldSpec[];
  private readonly stage: Float64Array[];
  private readonly order = new Int32Array(STAGE);
  private readonly out: Growable[];
  private readonly offsets: Int32Array;
  private events = 0;
  /** Objects staged in the current event. */
  count = 0;

  constructor(fields: readonly FieldSpec[], events: number, perEvent: number) {
    this.fields = fields;
    this.stage = fields.map(() => new Float64Array(STAGE));
    this.out = fields.map(([, kind]) => new Growable(kind, Math.max(16, Math.ceil(events * perEvent))));
    this.offsets = new Int32Array(events + 1);
  }

  /** Stage a new object; returns its slot, or -1 when the event already holds the maximum. */
  add(): number {
    return this.count < STAGE ? this.count++ : -1;
  }

  set(slot: number, field: number, value: number): void {
    this.stage[field]![slot] = value;
  }

  get(slot: number, field: number): number {
    return this.stage[field]![slot]!;
  }

  /** Drop a staged object (e.g. outside the detector acceptance). */
  drop(slot: number): void {
    const last = this.count - 1;
    if (slot !== last) for (const s of this.stage) s[slot] = s[last]!;
    this.count = last;
  }

  /** Append the staged objects, sorted by descending `sortField`, and close the event. */
  commit(sortField = 0): void {
    const n = this.count;
    const key = this.stage[sortField]!;
    const order = this.order;
    for (let i = 0; i < n; i++) {
      let j = i;
      while (j > 0 && key[order[j - 1]!]! < key[i]!) {
        order[j] = order[j - 1]!;
        j--;
      }
      order[j] = i;
    }
    for (let f = 0; f < this.fields.length; f++) {
      const src = this.stage[f]!;
      const dst = this.out[f]!;
      for (let i = 0; i < n; i++) dst.push(src[order[i]!]!);
    }
    this.offsets[this.events + 1] = this.offsets[this.events]! + n;
    this.events++;
    this.count = 0;
  }

  /** The rank of staged slot `slot` after sorting (its index in the event's collection). */
  rankOf(slot: number, sortField = 0): number {
    const key = this.stage[sortField]!;
    let r = 0;
    for (let i = 0; i < this.count; i++) if (key[i]! > key[slot]! || (key[i] === key[slot] && i < slot)) r++;
    return r;
  }

  /** The collection as a list<struct> column. */
  column(): Column {
    return {
      kind: 'list',
      offsets: this.offsets.subarray(0, this.events + 1),
      child: {
        kind: 'struct',
        names: this.fields.map((f) => f[0]),
        children: this.out.map((g, i) => ({
          kind: 'primitive',
          type: this.fields[i]![1] as PrimitiveType,
          values: g.take(),
        })),
        length: this.out[0] ? this.out[0].len : 0,
      },
    };
  }
}
