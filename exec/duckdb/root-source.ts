/**
 * A ROOT tree as SQL sees it: every readable branch as a column (jagged branches as LIST), plus each NanoAOD
 * prefix group as one column — `Muon` as LIST(STRUCT(pt, eta, …)) over the `Muon_*` branches, `MET` as
 * STRUCT(pt, phi, …) — so SQL over a ROOT file reads like SQL over the nested Parquet layout. Branches are
 * read whole, only those a query's scans ask for, and kept for the session.
 */
import type { ConnectorTable } from '../../connectors/api.js';
import { type Column, columnBytes, type DataType, type Field, HepqError } from '../batch/index.js';
import { type ColumnGroup, concatColumns, EventModel, takeRows } from '../index.js';

/** One column of the SQL view: a branch, or a group built from its member branches. */
export interface SqlColumn {
  readonly name: string;
  readonly type: DataType;
  /** Branches read to make it (the branch itself for a plain column). */
  readonly branches: readonly string[];
  readonly group?: { readonly kind: 'collection' | 'record'; readonly fields: readonly string[] };
}

const IDENT = /^[A-Za-z][A-Za-z0-9]*$/;
const FIELD = /^[A-Za-z0-9_]+$/;
const XAOD = /^([A-Za-z][A-Za-z0-9]*)Aux(?:Dyn)?\.([A-Za-z0-9_]+)$/;

/** One group as an SQL column: LIST(STRUCT) for a collection, STRUCT for a record. */
function groupColumn(
  name: string,
  group: ColumnGroup,
  byName: ReadonlyMap<string, Field>,
): SqlColumn | undefined {
  const fields: Field[] = [];
  const names: string[] = [];
  const branches: string[] = [];
  const seen = new Set<string>();
  for (const [field, branch] of group.fields) {
    const bf = byName.get(branch);
    if (!bf || !FIELD.test(field) || seen.has(field.toLowerCase())) continue;
    if (group.kind === 'collection' && bf.type.kind !== 'list') continue;
    seen.add(field.toLowerCase());
    fields.push({
      name: field,
      type: group.kind === 'collection' && bf.type.kind === 'list' ? bf.type.item : bf.type,
    });
    names.push(field);
    branches.push(branch);
  }
  if (fields.length === 0) return undefined;
  const struct: DataType = { kind: 'struct', fields };
  return {
    name,
    type: group.kind === 'collection' ? { kind: 'list', item: struct } : struct,
    branches,
    group: { kind: group.kind, fields: names },
  };
}

/**
 * NanoAOD prefix groups (`Muon_pt`, `Muon_eta` → `Muon`) and xAOD containers (`AnalysisElectronsAuxDyn.pt`
 * → `AnalysisElectrons`), as the func_adl event model sees them; only where no branch has the name.
 */
function groupColumns(table: ConnectorTable, taken: Set<string>): SqlColumn[] {
  const schema = table.schema();
  const model = new EventModel(schema);
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  const prefixes = new Set<string>();
  const containers = new Set<string>();
  for (const f of schema.fields) {
    const us = f.name.indexOf('_');
    if (us > 0 && us < f.name.length - 1 && IDENT.test(f.name.slice(0, us)))
      prefixes.add(f.name.slice(0, us));
    const x = XAOD.exec(f.name);
    if (x) containers.add(x[1]!);
  }
  const out: SqlColumn[] = [];
  const add = (name: string, group: ColumnGroup | undefined) => {
    if (!group || taken.has(name.toLowerCase())) return;
    const c = groupColumn(name, group, byName);
    if (!c) return;
    out.push(c);
    taken.add(name.toLowerCase());
  };
  for (const prefix of prefixes) add(prefix, model.group(prefix));
  for (const base of containers) add(base, model.container(base, base));
  return out;
}

/** The SQL columns of a tree: branches (first spelling wins where names differ only in case), then groups. */
export function sqlColumns(table: ConnectorTable): SqlColumn[] {
  const taken = new Set<string>();
  const plain: SqlColumn[] = [];
  for (const f of table.schema().fields) {
    const key = f.name.toLowerCase();
    if (taken.has(key)) continue;
    taken.add(key);
    plain.push({ name: f.name, type: f.type, branches: [f.name] });
  }
  return [...plain, ...groupColumns(table, taken)];
}

/** An opened tree with its SQL columns and the branches read so far. */
export class RootSource {
  readonly columns: readonly SqlColumn[];
  readonly entries: number;
  private readonly branches = new Map<string, Column>();
  private readonly loading = new Map<string, Promise<void>>();

  constructor(
    readonly file: string,
    readonly table: ConnectorTable,
  ) {
    this.columns = sqlColumns(table);
    this.entries = table.statistics().entries;
  }

  /** Branches of the given SQL columns not yet in memory. */
  missing(columns: readonly SqlColumn[]): string[] {
    if (this.entries === 0) return [];
    const out = new Set<string>();
    for (const c of columns) for (const b of c.branches) if (!this.branches.has(b)) out.add(b);
    return [...out];
  }

  /** Read the named branches (whole, by the table's cluster scan), once each however many queries ask at once. */
  async load(
    branches: readonly string[],
    signal?: AbortSignal,
    progress?: (done: number, total: number) => void,
  ): Promise<void> {
    const fresh = branches.filter((b) => !this.loading.has(b));
    if (fresh.length) {
      const read = this.read(fresh, signal, progress);
      fresh.forEach((b, k) => {
        const p = read.then((cols) => {
          this.branches.set(b, cols[k]!);
        });
        p.catch(() => this.loading.delete(b));
        this.loading.set(b, p);
      });
    }
    await Promise.all(branches.map((b) => this.loading.get(b)));
  }

  private async read(
    names: readonly string[],
    signal?: AbortSignal,
    progress?: (done: number, total: number) => void,
  ): Promise<Column[]> {
    const parts: Column[][] = names.map(() => []);
    let done = 0;
    progress?.(0, this.entries);
    for await (const batch of this.table.scan({ columns: names, ...(signal ? { signal } : {}) })) {
      done += batch.length;
      progress?.(Math.min(done, this.entries), this.entries);
      batch.columns.forEach((c, k) => {
        parts[k]!.push(batch.selection ? takeRows(c, batch.selection) : c);
      });
    }
    return parts.map((p, k) => {
      if (p.length === 0) throw new HepqError('sql/empty-read', `no entries were read for ${names[k]}`);
      return concatColumns(p);
    });
  }

  /** Bytes of the branches held in memory. */
  bytes(): number {
    let n = 0;
    for (const c of this.branches.values()) n += columnBytes(c);
    return n;
  }

  /** The data of an SQL column (its branches must be loaded). */
  column(c: SqlColumn): Column {
    if (!c.group) return this.branch(c.branches[0]!);
    const members = c.branches.map((b) => this.branch(b));
    if (c.group.kind === 'record')
      return { kind: 'struct', names: c.group.fields, children: members, length: this.entries };
    const first = members[0]!;
    if (first.kind !== 'list')
      throw new HepqError('sql/bad-group', `${c.branches[0]} is not a jagged branch`);
    const children: Column[] = [];
    members.forEach((m, k) => {
      if (m.kind !== 'list' || !sameOffsets(m.offsets, first.offsets))
        throw new HepqError(
          'sql/ragged-group',
          `branches ${c.branches[0]} and ${c.branches[k]} of ${c.name} do not have the same lengths per entry`,
          {
            location: { file: this.file, object: `${this.table.name}/${c.branches[k]}` },
            hint: `select the branches themselves instead of ${c.name}`,
          },
        );
      children.push(m.child);
    });
    const length = first.offsets[first.offsets.length - 1]!;
    return {
      kind: 'list',
      offsets: first.offsets,
      child: { kind: 'struct', names: c.group.fields, children, length },
    };
  }

  private branch(name: string): Column {
    const col = this.branches.get(name);
    if (!col) throw new HepqError('sql/not-loaded', `branch ${name} was not read`);
    return col;
  }
}

function sameOffsets(a: Int32Array, b: Int32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
