/**
 * An RNTuple in a ROOT file: the `ROOT::RNTuple` anchor (found through the TFile/TKey layer of connectors/root),
 * header, footer and page-list envelopes, the fields planned as columns, and reading entry ranges as batches.
 */
import {
  type Batch,
  type Column,
  concatColumns,
  type DataType,
  didYouMean,
  emptyColumn,
  type Field,
  HepqError,
  sliceColumn,
  typedArrayFor,
  typeName,
} from '../../../exec/batch/index.js';
import { decompressRoot } from '../compression/index.js';
import type { ByteSource } from '../io/index.js';
import type { RootFile } from '../root-file.js';
import { readAnchor } from './anchor.js';
import { ClusterReader } from './cluster-reader.js';
import { columnTypeName, pageBytes } from './column-decode.js';
import {
  type ClusterDesc,
  type FieldDesc,
  readFooter,
  readHeader,
  readPageList,
  type Schema,
} from './descriptor.js';
import {
  childrenOf,
  type Flattened,
  flattenMembers,
  type Planned,
  planField,
  qualifiedName,
  typeLabel,
} from './fields.js';
import { LeReader, type Locator } from './le-reader.js';
import { checksumOk } from './xxh3.js';

export const RNTUPLE_CLASS = 'ROOT::RNTuple';

/** One field as `hepq inspect` lists it (the same keys as a tree's branches, plus the column encodings). */
export interface InspectedField {
  readonly name: string;
  readonly type: string;
  readonly column: string;
  readonly compressed_bytes: number;
  readonly uncompressed_bytes: number;
  /** The RNTuple column types behind the field, e.g. `SplitIndex64,SplitReal32`. */
  readonly encoding: string;
  readonly unsupported?: string;
}

/** A readable column: a top-level field, or a record member cut out of one (`three_LV.pt`). */
interface ColumnEntry {
  readonly name: string;
  readonly type: DataType;
  readonly top: number;
  readonly path: readonly string[];
  readonly field: FieldDesc;
}

async function readEnvelope(source: ByteSource, link: Locator & { length: number }, object: string) {
  const size = await source.size();
  if (link.offset < 0 || link.offset + link.size > size)
    throw new HepqError('rntuple/corrupt-metadata', `the ${object} lies past the end of ${source.name}`, {
      location: { file: source.name, object, offset: link.offset },
    });
  const raw = await source.read(link.offset, link.size);
  const bytes = decompressRoot(raw, link.length, { file: source.name, object, offset: link.offset });
  // The envelope ends with the XXH3 of everything before it.
  if (bytes.length < 16 || !checksumOk(bytes.subarray(0, bytes.length - 8), bytes.subarray(bytes.length - 8)))
    throw new HepqError('rntuple/checksum-mismatch', `the ${object} does not match its XXH3 checksum`, {
      location: { file: source.name, object, offset: link.offset },
      hint: 'the file is damaged: these bytes differ from what ROOT wrote',
    });
  return new LeReader(bytes, { file: source.name, object, offset: link.offset });
}

export class RNTuple {
  readonly entries: number;
  /** Top-level fields with their read plans (or why they cannot be read). */
  readonly tops: readonly { readonly field: FieldDesc; readonly planned: Planned }[];
  private readonly entryByName = new Map<string, ColumnEntry>();
  private readonly fieldByName = new Map<string, FieldDesc>();
  private readonly kids: FieldDesc[][];
  private inspected?: InspectedField[];

  private constructor(
    readonly file: RootFile,
    readonly path: string,
    readonly schema: Schema,
    readonly clusters: readonly ClusterDesc[],
  ) {
    this.entries = clusters.reduce((a, c) => Math.max(a, c.firstEntry + c.entries), 0);
    const kids = childrenOf(schema);
    this.kids = kids;
    this.tops = schema.fields
      .filter((f) => f.parentId === f.id)
      .map((field) => ({ field, planned: planField(schema, kids, field) }));
    for (const f of schema.fields) {
      const q = qualifiedName(schema, f);
      if (!this.fieldByName.has(q)) this.fieldByName.set(q, f);
    }
    this.tops.forEach(({ field, planned }, top) => {
      if (!planned.ok) return;
      this.entryByName.set(field.name, { name: field.name, type: planned.type, top, path: [], field });
      for (const m of flattenMembers(field.name, planned.type) as Flattened[])
        this.entryByName.set(m.name, { ...m, top, field: this.fieldByName.get(m.name) ?? field });
    });
  }

  /** Read the anchor, header, footer and every cluster group's page list of the RNTuple at `path`. */
  static async open(file: RootFile, path: string): Promise<RNTuple> {
    const clean = path.replace(/;\d+$/, '');
    const anchor = await readAnchor(file, path);
    const src = file.source;
    const header = readHeader(await readEnvelope(src, anchor.header, `${clean} (header envelope)`));
    const groups = readFooter(await readEnvelope(src, anchor.footer, `${clean} (footer envelope)`), header);
    const clusters: ClusterDesc[] = [];
    for (const [i, g] of groups.entries()) {
      const r = await readEnvelope(src, g.pageList, `${clean} (page list of cluster group ${i})`);
      clusters.push(...readPageList(r, header.columns.length));
    }
    clusters.sort((a, b) => a.firstEntry - b.firstEntry);
    return new RNTuple(file, clean, header, clusters);
  }

  /** The qualified name of a field (`three_LV.pt`, `_collection0.Muon_pt`). */
  fieldName = (f: FieldDesc): string => qualifiedName(this.schema, f);

  /** Names of every readable column: top-level fields, then the record members cut out of them. */
  columnNames(): string[] {
    return [...this.entryByName.keys()];
  }

  /** The top-level readable fields (what is read when no column is named). */
  topNames(): string[] {
    return this.tops.filter((t) => t.planned.ok).map((t) => t.field.name);
  }

  schemaOf(names: readonly string[]): { fields: Field[] } {
    return {
      fields: names.map((n) => {
        const e = this.entry(n);
        return { name: n, type: e.type, metadata: { root_type: typeLabel(e.field) } };
      }),
    };
  }

  /** Entry boundaries of the clusters (0 … entries). */
  boundaries(): number[] {
    return [0, ...this.clusters.map((c) => c.firstEntry + c.entries)];
  }

  /** Compressed and uncompressed bytes of the physical columns under field `f` (subfields included). */
  bytes(f: FieldDesc): { compressed: number; uncompressed: number; encoding: string } {
    const s = this.schema;
    const ids = new Set<number>();
    const visit = (x: FieldDesc) => {
      for (const id of s.fieldColumns[x.id]!) ids.add(id);
      for (const k of this.kids[x.id]!) visit(k);
    };
    visit(f);
    let compressed = 0;
    let uncompressed = 0;
    for (const c of this.clusters)
      for (const id of ids)
        for (const p of c.columns[id]?.pages ?? []) {
          compressed += p.locator.size;
          uncompressed += pageBytes(s.columns[id]!, p.elements);
        }
    const encoding = [...new Set([...ids].map((id) => columnTypeName(s.columns[id]!.type)))].join(',');
    return { compressed, uncompressed, encoding };
  }

  /** Every top-level field and record member, with types, sizes and why it cannot be read (if so). */
  inspect(): InspectedField[] {
    if (this.inspected) return this.inspected;
    const out: InspectedField[] = [];
    this.inspected = out;
    const row = (name: string, f: FieldDesc, type: DataType | undefined, unsupported?: string) => {
      const b = this.bytes(f);
      out.push({
        name,
        type: typeLabel(f),
        column: type ? typeName(type) : 'unsupported',
        compressed_bytes: b.compressed,
        uncompressed_bytes: b.uncompressed,
        encoding: b.encoding,
        ...(unsupported ? { unsupported } : {}),
      });
    };
    for (const { field, planned } of this.tops) {
      if (!planned.ok) {
        row(field.name, field, undefined, planned.reason);
        continue;
      }
      row(field.name, field, planned.type);
      for (const m of flattenMembers(field.name, planned.type)) row(m.name, this.entry(m.name).field, m.type);
    }
    return out;
  }

  /** The readable column `name`, or a located error (`not supported yet: …`, or no such field). */
  private entry(name: string): ColumnEntry {
    const e = this.entryByName.get(name);
    if (e) return e;
    const top = this.tops.find((t) => t.field.name === name || name.startsWith(`${t.field.name}.`));
    const location = { file: this.file.name, object: `${this.path}/${name}` };
    if (top && !top.planned.ok)
      throw new HepqError(
        'rntuple/unsupported',
        `not supported yet: ${top.planned.reason} in field ${name}`,
        {
          location,
          hint: 'hepq inspect lists every field with its type; read the others',
        },
      );
    const guess = didYouMean(name, this.entryByName.keys());
    throw new HepqError('rntuple/no-field', `RNTuple ${this.path} has no readable field ${name}`, {
      location,
      ...(guess ? { hint: `did you mean ${guess}?` } : {}),
    });
  }

  /** Check that every name is a readable column (throws the located error otherwise). */
  check(names: readonly string[]): void {
    for (const n of names) this.entry(n);
  }

  /** Columns `names` for entries [start, stop) of cluster `k` (start/stop relative to the whole RNTuple). */
  async readCluster(k: number, names: readonly string[], start: number, stop: number): Promise<Column[]> {
    const c = this.clusters[k]!;
    const entries = names.map((n) => this.entry(n));
    const tops = [...new Set(entries.map((e) => e.top))];
    const reader = new ClusterReader(
      {
        source: this.file.source,
        file: this.file.name,
        ntuple: this.path,
        schema: this.schema,
        fieldName: this.fieldName,
      },
      c,
      k,
    );
    const plans = tops.map((t) => {
      const p = this.tops[t]!.planned;
      if (!p.ok) throw new Error('unreachable: unsupported top in readCluster');
      return p.plan;
    });
    await reader.load(plans);
    const full = new Map(tops.map((t, i) => [t, reader.read(plans[i]!, c.entries)]));
    const lo = Math.max(0, start - c.firstEntry);
    const hi = Math.min(c.entries, stop - c.firstEntry);
    return entries.map((e) => sliceColumn(extract(full.get(e.top)!, e.path), lo, hi));
  }

  /** Columns `names` (all top-level fields when empty) of entries [start, stop) as one batch. */
  async read(names: readonly string[], range: { start?: number; stop?: number } = {}): Promise<Batch> {
    const cols = names.length ? names : this.topNames();
    this.check(cols);
    const start = Math.max(0, range.start ?? 0);
    const stop = Math.min(this.entries, range.stop ?? this.entries);
    const parts: Column[][] = cols.map(() => []);
    for (const [k, c] of this.clusters.entries()) {
      if (c.firstEntry + c.entries <= start || c.firstEntry >= stop || c.entries === 0) continue;
      const got = await this.readCluster(k, cols, start, stop);
      for (const [i, col] of got.entries()) parts[i]!.push(col);
    }
    const length = Math.max(0, stop - start);
    const schema = this.schemaOf(cols);
    const columns = parts.map((p, i) => (p.length ? concatColumns(p) : emptyColumn(schema.fields[i]!.type)));
    return { schema, columns, length };
  }
}

/** A record member (through lists and arrays) of a column. */
export function extract(c: Column, path: readonly string[]): Column {
  if (path.length === 0) return c;
  switch (c.kind) {
    case 'list':
      return { kind: 'list', offsets: c.offsets, child: extract(c.child, path) };
    case 'fixed-list':
      return { kind: 'fixed-list', size: c.size, child: extract(c.child, path) };
    case 'struct':
      return extract(c.children[c.names.indexOf(path[0]!)]!, path.slice(1));
    default:
      throw new Error(`unreachable: no member ${path[0]} in a ${c.kind} column`);
  }
}
