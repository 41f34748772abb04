/** Growable column builders the generated code appends to, turned into `exec/batch` columns per output batch. */
import {
  type Column,
  type PrimitiveType,
  type TypedArray,
  typedArrayFor,
  utf8FromStrings,
} from '../batch/index.js';

/** A growable typed array. `push` is monomorphic per instance so V8 inlines it in generated loops. */
export class PrimitiveWriter {
  buf: TypedArray;
  n = 0;

  constructor(readonly type: PrimitiveType) {
    this.buf = new (typedArrayFor(type))(256);
  }

  push(x: number): void {
    if (this.n === this.buf.length) {
      const b = new (typedArrayFor(this.type))(this.buf.length * 2);
      b.set(this.buf as never);
      this.buf = b;
    }
    this.buf[this.n++] = x;
  }

  finish(): Column {
    const values = this.buf.slice(0, this.n) as TypedArray;
    this.n = 0;
    return { kind: 'primitive', type: this.type, values };
  }
}

export class StringWriter {
  private items: string[] = [];
  push(s: string): void {
    this.items.push(s);
  }
  finish(): Column {
    const c = utf8FromStrings(this.items);
    this.items = [];
    return c;
  }
}

/** Offsets of a list column: elements are counted with `count++`, a row is ended with `close()`. */
export class ListWriter {
  count = 0;
  private offsets = new Int32Array(256);
  private rows = 0;

  /** Set when the first element is written (the element's shape is known only then). */
  child: Writer | undefined;

  close(): void {
    if (this.rows + 1 === this.offsets.length) {
      const b = new Int32Array(this.offsets.length * 2);
      b.set(this.offsets);
      this.offsets = b;
    }
    this.offsets[++this.rows] = this.count;
  }

  finish(): Column {
    const offsets = this.offsets.slice(0, this.rows + 1);
    this.rows = 0;
    this.count = 0;
    return { kind: 'list', offsets, child: this.child!.finish() };
  }
}

export class StructWriter {
  rows = 0;
  constructor(
    readonly names: readonly string[],
    readonly children: readonly Writer[],
  ) {}
  finish(): Column {
    const length = this.rows;
    this.rows = 0;
    return { kind: 'struct', names: this.names, children: this.children.map((c) => c.finish()), length };
  }
}

export type Writer = PrimitiveWriter | StringWriter | ListWriter | StructWriter;
