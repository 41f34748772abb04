/** Column access in generated code: which arrays a query needs, how they are named, and how to read them. */
import { fromDataType } from '../../planner/ir/index.js';
import {
  type Column,
  type DataType,
  HepqError,
  type PrimitiveType,
  type TypedArray,
  typedArrayFor,
  typeName,
} from '../batch/index.js';
import type { Emitter } from './emitter.js';
import { type CollValue, lazyValues, scalar, scalarTypeOf, type Value } from './values.js';

/** How a column's arrays appear in generated code (one variable per typed array). */
export type Access =
  | { readonly kind: 'prim'; readonly v: string; readonly type: PrimitiveType }
  | { readonly kind: 'list'; readonly o: string; readonly child: Access }
  | { readonly kind: 'fixed'; readonly size: number; readonly child: Access }
  | { readonly kind: 'struct'; readonly names: readonly string[]; readonly children: readonly Access[] };

/** The columns a compiled query reads, in first-use order, with their array variables. */
export class ColumnRegistry {
  private readonly byName = new Map<string, { access: Access; type: DataType; index: number }>();
  readonly vars: string[] = [];

  constructor(private readonly typeOf: (name: string) => DataType | undefined) {}

  names(): string[] {
    return [...this.byName.keys()];
  }

  access(name: string): Access {
    const hit = this.byName.get(name);
    if (hit) return hit.access;
    const type = this.typeOf(name);
    if (!type) throw new HepqError('exec/column', `no column ${name}`);
    const base = `c${this.byName.size}`;
    const make = (t: DataType, path: string): Access => {
      switch (t.kind) {
        case 'primitive':
          return { kind: 'prim', v: this.var(`${path}_v`), type: t.type };
        case 'list':
          return { kind: 'list', o: this.var(`${path}_o`), child: make(t.item, `${path}l`) };
        case 'fixed-list':
          return { kind: 'fixed', size: t.size, child: make(t.item, `${path}f`) };
        case 'struct':
          return {
            kind: 'struct',
            names: t.fields.map((f) => f.name),
            children: t.fields.map((f, i) => make(f.type, `${path}s${i}`)),
          };
        case 'utf8':
          throw new HepqError('exec/unsupported', `string column ${name} cannot be used in expressions yet`);
      }
    };
    const access = make(type, base);
    this.byName.set(name, { access, type, index: this.byName.size });
    return access;
  }

  private var(name: string): string {
    this.vars.push(name);
    return name;
  }

  /** The typed arrays of the registered columns of a batch, in variable order. */
  arrays(get: (name: string) => Column, length: number): TypedArray[] {
    const out: TypedArray[] = [];
    for (const [name, { access }] of this.byName) {
      const push = (a: Access, c: Column, n: number): void => {
        if (c.kind === 'constant') {
          push(a, materialiseConstant(c.value, c.type, n), n);
          return;
        }
        if (a.kind === 'prim' && c.kind === 'primitive') out.push(c.values);
        else if (a.kind === 'list' && c.kind === 'list') {
          out.push(c.offsets);
          push(a.child, c.child, c.offsets[c.offsets.length - 1] ?? 0);
        } else if (a.kind === 'fixed' && c.kind === 'fixed-list') push(a.child, c.child, n * a.size);
        else if (a.kind === 'struct' && c.kind === 'struct')
          for (let i = 0; i < a.children.length; i++) push(a.children[i]!, c.children[i]!, n);
        else throw new HepqError('exec/column', `column ${name} has layout ${c.kind}, expected ${a.kind}`);
      };
      push(access, get(name), length);
    }
    return out;
  }
}

function materialiseConstant(value: unknown, type: DataType, n: number): Column {
  if (type.kind !== 'primitive')
    throw new HepqError('exec/unsupported', `constant column of type ${typeName(type)} not supported`);
  const Ctor = typedArrayFor(type.type);
  const arr = new Ctor(n);
  arr.fill((typeof value === 'boolean' ? Number(value) : value) as never);
  return { kind: 'primitive', type: type.type, values: arr };
}

/** The staged value of a column (or part of one) at row/element index `idx`. */
export function valueAt(a: Access, idx: string, em: Emitter): Value {
  switch (a.kind) {
    case 'prim': {
      const code = `${a.v}[${idx}]`;
      const t = scalarTypeOf(fromDataType({ kind: 'primitive', type: a.type }));
      return scalar(a.type === 'int64' || a.type === 'uint64' ? `Number(${code})` : code, t);
    }
    case 'list': {
      const i = em.bind(idx, 'x');
      const lo = `${a.o}[${i}]`;
      const hi = `${a.o}[${i} + 1]`;
      return {
        k: 'coll',
        cheap: true,
        len: () => `(${hi} - ${lo})`,
        at: (em2, q) => valueAt(a.child, `${lo} + ${q}`, em2),
        loop: (em2, body) => {
          const k = em2.fresh('k');
          em2.block(`for (let ${k} = ${lo}, ${k}e = ${hi}; ${k} < ${k}e; ${k}++)`, () =>
            body(valueAt(a.child, k, em2)),
          );
        },
      } satisfies CollValue;
    }
    case 'fixed': {
      const i = em.bind(idx, 'x');
      const at = (em2: Emitter, q: string) => valueAt(a.child, `${i} * ${a.size} + ${q}`, em2);
      return {
        k: 'coll',
        cheap: true,
        len: () => `${a.size}`,
        at,
        loop: (em2, body) => {
          const q = em2.fresh('q');
          em2.block(`for (let ${q} = 0; ${q} < ${a.size}; ${q}++)`, () => body(at(em2, q)));
        },
      };
    }
    case 'struct':
      return { k: 'record', names: a.names, values: a.children.map((c) => valueAt(c, idx, em)) };
  }
}

/** Parallel list columns (a `Jet_*` group) seen as one collection of records, indexed together. */
export function zipCollections(
  names: readonly string[],
  colls: readonly CollValue[],
  em: Emitter,
): CollValue {
  // `colls` may be lazy (column groups): read only the first for the length, the rest when a field is used.
  const first = colls[0]!;
  if (!first.len) throw new HepqError('exec/internal', 'internal: zipping non-indexable collections');
  const len = em.bind(first.len(em), 'n');
  const at = (em2: Emitter, q: string): Value => ({
    k: 'record',
    names,
    values: lazyValues(
      names.length,
      (k) => {
        const c = colls[k]!;
        if (!c.at) throw new HepqError('exec/internal', 'internal: zipping non-indexable collections');
        return c.at(em2, q);
      },
      false,
    ),
  });
  return {
    k: 'coll',
    cheap: true,
    len: () => len,
    at,
    loop: (em2, body) => {
      const q = em2.fresh('q');
      em2.block(`for (let ${q} = 0; ${q} < ${len}; ${q}++)`, () => body(at(em2, q)));
    },
  };
}
