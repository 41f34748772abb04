/**
 * RNTuple fields as hepq column layouts: each field (with its subfields) becomes a read plan and a `DataType`
 * — leaves are flat typed arrays, std::string utf8, collections lists, std::array fixed-size lists, records
 * and tuples structs, cardinalities counts — or the reason it cannot be read yet.
 */
import type { DataType, Field, PrimitiveType } from '../../../exec/batch/index.js';
import { columnTypeName, unsupportedEncoding } from './column-decode.js';
import { type ColumnDesc, FIELD_FLAG, type FieldDesc, ROLE, type Schema } from './descriptor.js';

/** How to read one field of a cluster into a column. `field` names whose columns are read. */
export type FieldPlan =
  | { readonly kind: 'leaf'; readonly field: FieldDesc; readonly target: PrimitiveType }
  | { readonly kind: 'string'; readonly field: FieldDesc }
  | { readonly kind: 'cardinality'; readonly field: FieldDesc; readonly target: PrimitiveType }
  | { readonly kind: 'list'; readonly field: FieldDesc; readonly child: FieldPlan }
  | { readonly kind: 'fixed'; readonly field: FieldDesc; readonly size: number; readonly child: FieldPlan }
  | {
      readonly kind: 'struct';
      readonly field: FieldDesc;
      readonly names: readonly string[];
      readonly children: readonly FieldPlan[];
    }
  /** std::variant: a Switch column (element index, 1-based tag) choosing one of the alternatives per entry. */
  | {
      readonly kind: 'variant';
      readonly field: FieldDesc;
      readonly names: readonly string[];
      readonly children: readonly FieldPlan[];
    };

export type Planned =
  | { readonly ok: true; readonly plan: FieldPlan; readonly type: DataType }
  | { readonly ok: false; readonly reason: string };

const PRIMITIVES: Record<string, PrimitiveType> = {
  bool: 'bool',
  char: 'int8',
  'std::byte': 'uint8',
  'std::int8_t': 'int8',
  'std::uint8_t': 'uint8',
  'std::int16_t': 'int16',
  'std::uint16_t': 'uint16',
  'std::int32_t': 'int32',
  'std::uint32_t': 'uint32',
  'std::int64_t': 'int64',
  'std::uint64_t': 'uint64',
  float: 'float32',
  double: 'float64',
};

/** Qualified field names: `parent.child`, where the `_0` item of a collection or array is left out. */
export function qualifiedName(s: Schema, f: FieldDesc): string {
  const parts: string[] = [];
  let cur: FieldDesc | undefined = f;
  while (cur) {
    const parent: FieldDesc | undefined = cur.parentId === cur.id ? undefined : s.fields[cur.parentId];
    const isItem = parent && (parent.role === ROLE.collection || parent.flags & FIELD_FLAG.repetitive);
    if (!isItem) parts.unshift(cur.name);
    cur = parent;
  }
  return parts.join('.');
}

/** Children of every field, in id order. */
export function childrenOf(s: Schema): FieldDesc[][] {
  const out: FieldDesc[][] = s.fields.map(() => []);
  for (const f of s.fields) if (f.parentId !== f.id) out[f.parentId]!.push(f);
  return out;
}

/** The columns of a field's first representation (the one every cluster's descriptor starts with). */
export function representationColumns(s: Schema, f: FieldDesc, rep = 0): ColumnDesc[] {
  return s.fieldColumns[f.id]!.map((id) => s.columns[id]!).filter((c) => c.representation === rep);
}

function fail(reason: string): Planned {
  return { ok: false, reason };
}

/** A human name for the field's type, for messages: the type name, or its role for untyped fields. */
export function typeLabel(f: FieldDesc): string {
  if (f.typeName) return f.typeName;
  return f.role === ROLE.collection
    ? '(untyped collection)'
    : f.role === ROLE.record
      ? '(untyped record)'
      : '(untyped)';
}

/** Check that every representation of `f` has `n` columns decodable as `targets`. */
function checkColumns(
  s: Schema,
  f: FieldDesc,
  targets: readonly (PrimitiveType | 'offsets' | 'switch')[],
): string | undefined {
  const ids = s.fieldColumns[f.id]!;
  if (ids.length === 0) return `${typeLabel(f)} without columns`;
  const reps = new Set(ids.map((id) => s.columns[id]!.representation));
  for (const rep of reps) {
    const cols = representationColumns(s, f, rep);
    if (cols.length !== targets.length)
      return `${typeLabel(f)} with ${cols.length} columns (expected ${targets.length})`;
    for (let i = 0; i < cols.length; i++) {
      const why = unsupportedEncoding(cols[i]!, targets[i]!);
      if (why) return `${why} (${columnTypeName(cols[i]!.type)})`;
    }
  }
  return undefined;
}

/** Plan the reading of field `f` (and its subfields). */
export function planField(s: Schema, kids: readonly FieldDesc[][], f: FieldDesc): Planned {
  const children = kids[f.id]!;
  const hasColumns = s.fieldColumns[f.id]!.length > 0;
  const t = f.typeName;
  if (f.role === ROLE.variant) return planVariant(s, kids, f);
  if (f.role === ROLE.streamer) return fail(`${t} (stored with the ROOT streamer)`);
  if (f.role === ROLE.leaf && !hasColumns && children.length === 1) {
    // std::array<T,N> / T[N] (repetitive), or std::atomic<T> and enums (the item carries the data).
    const inner = planField(s, kids, children[0]!);
    if (!inner.ok) return inner;
    if (f.flags & FIELD_FLAG.repetitive) {
      const size = f.arraySize ?? 0;
      return {
        ok: true,
        plan: { kind: 'fixed', field: f, size, child: inner.plan },
        type: { kind: 'fixed-list', item: inner.type, size },
      };
    }
    return inner;
  }
  if (f.role === ROLE.leaf) {
    if (t === 'std::string') {
      const why = checkColumns(s, f, ['offsets', 'int8']);
      return why ? fail(why) : { ok: true, plan: { kind: 'string', field: f }, type: { kind: 'utf8' } };
    }
    const card = /^ROOT::RNTupleCardinality<std::(uint32_t|uint64_t)>$/.exec(t);
    if (card) {
      const target: PrimitiveType = card[1] === 'uint32_t' ? 'uint32' : 'uint64';
      const why = checkColumns(s, f, ['offsets']);
      return why
        ? fail(why)
        : {
            ok: true,
            plan: { kind: 'cardinality', field: f, target },
            type: { kind: 'primitive', type: target },
          };
    }
    const bitset = /^std::bitset<\d+>$/.test(t);
    const target = bitset ? 'bool' : PRIMITIVES[t];
    if (!target) return fail(t || '(untyped leaf)');
    const why = checkColumns(s, f, [target]);
    if (why) return fail(why);
    const leaf: FieldPlan = { kind: 'leaf', field: f, target };
    if (!bitset) return { ok: true, plan: leaf, type: { kind: 'primitive', type: target } };
    const size = f.arraySize ?? 0;
    return {
      ok: true,
      plan: { kind: 'fixed', field: f, size, child: leaf },
      type: { kind: 'fixed-list', item: { kind: 'primitive', type: 'bool' }, size },
    };
  }
  if (f.role === ROLE.collection) {
    if (children.length !== 1) return fail(`${typeLabel(f)} with ${children.length} item fields`);
    const why = checkColumns(s, f, ['offsets']);
    if (why) return fail(why);
    const inner = planField(s, kids, children[0]!);
    if (!inner.ok) return inner;
    return {
      ok: true,
      plan: { kind: 'list', field: f, child: inner.plan },
      type: { kind: 'list', item: inner.type },
    };
  }
  if (f.role === ROLE.record) {
    if (hasColumns) return fail(`${typeLabel(f)} (a record with its own columns)`);
    const names: string[] = [];
    const plans: FieldPlan[] = [];
    const fields: { name: string; type: DataType }[] = [];
    for (const c of children) {
      const p = planField(s, kids, c);
      if (!p.ok) return p;
      names.push(c.name);
      plans.push(p.plan);
      fields.push({ name: c.name, type: p.type });
    }
    return {
      ok: true,
      plan: { kind: 'struct', field: f, names, children: plans },
      type: { kind: 'struct', fields },
    };
  }
  return fail(`${typeLabel(f)} (structural role ${f.role})`);
}

/** Marks a variant's record: its alternatives are not record members offered as columns of their own. */
const VARIANT = { 'rntuple.variant': 'index' } as const;

/**
 * std::variant<T1, …, Tn> as a record: `index`, the active alternative (0-based as `std::variant::index()`, -1
 * when the variant holds none), and per alternative `_0` … a list of zero or one values (as std::optional
 * reads), so the column model needs no union type.
 */
function planVariant(s: Schema, kids: readonly FieldDesc[][], f: FieldDesc): Planned {
  const children = kids[f.id]!;
  if (children.length === 0 || children.length > 125)
    return fail(`${typeLabel(f)} with ${children.length} alternatives`);
  const why = checkColumns(s, f, ['switch']);
  if (why) return fail(why);
  const plans: FieldPlan[] = [];
  const fields: Field[] = [{ name: 'index', type: { kind: 'primitive', type: 'int32' }, metadata: VARIANT }];
  for (const c of children) {
    const p = planField(s, kids, c);
    if (!p.ok) return p;
    plans.push(p.plan);
    fields.push({ name: c.name, type: { kind: 'list', item: p.type } });
  }
  return {
    ok: true,
    plan: { kind: 'variant', field: f, names: children.map((c) => c.name), children: plans },
    type: { kind: 'struct', fields },
  };
}

/** A column cut out of a top-level field: `three_LV.pt` is member `pt` of the record `three_LV`. */
export interface Flattened {
  readonly name: string;
  readonly type: DataType;
  /** Member names to follow through records (lists and arrays are kept around them). */
  readonly path: readonly string[];
}

/** Every record member reachable from `type` through lists and arrays, recursively, as `name.member`. */
export function flattenMembers(name: string, type: DataType): Flattened[] {
  const wrappers: DataType[] = [];
  let t = type;
  while (t.kind === 'list' || t.kind === 'fixed-list') {
    wrappers.push(t);
    t = t.item;
  }
  if (t.kind !== 'struct' || t.fields[0]?.metadata === VARIANT) return [];
  const wrap = (inner: DataType): DataType =>
    wrappers.reduceRight<DataType>(
      (acc, w) =>
        w.kind === 'fixed-list'
          ? { kind: 'fixed-list', item: acc, size: w.size }
          : { kind: 'list', item: acc },
      inner,
    );
  const out: Flattened[] = [];
  for (const m of t.fields) {
    const own: Flattened = { name: `${name}.${m.name}`, type: wrap(m.type), path: [m.name] };
    out.push(own);
    for (const deeper of flattenMembers(own.name, own.type))
      out.push({ ...deeper, path: [m.name, ...deeper.path] });
  }
  return out;
}
