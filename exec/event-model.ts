/** How an event's columns are seen from func_adl: flat names, `Jet_*` prefix groups, and xAOD containers. */
import type { DataType, Field, Schema } from './batch/index.js';

/** A set of columns seen as one object: a collection of records (`Jet_pt`, `Jet_eta`: lists) or one record. */
export interface ColumnGroup {
  readonly name: string;
  readonly kind: 'collection' | 'record';
  /** Field name (as the user writes it, e.g. `pt`) → column name (e.g. `Jet_pt`). */
  readonly fields: ReadonlyMap<string, string>;
  /** The count column of a NanoAOD collection (`nJet`), when there is one. */
  readonly count?: string;
}

/** Default container names of xAOD-style accessors without an argument (`e.Electrons()`). */
const XAOD_DEFAULTS: Record<string, string> = {
  Jets: 'AnalysisJets',
  Electrons: 'AnalysisElectrons',
  Muons: 'AnalysisMuons',
  Photons: 'AnalysisPhotons',
  TauJets: 'AnalysisTauJets',
  Taus: 'AnalysisTauJets',
  EventInfo: 'EventInfo',
  MissingET: 'MET_Core_AnalysisMET',
  TruthParticles: 'TruthParticles',
};

const isList = (t: DataType) => t.kind === 'list' || t.kind === 'fixed-list';

/** The func_adl view of a table schema, shared by the analyzer (types) and the executor (column access). */
export class EventModel {
  readonly columns: ReadonlyMap<string, Field>;
  private readonly groups = new Map<string, ColumnGroup>();

  constructor(readonly schema: Schema) {
    this.columns = new Map(schema.fields.map((f) => [f.name, f]));
    const byPrefix = new Map<string, Field[]>();
    for (const f of schema.fields) {
      const us = f.name.indexOf('_');
      if (us <= 0 || us === f.name.length - 1) continue;
      const prefix = f.name.slice(0, us);
      if (!byPrefix.has(prefix)) byPrefix.set(prefix, []);
      byPrefix.get(prefix)!.push(f);
    }
    for (const [prefix, fields] of byPrefix) {
      const lists = fields.filter((f) => isList(f.type));
      // Mostly lists: a collection of records (Jet_*); mostly scalars: one record (MET_*), lists as fields.
      const kind = lists.length * 2 > fields.length ? 'collection' : 'record';
      const members = kind === 'collection' ? lists : fields;
      const count = this.columns.has(`n${prefix}`) ? `n${prefix}` : undefined;
      this.groups.set(prefix, {
        name: prefix,
        kind,
        fields: new Map(members.map((f) => [f.name.slice(prefix.length + 1), f.name])),
        ...(count ? { count } : {}),
      });
    }
  }

  /** A plain column by exact name. */
  column(name: string): Field | undefined {
    return this.columns.get(name);
  }

  /** The `Jet_*` group named `Jet` (only where no column is itself called `Jet`). */
  group(name: string): ColumnGroup | undefined {
    return this.columns.has(name) ? undefined : this.groups.get(name);
  }

  /** An xAOD container: `e.Jets('AnalysisJets')` reads the `AnalysisJetsAuxDyn.*` branches. */
  container(method: string, arg?: string): ColumnGroup | undefined {
    const base = arg ?? XAOD_DEFAULTS[method] ?? method;
    const fields = new Map<string, string>();
    let lists = 0;
    for (const f of this.schema.fields) {
      for (const sep of ['AuxDyn.', 'Aux.']) {
        const prefix = `${base}${sep}`;
        if (f.name.startsWith(prefix) && f.name.length > prefix.length) {
          fields.set(f.name.slice(prefix.length), f.name);
          if (isList(f.type)) lists++;
        }
      }
    }
    if (fields.size === 0) return undefined;
    // A container of objects (jets) has vector branches; a singleton (EventInfo) mostly scalar ones.
    const kind: 'collection' | 'record' = lists * 2 > fields.size ? 'collection' : 'record';
    if (kind === 'collection')
      for (const [k, v] of fields) if (!isList(this.columns.get(v)!.type)) fields.delete(k);
    return { name: base, kind, fields };
  }

  /**
   * A flat NanoAOD name over a nested layout: `Jet_pt` when the table has a `Jet` column of records
   * (list<struct> or struct) with a field `pt`. Returns the column and the field.
   */
  nested(name: string): { column: string; field: string } | undefined {
    if (this.columns.has(name)) return undefined;
    const us = name.indexOf('_');
    if (us <= 0) return undefined;
    const column = name.slice(0, us);
    const field = name.slice(us + 1);
    let t = this.columns.get(column)?.type;
    while (t && (t.kind === 'list' || t.kind === 'fixed-list')) t = t.item;
    return t?.kind === 'struct' && t.fields.some((f) => f.name === field) ? { column, field } : undefined;
  }

  /** `nJet` where the table has a `Jet` list column but no `nJet` branch: the list's length. */
  counted(name: string): string | undefined {
    if (this.columns.has(name) || !name.startsWith('n')) return undefined;
    const t = this.columns.get(name.slice(1))?.type;
    return t?.kind === 'list' ? name.slice(1) : undefined;
  }

  /** Every name `e.<name>` may refer to: columns, groups and flat names over record columns ("did you mean"). */
  names(): string[] {
    const flat: string[] = [];
    for (const [name, f] of this.columns) {
      let t = f.type;
      while (t.kind === 'list' || t.kind === 'fixed-list') t = t.item;
      if (t.kind === 'struct') for (const x of t.fields) flat.push(`${name}_${x.name}`);
    }
    return [...this.columns.keys(), ...[...this.groups.keys()].filter((g) => !this.columns.has(g)), ...flat];
  }
}
