/** The RNTuple descriptor: fields and columns (header + footer extension), cluster groups and page lists. */
import type { Frame, LeReader, Locator } from './le-reader.js';

/** Structural roles of fields. */
export const ROLE = { leaf: 0, collection: 1, record: 2, variant: 3, streamer: 4 } as const;
/** Field flags. */
export const FIELD_FLAG = { repetitive: 0x01, projected: 0x02, checksum: 0x04 } as const;

export interface FieldDesc {
  readonly id: number;
  readonly parentId: number;
  readonly role: number;
  readonly flags: number;
  readonly name: string;
  readonly typeName: string;
  readonly typeAlias: string;
  readonly arraySize?: number;
  readonly sourceFieldId?: number;
}

export interface ColumnDesc {
  /** Physical column id (index in the serialized column list, header then footer). */
  readonly id: number;
  readonly type: number;
  readonly bits: number;
  readonly fieldId: number;
  readonly representation: number;
  /** First element index of a deferred column (0 otherwise); negative when deferred and suppressed. */
  readonly firstElement: number;
  readonly min?: number;
  readonly max?: number;
}

export interface PageDesc {
  readonly elements: number;
  readonly checksum: boolean;
  readonly locator: Locator;
}

/** One column's pages in one cluster. */
export interface ColumnPages {
  readonly pages: readonly PageDesc[];
  /** Index of the cluster's first element in the whole column. */
  readonly firstElement: number;
  readonly suppressed: boolean;
  readonly compression: number;
}

export interface ClusterDesc {
  readonly firstEntry: number;
  readonly entries: number;
  /** By physical column id; absent for columns the page list does not mention. */
  readonly columns: readonly (ColumnPages | undefined)[];
}

export interface ClusterGroupDesc {
  readonly minEntry: number;
  readonly entrySpan: number;
  readonly clusters: number;
  readonly pageList: Locator & { readonly length: number };
}

/** What header and footer say; cluster page lists are added as they are read. */
export interface Schema {
  name: string;
  description: string;
  writer: string;
  readonly fields: FieldDesc[];
  readonly columns: ColumnDesc[];
  /** Columns attached to each field (physical ids), in serialization order; projected fields get aliases. */
  readonly fieldColumns: number[][];
}

function readSchemaDescription(r: LeReader, s: Schema): void {
  const fields = r.frame('list');
  for (let i = 0; i < fields.items; i++) {
    const f = r.frame('record');
    r.u32(); // field version
    r.u32(); // type version
    const parentId = r.u32();
    const role = r.u16();
    const flags = r.u16();
    const name = r.string();
    const typeName = r.string();
    const typeAlias = r.string();
    r.string(); // description
    const arraySize = flags & FIELD_FLAG.repetitive ? r.u64() : undefined;
    const sourceFieldId = flags & FIELD_FLAG.projected ? r.u32() : undefined;
    if (flags & FIELD_FLAG.checksum) r.u32();
    const id = s.fields.length;
    s.fields.push({
      id,
      parentId,
      role,
      flags,
      name,
      typeName,
      typeAlias,
      ...(arraySize !== undefined ? { arraySize } : {}),
      ...(sourceFieldId !== undefined ? { sourceFieldId } : {}),
    });
    s.fieldColumns.push([]);
    r.close(f);
  }
  r.close(fields);
  const columns = r.frame('list');
  for (let i = 0; i < columns.items; i++) {
    const f = r.frame('record');
    const at = r.pos;
    const type = r.u16();
    const bits = r.u16();
    const fieldId = r.u32();
    const flags = r.u16();
    const representation = r.u16();
    const firstElement = flags & 0x01 ? r.i64() : 0;
    const range = flags & 0x02 ? { min: r.f64(), max: r.f64() } : {};
    const id = s.columns.length;
    if (fieldId >= s.fields.length)
      throw r.error(`column ${id} names field ${fieldId}, which does not exist`, at);
    s.columns.push({ id, type, bits, fieldId, representation, firstElement, ...range });
    s.fieldColumns[fieldId]!.push(id);
    r.close(f);
  }
  r.close(columns);
  const aliases = r.frame('list');
  for (let i = 0; i < aliases.items; i++) {
    const f = r.frame('record');
    const at = r.pos;
    const physical = r.u32();
    const fieldId = r.u32();
    if (fieldId >= s.fields.length || physical >= s.columns.length)
      throw r.error(`alias column for field ${fieldId} names column ${physical}, which does not exist`, at);
    s.fieldColumns[fieldId]!.push(physical);
    r.close(f);
  }
  r.close(aliases);
  const extra = r.frame('list');
  r.close(extra); // extra type information (streamer infos of streamed fields): not needed
}

/** The envelope preamble: type and length; checks both against what the caller expects. */
function envelope(r: LeReader, type: number): void {
  const word = r.u64big();
  const got = Number(word & 0xffffn);
  const length = Number(word >> 16n);
  if (got !== type) throw r.error(`envelope type is ${got}, expected ${type}`, 0);
  if (length !== r.buf.length) throw r.error(`envelope says ${length} bytes but has ${r.buf.length}`, 0);
}

/** Parse the header envelope. */
export function readHeader(r: LeReader): Schema {
  envelope(r, 1);
  r.featureFlags();
  const s: Schema = { name: '', description: '', writer: '', fields: [], columns: [], fieldColumns: [] };
  s.name = r.string();
  s.description = r.string();
  s.writer = r.string();
  readSchemaDescription(r, s);
  for (const f of s.fields)
    if (f.parentId >= s.fields.length)
      throw r.error(`field ${f.name} has parent ${f.parentId}, which does not exist`);
  return s;
}

/** Parse the footer envelope: the schema extension (added to `s`) and the cluster groups. */
export function readFooter(r: LeReader, s: Schema): ClusterGroupDesc[] {
  envelope(r, 2);
  r.featureFlags();
  r.u64big(); // header checksum
  const ext: Frame = r.frame('record');
  if (r.pos < ext.end) readSchemaDescription(r, s);
  r.close(ext);
  const groups = r.frame('list');
  const out: ClusterGroupDesc[] = [];
  for (let i = 0; i < groups.items; i++) {
    const f = r.frame('record');
    const minEntry = r.u64();
    const entrySpan = r.u64();
    const clusters = r.u32();
    const pageList = r.envelopeLink();
    out.push({ minEntry, entrySpan, clusters, pageList });
    r.close(f);
  }
  r.close(groups);
  return out;
}

/** Parse a page-list envelope: the clusters of one cluster group with every column's pages. */
export function readPageList(r: LeReader, columnCount: number): ClusterDesc[] {
  envelope(r, 3);
  r.u64big(); // header checksum
  const summaries = r.frame('list');
  const sums: { firstEntry: number; entries: number }[] = [];
  for (let i = 0; i < summaries.items; i++) {
    const f = r.frame('record');
    const at = r.pos;
    const firstEntry = r.u64();
    const word = r.u64big();
    if ((word >> 56n) & 0x01n) throw r.error('not supported yet: sharded clusters', at);
    sums.push({ firstEntry, entries: Number(word & 0xffffffffffffffn) });
    r.close(f);
  }
  r.close(summaries);
  const clusters = r.frame('list');
  if (clusters.items !== sums.length)
    throw r.error(`the page list has ${clusters.items} clusters but ${sums.length} summaries`);
  const out: ClusterDesc[] = [];
  for (let c = 0; c < clusters.items; c++) {
    const cols = r.frame('list');
    if (cols.items > columnCount)
      throw r.error(`cluster ${c} lists ${cols.items} columns but the schema has ${columnCount}`);
    const columns: ColumnPages[] = [];
    for (let k = 0; k < cols.items; k++) {
      const pagesFrame = r.frame('list');
      const pages: PageDesc[] = [];
      for (let p = 0; p < pagesFrame.items; p++) {
        const n = r.i32();
        pages.push({ elements: Math.abs(n), checksum: n < 0, locator: r.locator() });
      }
      // Suppressed columns (inactive representations) have a negative element offset, usually INT64_MIN.
      const offsetAt = r.pos;
      const suppressed = r.i64big() < 0n;
      let firstElement = 0;
      if (!suppressed) {
        r.pos = offsetAt;
        firstElement = r.i64();
      }
      const compression = suppressed ? 0 : r.u32();
      columns.push({ pages, firstElement, suppressed, compression });
      r.close(pagesFrame);
    }
    r.close(cols);
    out.push({ ...sums[c]!, columns });
  }
  r.close(clusters);
  return out;
}
