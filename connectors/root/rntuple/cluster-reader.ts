/**
 * Reads fields of one cluster: fetches the pages of the needed columns in one coalesced request, decompresses
 * them (`decompressRoot`, by each block's own tag), decodes whole-cluster columns, and assembles each field's
 * plan into a column. Every inconsistency is a located error naming the field and the page's byte offset.
 */
import { type Column, HepqError, type PrimitiveType, type TypedArray } from '../../../exec/batch/index.js';
import { decompressRoot } from '../compression/index.js';
import type { ByteSource } from '../io/index.js';
import { allocate, columnTypeName, decodePage, pageBytes } from './column-decode.js';
import type { ClusterDesc, ColumnDesc, FieldDesc, Schema } from './descriptor.js';
import type { FieldPlan } from './fields.js';
import { checksumOk } from './xxh3.js';

/** What a cluster reader needs to know of its RNTuple. */
export interface ReaderContext {
  readonly source: ByteSource;
  readonly file: string;
  /** The RNTuple's path in the file, e.g. `Events`. */
  readonly ntuple: string;
  readonly schema: Schema;
  readonly fieldName: (f: FieldDesc) => string;
}

interface Need {
  readonly key: string;
  readonly col: ColumnDesc;
  readonly target: PrimitiveType | 'offsets' | 'switch';
  readonly field: FieldDesc;
}

interface Decoded {
  readonly values: TypedArray;
  /** File offset of the column's first page in this cluster (for error locations). */
  readonly offset: number;
}

export class ClusterReader {
  private readonly decoded = new Map<string, Decoded>();

  constructor(
    private readonly ctx: ReaderContext,
    private readonly cluster: ClusterDesc,
    private readonly index: number,
  ) {}

  /** The columns of `f` active in this cluster (its primary representation here). */
  private columnsOf(f: FieldDesc): ColumnDesc[] {
    const s = this.ctx.schema;
    const all = s.fieldColumns[f.id]!.map((id) => s.columns[id]!);
    const reps = [...new Set(all.map((c) => c.representation))].sort((a, b) => a - b);
    for (const rep of reps) {
      const cols = all.filter((c) => c.representation === rep);
      if (!this.cluster.columns[cols[0]!.id]?.suppressed) return cols;
    }
    return all.filter((c) => c.representation === reps[0]);
  }

  /** Physical columns (and their targets) every plan needs in this cluster. */
  private needs(plan: FieldPlan, out: Map<string, Need>) {
    const add = (col: ColumnDesc, target: PrimitiveType | 'offsets' | 'switch') => {
      const key = `${col.id}:${target}`;
      if (!out.has(key)) out.set(key, { key, col, target, field: plan.field });
    };
    const cols = plan.kind === 'fixed' || plan.kind === 'struct' ? [] : this.columnsOf(plan.field);
    switch (plan.kind) {
      case 'leaf':
        add(cols[0]!, plan.target);
        return;
      case 'string':
        add(cols[0]!, 'offsets');
        add(cols[1]!, 'int8');
        return;
      case 'cardinality':
        add(cols[0]!, 'offsets');
        return;
      case 'list':
        add(cols[0]!, 'offsets');
        this.needs(plan.child, out);
        return;
      case 'fixed':
        this.needs(plan.child, out);
        return;
      case 'struct':
        for (const c of plan.children) this.needs(c, out);
        return;
      case 'variant':
        add(cols[0]!, 'switch');
        for (const c of plan.children) this.needs(c, out);
        return;
    }
  }

  /** Fetch and decode every column the plans need. */
  async load(plans: readonly FieldPlan[]): Promise<void> {
    const want = new Map<string, Need>();
    for (const p of plans) this.needs(p, want);
    const jobs = [...want.values()].filter((w) => !this.decoded.has(w.key));
    // A page with a checksum is followed by its XXH3 (8 bytes), read together with it.
    const ranges = jobs.flatMap((w) =>
      (this.cluster.columns[w.col.id]?.pages ?? []).map((p) => ({
        offset: p.locator.offset,
        length: p.locator.size + (p.checksum ? 8 : 0),
      })),
    );
    const size = await this.ctx.source.size();
    for (const r of ranges)
      if (r.offset < 0 || r.offset + r.length > size) {
        const job = jobs.find((w) =>
          this.cluster.columns[w.col.id]?.pages.some((p) => p.locator.offset === r.offset),
        );
        throw this.error(
          job?.field,
          `a page lies at bytes [${r.offset}, ${r.offset + r.length}) but the file has ${size} bytes`,
          r.offset,
        );
      }
    const views = await this.ctx.source.readMany(ranges);
    let v = 0;
    for (const w of jobs) {
      const pages = this.cluster.columns[w.col.id]?.pages ?? [];
      const total = pages.reduce((a, p) => a + p.elements, 0);
      const values = allocate(w.target, total);
      let pos = 0;
      for (const [i, p] of pages.entries()) {
        const view = views[v++]!;
        const raw = view.subarray(0, p.locator.size);
        const what = `${this.where(w.field)} (column ${w.col.id} ${columnTypeName(w.col.type)}, cluster ${this.index}, page ${i})`;
        if (p.checksum && !checksumOk(raw, view.subarray(p.locator.size)))
          throw new HepqError(
            'rntuple/checksum-mismatch',
            `page ${i} of column ${w.col.id} (cluster ${this.index}) does not match its XXH3 checksum in field ${this.ctx.fieldName(w.field)}`,
            {
              location: { file: this.ctx.file, object: what, offset: p.locator.offset },
              hint: 'the file is damaged: these bytes differ from what ROOT wrote',
            },
          );
        const bytes = decompressRoot(raw, pageBytes(w.col, p.elements), {
          file: this.ctx.file,
          object: what,
          offset: p.locator.offset,
        });
        decodePage(w.col, bytes, p.elements, values, pos, w.target);
        pos += p.elements;
      }
      this.decoded.set(w.key, { values, offset: pages[0]?.locator.offset ?? 0 });
    }
  }

  private where(f: FieldDesc | undefined): string {
    return f ? `${this.ctx.ntuple}/${this.ctx.fieldName(f)}` : this.ctx.ntuple;
  }

  private error(f: FieldDesc | undefined, message: string, offset: number): HepqError {
    return new HepqError('rntuple/corrupt-page', `${message} in field ${f ? this.ctx.fieldName(f) : '?'}`, {
      location: { file: this.ctx.file, object: `${this.where(f)} (cluster ${this.index})`, offset },
      hint: 'the file is damaged (a page does not agree with the page list or its collection offsets)',
    });
  }

  /** `n` decoded elements of a column; a deferred column is zero before its first element. */
  private values(f: FieldDesc, col: ColumnDesc, n: number, target: PrimitiveType | 'offsets'): Decoded {
    const d = this.decoded.get(`${col.id}:${target}`)!;
    if (d.values.length === n) return d;
    if (d.values.length < n && col.firstElement > 0) {
      const padded = new (d.values.constructor as new (k: number) => TypedArray)(n);
      (padded as Float64Array).set(d.values as Float64Array, n - d.values.length);
      return { values: padded, offset: d.offset };
    }
    throw this.error(f, `column ${col.id} holds ${d.values.length} elements where ${n} are needed`, d.offset);
  }

  /** Collection offsets (`n + 1`, from 0) from an index column, checked to be non-decreasing. */
  private offsets(f: FieldDesc, col: ColumnDesc, n: number): Int32Array {
    const d = this.values(f, col, n, 'offsets');
    const idx = d.values as Float64Array;
    const out = new Int32Array(n + 1);
    let prev = 0;
    for (let i = 0; i < n; i++) {
      const x = idx[i]!;
      if (!(x >= prev && x <= 0x7fffffff))
        throw this.error(
          f,
          `collection index ${x} after ${prev} at element ${i} is not a valid offset`,
          d.offset,
        );
      out[i + 1] = x;
      prev = x;
    }
    return out;
  }

  /** The column of a planned field for the cluster's `n` elements (entries at the top level). */
  read(plan: FieldPlan, n: number): Column {
    const f = plan.field;
    switch (plan.kind) {
      case 'leaf': {
        const col = this.columnsOf(f)[0]!;
        return { kind: 'primitive', type: plan.target, values: this.values(f, col, n, plan.target).values };
      }
      case 'string': {
        const [ic, cc] = this.columnsOf(f);
        const offsets = this.offsets(f, ic!, n);
        const chars = this.values(f, cc!, offsets[n]!, 'int8').values as Int8Array;
        return { kind: 'utf8', offsets, bytes: new Uint8Array(chars.buffer, chars.byteOffset, chars.length) };
      }
      case 'cardinality': {
        const offsets = this.offsets(f, this.columnsOf(f)[0]!, n);
        const counts = plan.target === 'uint32' ? new Uint32Array(n) : new BigUint64Array(n);
        for (let i = 0; i < n; i++) {
          const c = offsets[i + 1]! - offsets[i]!;
          if (counts instanceof Uint32Array) counts[i] = c;
          else counts[i] = BigInt(c);
        }
        return { kind: 'primitive', type: plan.target, values: counts };
      }
      case 'list': {
        const offsets = this.offsets(f, this.columnsOf(f)[0]!, n);
        return { kind: 'list', offsets, child: this.read(plan.child, offsets[n]!) };
      }
      case 'fixed':
        return { kind: 'fixed-list', size: plan.size, child: this.read(plan.child, n * plan.size) };
      case 'struct':
        return {
          kind: 'struct',
          names: plan.names,
          children: plan.children.map((c) => this.read(c, n)),
          length: n,
        };
      case 'variant':
        return this.variant(plan, n);
    }
  }

  /**
   * A variant's `n` entries: `index` from the Switch tags, and per alternative a list of zero or one values.
   * ROOT numbers each alternative's elements in entry order, which is checked: a damaged Switch page is an error.
   */
  private variant(plan: Extract<FieldPlan, { kind: 'variant' }>, n: number): Column {
    const f = plan.field;
    const col = this.columnsOf(f)[0]!;
    const d = this.decoded.get(`${col.id}:switch`)!;
    if (d.values.length !== 2 * n)
      throw this.error(
        f,
        `Switch column ${col.id} holds ${d.values.length / 2} elements where ${n} are needed`,
        d.offset,
      );
    const sw = d.values as Float64Array;
    const k = plan.children.length;
    const index = new Int32Array(n);
    const offsets = Array.from({ length: k }, () => new Int32Array(n + 1));
    const counts = new Array<number>(k).fill(0);
    for (let i = 0; i < n; i++) {
      const tag = sw[2 * i + 1]!;
      if (tag > k)
        throw this.error(
          f,
          `Switch tag ${tag} at element ${i} names no alternative (there are ${k})`,
          d.offset,
        );
      index[i] = tag - 1;
      if (tag > 0) {
        if (sw[2 * i] !== counts[tag - 1])
          throw this.error(
            f,
            `Switch element ${i} points at element ${sw[2 * i]} of alternative ${tag - 1}, expected ${counts[tag - 1]}`,
            d.offset,
          );
        counts[tag - 1]!++;
      }
      for (let a = 0; a < k; a++) offsets[a]![i + 1] = counts[a]!;
    }
    return {
      kind: 'struct',
      names: ['index', ...plan.names],
      children: [
        { kind: 'primitive', type: 'int32', values: index },
        ...plan.children.map(
          (c, a): Column => ({ kind: 'list', offsets: offsets[a]!, child: this.read(c, counts[a]!) }),
        ),
      ],
      length: n,
    };
  }
}
