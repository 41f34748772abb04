/** Emits the code that appends a row's staged value to column writers, and builds those writers. */
import { type DataType, HepqError, type PrimitiveType } from '../batch/index.js';
import { ListWriter, PrimitiveWriter, StringWriter, StructWriter, type Writer } from '../sinks/writers.js';
import type { Emitter } from './emitter.js';
import { p4Property } from './p4.js';
import type { ScalarType, Value } from './values.js';

const PRIM: Record<Exclude<ScalarType, 'string'>, PrimitiveType> = {
  bool: 'bool',
  int32: 'int32',
  uint32: 'uint32',
  float32: 'float32',
  float64: 'float64',
};

/** Registers writers (by index into `W`) while code is generated. */
export class WriterSet {
  readonly writers: Writer[] = [];

  add(w: Writer): string {
    this.writers.push(w);
    return `W${this.writers.length - 1}`;
  }

  /** `const W3 = W[3];` lines for the generated prologue. */
  declarations(): string[] {
    return this.writers.map((_w, i) => `const W${i} = W[${i}];`);
  }
}

/** A writer with its variable name, column type and (for records and lists) the writers below it. */
export interface WriterNode {
  readonly name: string;
  readonly writer: Writer;
  type: DataType;
  readonly children: WriterNode[];
}

/**
 * Emit the appends of value `v` and return its writer node. Records become struct columns, four-vectors
 * structs of (pt, eta, phi, mass), collections list columns. A node from an earlier call is reused, so a
 * loop body emitted several times (Concat, Choose) appends to the same columns.
 */
export function emitWrite(v: Value, em: Emitter, ws: WriterSet, node?: WriterNode): WriterNode {
  const mismatch = () =>
    new HepqError('exec/result-shape', 'the items of a result collection differ in shape');
  switch (v.k) {
    case 'scalar': {
      if (v.type === 'string') {
        let n = node;
        if (!n) {
          const w = new StringWriter();
          n = { name: ws.add(w), writer: w, type: { kind: 'utf8' }, children: [] };
        }
        em.line(`${n.name}.push(${v.code});`);
        return n;
      }
      if (node) {
        if (!(node.writer instanceof PrimitiveWriter)) throw mismatch();
        em.line(`${node.name}.push(${v.code});`);
        return node;
      }
      const w = new PrimitiveWriter(PRIM[v.type]);
      const n: WriterNode = {
        name: ws.add(w),
        writer: w,
        type: { kind: 'primitive', type: w.type },
        children: [],
      };
      em.line(`${n.name}.push(${v.code});`);
      return n;
    }
    case 'record': {
      if (node && (!(node.writer instanceof StructWriter) || node.children.length !== v.values.length))
        throw mismatch();
      const children = v.values.map((x, i) => emitWrite(x, em, ws, node?.children[i]));
      if (node) {
        em.line(`${node.name}.rows++;`);
        return node;
      }
      const w = new StructWriter(
        v.names,
        children.map((c) => c.writer),
      );
      const n: WriterNode = {
        name: ws.add(w),
        writer: w,
        type: { kind: 'struct', fields: v.names.map((name, i) => ({ name, type: children[i]!.type })) },
        children,
      };
      em.line(`${n.name}.rows++;`);
      return n;
    }
    case 'p4': {
      const names = ['pt', 'eta', 'phi', 'mass'];
      return emitWrite({ k: 'record', names, values: names.map((x) => p4Property(v, x, em)) }, em, ws, node);
    }
    case 'coll': {
      if (node && !(node.writer instanceof ListWriter)) throw mismatch();
      const w = (node?.writer as ListWriter | undefined) ?? new ListWriter();
      const n: WriterNode = node ?? {
        name: ws.add(w),
        writer: w,
        type: { kind: 'list', item: { kind: 'utf8' } },
        children: [],
      };
      v.loop(em, (el) => {
        const child = emitWrite(el, em, ws, n.children[0]);
        if (!n.children[0]) {
          n.children.push(child);
          w.child = child.writer;
          n.type = { kind: 'list', item: child.type };
        }
        em.line(`${n.name}.count++;`);
      });
      em.line(`${n.name}.close();`);
      return n;
    }
    case 'event':
      throw new HepqError(
        'exec/result-shape',
        'a result must be values, not the whole event: Select the columns you need',
      );
  }
}
