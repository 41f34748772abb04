/**
 * Whole split objects as records: a split TBranchElement (an `Event` whose members are branches of their own, or
 * a split std::vector / TClonesArray of objects) read as a struct of its member branches — or, for a split
 * collection, a list of structs — assembled from the members' columns.
 */
import { type Column, type DataType, HepqError, sliceColumn } from '../../exec/batch/index.js';
import type { BranchInterpretation } from './interp/interpretation.js';
import type { BranchModel } from './model/tree.js';

export interface SplitMember {
  /** The record field: the member branch's name without its parent's prefix and array dimensions. */
  readonly field: string;
  /** The member branch's path. */
  readonly branch: string;
  /** The member branch itself (a tree may hold two branches of one path: Delphes' two `Particle` collections). */
  readonly model: BranchModel;
  /** A base class split into a record of its own: its fields join the object's, as inheritance does. */
  readonly base?: boolean;
  /**
   * Read for its element counts only, not a field: the TObject member of a split collection of classes with no
   * data members besides TObject (J-PET's `fMCDecayTrees`), which is a list of records without fields.
   */
  readonly countsOnly?: boolean;
}

/** A split object's members; `collection`: its members are per-element lists (a split vector or TClonesArray). */
export interface SplitPlan {
  readonly members: readonly SplitMember[];
  readonly collection: boolean;
}

/** The record field a member branch contributes: `V0s.fV0radius` → `fV0radius`, `ArrayI16[10]` → `ArrayI16`. */
function fieldName(parent: BranchModel, child: BranchModel): string {
  let n = child.name;
  if (n.startsWith(`${parent.name}.`)) n = n.slice(parent.name.length + 1);
  else if (parent.name.endsWith('.') && n.startsWith(parent.name)) n = n.slice(parent.name.length);
  return n.replace(/\[.*$/, '');
}

/**
 * How to read split object `b` from its members' interpretations (`of`), or the reason it cannot be: a member
 * that cannot be read (a TObject base is dropped, as in a record read with the streamer), or none at all.
 */
export function splitPlan(
  b: BranchModel,
  of: (m: BranchModel) => BranchInterpretation,
): { plan: SplitPlan; type: DataType } | { refused: string; noData?: true } {
  const collection = b.type === 3 || b.type === 4;
  const members: SplitMember[] = [];
  const fields: { name: string; type: DataType }[] = [];
  let tobject: SplitMember | undefined;
  const empty: string[] = [];
  for (const child of b.branches) {
    const it = of(child);
    if (!it.type) {
      if (it.rootType === 'BASE' && /(^|[./])TObject$/.test(child.name)) continue;
      // A member holding no data of its own (an empty base class such as xAOD::AuxContainerBase) adds nothing.
      if (it.interp.kind === 'unsupported' && it.interp.noData) {
        empty.push(child.name);
        continue;
      }
      return { refused: `member ${child.name} (${it.rootType}) cannot be read yet` };
    }
    let type = it.type;
    if (collection) {
      if (type.kind !== 'list') return { refused: `member ${child.name} is not per element` };
      type = type.item;
    }
    const field = fieldName(b, child);
    // TObject's own members, split into branches of their own, are left out as a TObject base is.
    if (field === 'fUniqueID' || field === 'fBits') {
      tobject ??= { field, branch: child.path, model: child, countsOnly: true };
      continue;
    }
    if (fields.some((f) => f.name === field)) return { refused: `two members named ${field}` };
    const isBase =
      (it.rootType === 'BASE' && it.interp.kind === 'split') ||
      (child.streamerType === 0 && it.interp.kind === 'object');
    if (!collection && isBase && type.kind === 'struct') {
      for (const f of type.fields) {
        if (fields.some((g) => g.name === f.name)) return { refused: `two members named ${f.name}` };
        fields.push({ name: f.name, type: f.type });
      }
      members.push({ field, branch: child.path, model: child, base: true });
      continue;
    }
    members.push({ field, branch: child.path, model: child });
    fields.push({ name: field, type });
  }
  // A collection of objects that are only TObjects: as many records without fields as the elements.
  if (members.length === 0 && collection && tobject) members.push(tobject);
  if (members.length === 0 && empty.length > 0)
    return { refused: `its member branches hold no data of their own (${empty.join(', ')})`, noData: true };
  if (members.length === 0) return { refused: 'no members that can be read' };
  const record = nest(
    fields.map((f) => f.name),
    fields.map((f) => f.type),
    (names, types): DataType => ({
      kind: 'struct',
      fields: names.map((name, i) => ({ name, type: types[i]! })),
    }),
  );
  return { plan: { members, collection }, type: collection ? { kind: 'list', item: record } : record };
}

/** The record column of a split object from its members' columns (in `plan.members` order). */
export function assembleSplit(
  plan: SplitPlan,
  columns: readonly Column[],
  length: number,
  where: { file: string; object: string },
): Column {
  // Base classes' records are spread into the object's own fields.
  const spread = (children: readonly Column[]): { names: string[]; cols: Column[] } => {
    const names: string[] = [];
    const cols: Column[] = [];
    plan.members.forEach((m, i) => {
      const c = children[i]!;
      if (m.countsOnly) return;
      if (m.base && c.kind === 'struct') {
        names.push(...c.names);
        cols.push(...c.children);
      } else {
        names.push(m.field);
        cols.push(c);
      }
    });
    return { names, cols };
  };
  const record = (children: readonly Column[], n: number): Column => {
    const { names, cols } = spread(children);
    return nest(names, cols, (ns, cs): Column => ({ kind: 'struct', names: ns, children: cs, length: n }));
  };
  if (!plan.collection) return record(columns, length);
  // Members of a split collection share the element counts of each entry: one list of records.
  const lists = columns.map((c) => {
    if (c.kind !== 'list')
      throw new HepqError('root/split-members', 'a member of a split collection is not a list');
    return c;
  });
  const first = lists[0]!;
  const base = first.offsets[0]!;
  lists.forEach((l, k) => {
    for (let i = 0; i <= length; i++)
      if (l.offsets[i]! - l.offsets[0]! !== first.offsets[i]! - base)
        throw new HepqError(
          'root/split-members',
          `member ${plan.members[k]!.branch} has ${l.offsets[i]! - l.offsets[0]!} elements up to entry ${i} but ` +
            `${plan.members[0]!.branch} has ${first.offsets[i]! - base}`,
          { location: where },
        );
  });
  const offsets = Int32Array.from(first.offsets, (o) => o - base);
  const total = offsets[length]!;
  const children = lists.map((l) => sliceChild(l.child, l.offsets[0]!, total));
  return { kind: 'list', offsets, child: record(children, total) };
}

/** Elements [from, from + n) of a list's child (members may start at different element offsets). */
function sliceChild(c: Column, from: number, n: number): Column {
  return from === 0 ? c : sliceColumn(c, from, from + n);
}

/**
 * Members named `prel._rel`, `prel._rem` (a member object split into its own members) become a nested record
 * `prel: {_rel, _rem}`, in the order the members come.
 */
function nest<T>(
  names: readonly string[],
  items: readonly T[],
  record: (names: string[], items: T[]) => T,
): T {
  const order: string[] = [];
  const groups = new Map<string, { names: string[]; items: T[] }>();
  const direct = new Map<string, T>();
  names.forEach((name, i) => {
    const dot = name.indexOf('.');
    const head = dot > 0 ? name.slice(0, dot) : name;
    if (dot > 0 && !direct.has(head)) {
      let g = groups.get(head);
      if (!g) {
        g = { names: [], items: [] };
        groups.set(head, g);
        order.push(head);
      }
      g.names.push(name.slice(dot + 1));
      g.items.push(items[i]!);
    } else if (!groups.has(head)) {
      direct.set(name, items[i]!);
      order.push(name);
    } else {
      // A member named like a group already started: keep it flat under its full name.
      direct.set(name, items[i]!);
      order.push(name);
    }
  });
  return record(
    order,
    order.map((n) => direct.get(n) ?? nestGroup(groups.get(n)!, record)),
  );
}

function nestGroup<T>(g: { names: string[]; items: T[] }, record: (names: string[], items: T[]) => T): T {
  return nest(g.names, g.items, record);
}
