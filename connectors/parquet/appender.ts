/**
 * One Parquet file from several complete Parquet files of the same schema, each encoded separately (a bounded
 * chunk of rows): their row groups' bytes are appended as they come and only their metadata is kept, so the
 * writer's memory does not grow with the output. Offsets in the row-group metadata are shifted to the new
 * positions; page indexes and bloom filters (which hold absolute offsets of their own) are not carried over.
 */
import { type Footer, footerLength, parseFooter } from './footer.js';
import { CompactWriter, get, T, type TStruct, type TValue } from './thrift.js';

export class ParquetAppender {
  /** Bytes written so far (the file starts with the magic). */
  private offset = 4;
  private readonly rowGroups: TStruct[] = [];
  private template?: TStruct;
  private schemaBytes?: string;
  private rows = 0;

  /** The file's first bytes. */
  header(): Uint8Array {
    return new TextEncoder().encode('PAR1');
  }

  /** Takes one complete Parquet file; returns the byte ranges to append next (its row groups, in order). */
  add(file: Uint8Array): Uint8Array[] {
    const n = footerLength(file.subarray(file.length - 8));
    // A copy: the kept metadata (statistics are views into the footer bytes) must not hold the chunk's buffer.
    const footer: Footer = parseFooter(file.slice(file.length - 8 - n, file.length - 8), file.length);
    const schema = new CompactWriter();
    const s: TStruct = new Map([[1, footer.raw.get(2)!]]);
    schema.struct(s);
    const key = Buffer.from(schema.bytes()).toString('base64');
    if (this.schemaBytes === undefined) {
      this.schemaBytes = key;
      this.template = footer.raw;
    } else if (key !== this.schemaBytes)
      throw new Error('a chunk was encoded with another schema than the first');
    const out: Uint8Array[] = [];
    for (const g of get.list(footer.raw, 4) as TStruct[]) {
      const chunks = get.list(g, 1) as TStruct[];
      let lo = Number.POSITIVE_INFINITY;
      let hi = 0;
      for (const cc of chunks) {
        const m = get.struct(cc, 3)!;
        const data = get.int(m, 9) ?? 0;
        const dict = get.int(m, 11);
        const start = dict !== undefined && dict > 0 && dict < data ? dict : data;
        lo = Math.min(lo, start);
        hi = Math.max(hi, start + (get.int(m, 7) ?? 0));
      }
      if (!(lo >= 4 && hi <= file.length - 8 - n)) throw new Error('a row group lies outside its chunk file');
      const shift = this.offset - lo;
      const move = (s: TStruct, id: number) => {
        const f = s.get(id);
        if (f && typeof f.value === 'number') f.value += shift;
      };
      for (const cc of chunks) {
        move(cc, 2);
        for (const id of [4, 5, 6, 7]) cc.delete(id); // page index: not copied
        const m = get.struct(cc, 3)!;
        for (const id of [9, 10, 11]) move(m, id);
        m.delete(14); // bloom filter: not copied
        m.delete(15);
      }
      move(g, 5);
      g.set(7, { type: T.I16, value: this.rowGroups.length });
      this.rowGroups.push(g);
      this.rows += get.int(g, 3) ?? 0;
      out.push(file.subarray(lo, hi));
      this.offset += hi - lo;
    }
    return out;
  }

  /** The footer (FileMetaData, its length, the magic); undefined before any chunk (no schema yet). */
  footer(): Uint8Array | undefined {
    if (!this.template) return undefined;
    const meta: TStruct = new Map(this.template);
    meta.set(3, { type: T.I64, value: this.rows });
    meta.set(4, { type: T.LIST, value: { kind: 'list', elem: T.STRUCT, items: this.rowGroups as TValue[] } });
    const w = new CompactWriter();
    w.struct(meta);
    const body = w.bytes();
    const out = new Uint8Array(body.length + 8);
    out.set(body);
    new DataView(out.buffer).setUint32(body.length, body.length, true);
    out.set(new TextEncoder().encode('PAR1'), body.length + 4);
    return out;
  }
}
