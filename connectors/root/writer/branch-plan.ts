/**
 * Which branches a batch schema becomes: primitives → flat branches, structs → `S_field` branches,
 * list<primitive> → leaf-count arrays (`Jet_pt[nJet]`, when a counter `nJet` exists) or `std::vector<T>`,
 * list<struct> → a counter `nL` plus `L_field[nL]` arrays (NanoAOD's layout), fixed-size lists → `x[3]` leaves.
 */
import {
  type Column,
  type DataType,
  HepqError,
  type PrimitiveType,
  type Schema,
  type TypedArray,
  typeName,
} from '../../../exec/batch/index.js';

/** How a branch's values are extracted from the columns of one cluster. */
export type Source =
  /** A primitive (or fixed-size list of primitives) reached through struct fields. */
  | { readonly kind: 'flat'; readonly path: readonly number[] }
  /** The lengths of a list column (a synthesised counter). */
  | { readonly kind: 'lengths'; readonly path: readonly number[] }
  /** A list of primitives, or field `field` of a list of structs. */
  | { readonly kind: 'list'; readonly path: readonly number[]; readonly field?: number };

export interface PlannedBranch {
  readonly name: string;
  readonly type: PrimitiveType;
  /** `flat`: fixed size per entry (`len` values); `jagged`: leaf-count array; `vector`: std::vector<T>. */
  readonly layout: 'flat' | 'jagged' | 'vector';
  readonly len: number;
  readonly source: Source;
  /** For jagged branches: the name of the counter branch. */
  readonly counter?: string;
  /** Whether other branches use this one as their counter. */
  isCounter: boolean;
}

export interface PlanOptions {
  /** Write every list as std::vector<T> (ATLAS PHYSLITE's layout) instead of leaf-count arrays. */
  readonly vectors?: boolean;
}

const INTEGER = new Set<PrimitiveType>([
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
]);

function unsupported(name: string, t: DataType): HepqError {
  return new HepqError(
    'root/unsupported-column',
    `column '${name}' of type ${typeName(t)} cannot be written as a TTree branch`,
    {
      hint: 'the ROOT writer takes primitives, structs of primitives, fixed-size lists, lists of primitives and lists of structs of primitives',
    },
  );
}

/** Plan the branches of a schema (in schema order; synthesised counters come just before their first user). */
export function planBranches(schema: Schema, options: PlanOptions = {}): PlannedBranch[] {
  const out: PlannedBranch[] = [];
  const topNames = new Map(schema.fields.map((f, i) => [f.name, { field: f, index: i }]));
  const planned = new Map<string, PlannedBranch>();
  const add = (b: PlannedBranch) => {
    if (planned.has(b.name)) {
      throw new HepqError('root/duplicate-branch', `two columns would both become branch '${b.name}'`, {
        hint: 'rename one of the columns',
      });
    }
    planned.set(b.name, b);
    out.push(b);
  };
  /** The counter for a collection: an existing integer column (`nJet`, `NJet`), else a synthesised `n<prefix>`. */
  const counterFor = (prefix: string, listPath: readonly number[], given?: string): string => {
    const name = given ?? `n${prefix}`;
    const existing = planned.get(name);
    if (existing) {
      existing.isCounter = true;
      return name;
    }
    const top = topNames.get(name);
    if (top && top.field.type.kind === 'primitive' && INTEGER.has(top.field.type.type)) {
      // It will be planned in its own schema position; plan it now so it precedes its users.
      add({
        name,
        type: top.field.type.type,
        layout: 'flat',
        len: 1,
        source: { kind: 'flat', path: [top.index] },
        isCounter: true,
      });
      return name;
    }
    add({
      name,
      type: 'uint32',
      layout: 'flat',
      len: 1,
      source: { kind: 'lengths', path: listPath },
      isCounter: true,
    });
    return name;
  };

  const visit = (name: string, t: DataType, path: number[]): void => {
    switch (t.kind) {
      case 'primitive': {
        const early = planned.get(name);
        if (early?.source.kind === 'flat' && early.source.path.join() === path.join()) return; // a counter planned early
        add({ name, type: t.type, layout: 'flat', len: 1, source: { kind: 'flat', path }, isCounter: false });
        return;
      }
      case 'fixed-list': {
        let len = t.size;
        let item = t.item;
        while (item.kind === 'fixed-list') {
          len *= item.size;
          item = item.item;
        }
        if (item.kind !== 'primitive') throw unsupported(name, t);
        add({ name, type: item.type, layout: 'flat', len, source: { kind: 'flat', path }, isCounter: false });
        return;
      }
      case 'struct':
        for (const [i, f] of t.fields.entries())
          visit(`${name}${options.vectors ? '.' : '_'}${f.name}`, f.type, [...path, i]);
        return;
      case 'list': {
        const item = t.item;
        if (item.kind === 'primitive') {
          if (options.vectors) {
            add({
              name,
              type: item.type,
              layout: 'vector',
              len: 1,
              source: { kind: 'list', path },
              isCounter: false,
            });
            return;
          }
          const cut = name.indexOf('_');
          const prefix = cut > 0 ? name.slice(0, cut) : name;
          const isCounter = (c: string) => {
            const top = topNames.get(c);
            return (
              planned.get(c)?.layout === 'flat' ||
              (top?.field.type.kind === 'primitive' && INTEGER.has(top.field.type.type))
            );
          };
          const counterName = [`n${prefix}`, `N${prefix}`].find(isCounter);
          if (!counterName) {
            add({
              name,
              type: item.type,
              layout: 'vector',
              len: 1,
              source: { kind: 'list', path },
              isCounter: false,
            });
            return;
          }
          const counter = counterFor(prefix, path, counterName);
          add({
            name,
            type: item.type,
            layout: 'jagged',
            len: 1,
            source: { kind: 'list', path },
            counter,
            isCounter: false,
          });
          return;
        }
        if (item.kind === 'struct') {
          const counter = options.vectors ? undefined : counterFor(name, path);
          item.fields.forEach((f, i) => {
            if (f.type.kind !== 'primitive') throw unsupported(`${name}.${f.name}`, f.type);
            add({
              name: `${name}${options.vectors ? '.' : '_'}${f.name}`,
              type: f.type.type,
              layout: counter ? 'jagged' : 'vector',
              len: 1,
              source: { kind: 'list', path, field: i },
              counter,
              isCounter: false,
            });
          });
          return;
        }
        throw unsupported(name, t);
      }
      case 'utf8':
        throw unsupported(name, t);
    }
  };
  for (const [i, f] of schema.fields.entries()) visit(f.name, f.type, [i]);
  return out;
}

/** The values of one branch over a cluster's columns: flat values, and for lists the n+1 offsets into them. */
export function extract(
  b: PlannedBranch,
  columns: readonly Column[],
): { values: TypedArray; offsets?: Int32Array } {
  const s = b.source;
  let c = columns[s.path[0]!]!;
  for (let i = 1; i < s.path.length; i++) {
    if (c.kind !== 'struct') throw new Error(`branch ${b.name}: expected a struct column`);
    c = c.children[s.path[i]!]!;
  }
  if (s.kind === 'flat') {
    while (c.kind === 'fixed-list') c = c.child;
    if (c.kind !== 'primitive')
      throw new Error(`branch ${b.name}: expected a primitive column, got ${c.kind}`);
    return { values: c.values };
  }
  if (c.kind !== 'list') throw new Error(`branch ${b.name}: expected a list column, got ${c.kind}`);
  const offsets = c.offsets;
  if (s.kind === 'lengths') {
    const n = offsets.length - 1;
    const counts = new Uint32Array(n);
    for (let i = 0; i < n; i++) counts[i] = offsets[i + 1]! - offsets[i]!;
    return { values: counts };
  }
  let child = c.child;
  if (s.field !== undefined) {
    if (child.kind !== 'struct') throw new Error(`branch ${b.name}: expected a list of structs`);
    child = child.children[s.field]!;
  }
  if (child.kind !== 'primitive') throw new Error(`branch ${b.name}: expected list items to be primitive`);
  return { values: child.values, offsets };
}
