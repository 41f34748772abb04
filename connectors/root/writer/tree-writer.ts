/**
 * Streams batches into one TTree: rows are gathered into clusters of `clusterEntries`, each cluster is written
 * as one or more baskets per branch (split when a basket would pass `basketBytes`), and at the end the TTree
 * with its branches, leaves, basket tables and cluster layout is written, then the file is closed.
 */
import {
  type Batch,
  type Column,
  concatColumns,
  HepqError,
  type Schema,
  sliceColumn,
  type TypedArray,
  takeRows,
  typeName,
} from '../../../exec/batch/index.js';
import { extract, type PlannedBranch, type PlanOptions, planBranches } from './branch-plan.js';
import { type Compression, initCompressors, parseCompression } from './compress.js';
import { encodeFlat, encodeJagged, encodeVector, LEAF_TYPES } from './encode.js';
import { RootFileWriter } from './file-writer.js';
import { writeNamed } from './objects.js';
import { type ClassDef, TREE_CLASSES, vectorClass } from './streamers.js';
import { type BranchSpec, type LeafSpec, writeTree } from './tree-object.js';

/** The key of the TNamed holding a written file's metadata as JSON. */
export const METADATA_KEY = 'hepq_metadata';

export interface RootWriteOptions extends PlanOptions {
  /** Tree name (default `Events`). */
  readonly tree?: string;
  readonly title?: string;
  /**
   * File-level metadata (cross section, process, …), stored beside the tree as a TNamed `hepq_metadata` whose
   * title is the JSON object: ROOT, uproot and `hepq inspect` all read it.
   */
  readonly metadata?: Readonly<Record<string, string | number | boolean>>;
  /** `zstd:5` (default), `lz4:4`, `zlib:1`, `lzma:8`, `none`, or a parsed setting. */
  readonly compression?: string | Compression;
  /** Entries per cluster (default 100 000; every branch starts a basket at each cluster boundary). */
  readonly clusterEntries?: number;
  /** Make each incoming batch one cluster (its size as given) instead of regrouping rows into `clusterEntries`. */
  readonly clusterPerBatch?: boolean;
  /** Largest uncompressed basket before a cluster's branch is split into several baskets (default 4 MiB). */
  readonly basketBytes?: number;
  readonly signal?: AbortSignal;
}

export interface RootWriteSummary {
  readonly path: string;
  readonly tree: string;
  readonly entries: number;
  readonly clusters: number;
  readonly branches: number;
  readonly baskets: number;
  /** File size in bytes and the uncompressed size of the branch data. */
  readonly bytes: number;
  readonly rawBytes: number;
}

interface BranchState {
  readonly plan: PlannedBranch;
  readonly spec: BranchSpec;
  readonly width: number;
  readonly classVersion: number;
}

/** Writes one tree of batches to a new ROOT file; call `append` per batch and `close` once. */
export class RootTreeWriter {
  private readonly file: RootFileWriter;
  private readonly treeName: string;
  private readonly title: string;
  private readonly metadata: RootWriteOptions['metadata'];
  private readonly clusterEntries: number;
  private readonly basketBytes: number;
  private readonly options: RootWriteOptions;
  private schema?: Schema;
  private branches: BranchState[] = [];
  private pending: Column[][] = [];
  private pendingRows = 0;
  private entries = 0;
  private readonly clusterSizes: number[] = [];
  private baskets = 0;
  private rawBytes = 0;

  private constructor(file: RootFileWriter, options: RootWriteOptions) {
    this.file = file;
    this.options = options;
    this.treeName = options.tree ?? 'Events';
    this.title = options.title ?? this.treeName;
    this.metadata = options.metadata;
    this.clusterEntries = options.clusterEntries ?? 100_000;
    this.basketBytes = options.basketBytes ?? 4 << 20;
    if (!Number.isInteger(this.clusterEntries) || this.clusterEntries < 1)
      throw new HepqError(
        'root/bad-argument',
        `clusterEntries must be a positive integer, not ${this.clusterEntries}`,
      );
  }

  static async create(path: string, options: RootWriteOptions = {}): Promise<RootTreeWriter> {
    await initCompressors();
    const c = options.compression ?? 'zstd:5';
    const compression = typeof c === 'string' ? parseCompression(c) : c;
    return new RootTreeWriter(RootFileWriter.create(path, compression), options);
  }

  private begin(schema: Schema): void {
    this.schema = schema;
    const compress = this.file.compression.algorithm === 'none' ? 0 : this.fileCompress();
    const leaves = new Map<string, LeafSpec>();
    for (const plan of planBranches(schema, this.options)) {
      const t = LEAF_TYPES[plan.type];
      const isVector = plan.layout === 'vector';
      const count = plan.counter ? leaves.get(plan.counter) : undefined;
      const dims = plan.layout === 'jagged' ? `[${plan.counter}]` : plan.len > 1 ? `[${plan.len}]` : '';
      const leaf: LeafSpec = isVector
        ? {
            className: 'TLeafElement',
            name: plan.name,
            title: plan.name,
            len: 1,
            lenType: 0,
            isUnsigned: false,
            maximum: 0,
          }
        : {
            className: t.leaf,
            name: plan.name,
            title: `${plan.name}${dims}`,
            len: plan.len,
            lenType: t.width,
            isUnsigned: t.unsigned,
            count,
            maximum: 0,
          };
      leaves.set(plan.name, leaf);
      const spec: BranchSpec = {
        name: plan.name,
        title: isVector ? plan.name : `${plan.name}${dims}/${t.letter}`,
        leaf,
        compress,
        entryOffsetLen: plan.layout === 'flat' ? 0 : 1000,
        element: isVector
          ? { className: `vector<${t.cpp}>`, checksum: vectorClass(t.cpp, t.code).checksum, classVersion: 6 }
          : undefined,
        entries: 0,
        totBytes: 0,
        zipBytes: 0,
        basketBytes: [],
        basketEntry: [],
        basketSeek: [],
      };
      this.branches.push({ plan, spec, width: t.width, classVersion: 6 });
    }
  }

  private fileCompress(): number {
    const c = this.file.compression;
    const code = { none: 0, zlib: 1, lzma: 2, lz4: 4, zstd: 5 }[c.algorithm];
    return code * 100 + Math.min(9, c.level);
  }

  /** Fix the schema before any batch (so that an empty stream still gives a tree with its branches). */
  declareSchema(schema: Schema): void {
    if (!this.schema) this.begin(schema);
  }

  /** Add a batch's rows (its selection applied). The first batch fixes the schema. */
  append(batch: Batch): void {
    this.options.signal?.throwIfAborted();
    if (!this.schema) this.begin(batch.schema);
    else if (!sameSchema(this.schema, batch.schema)) {
      throw new HepqError('root/schema-changed', 'a batch has a different schema from the first one', {
        hint: `first: ${describe(this.schema)}; now: ${describe(batch.schema)}`,
      });
    }
    let columns = batch.columns as Column[];
    if (batch.selection) columns = columns.map((c) => takeRows(c, batch.selection!));
    const rows = batch.selection ? batch.selection.length : batch.length;
    if (this.options.clusterPerBatch) {
      if (rows === 0) return;
      this.pending.push(columns);
      this.pendingRows = rows;
      this.flushCluster();
      return;
    }
    let at = 0;
    while (at < rows) {
      const k = Math.min(rows - at, this.clusterEntries - this.pendingRows);
      this.pending.push(at === 0 && k === rows ? columns : columns.map((c) => sliceColumn(c, at, at + k)));
      this.pendingRows += k;
      at += k;
      if (this.pendingRows === this.clusterEntries) this.flushCluster();
    }
  }

  private flushCluster(): void {
    if (this.pendingRows === 0) return;
    const n = this.pendingRows;
    const parts = this.pending;
    const columns =
      parts.length === 1 ? parts[0]! : parts[0]!.map((_, i) => concatColumns(parts.map((p) => p[i]!)));
    this.pending = [];
    this.pendingRows = 0;
    const extracted = new Map<string, ReturnType<typeof extract>>();
    for (const b of this.branches) extracted.set(b.plan.name, extract(b.plan, columns));
    for (const b of this.branches) {
      const { values, offsets } = extracted.get(b.plan.name)!;
      if (b.plan.isCounter) {
        let max = b.spec.leaf.maximum;
        for (let i = 0; i < n; i++) if (Number(values[i]) > max) max = Number(values[i]);
        b.spec.leaf.maximum = max;
      }
      if (b.plan.counter) this.checkCounter(b, offsets!, extracted.get(b.plan.counter)!.values, n);
      this.writeBaskets(b, values, offsets, n);
    }
    this.entries += n;
    this.clusterSizes.push(n);
  }

  private checkCounter(
    b: BranchState,
    offsets: Int32Array,
    counts: ArrayLike<number | bigint>,
    n: number,
  ): void {
    for (let i = 0; i < n; i++) {
      if (offsets[i + 1]! - offsets[i]! !== Number(counts[i])) {
        throw new HepqError(
          'root/counter-mismatch',
          `entry ${this.entries + i}: '${b.plan.name}' has ${offsets[i + 1]! - offsets[i]!} values but '${b.plan.counter}' says ${counts[i]}`,
          {
            location: { file: this.file.path, object: `${this.treeName}/${b.plan.name}` },
            hint: `a leaf-count array needs its counter '${b.plan.counter}' to equal its lengths`,
          },
        );
      }
    }
  }

  private writeBaskets(b: BranchState, values: TypedArray, offsets: Int32Array | undefined, n: number): void {
    // Split the cluster into baskets of at most `basketBytes` (by the average entry size).
    const total = offsets
      ? (offsets[n]! - offsets[0]!) * b.width + (b.plan.layout === 'vector' ? 10 * n : 0)
      : n * b.plan.len * b.width;
    const pieces = Math.max(1, Math.ceil(total / this.basketBytes));
    const bool = b.plan.type === 'bool';
    for (let p = 0; p < pieces; p++) {
      const e0 = Math.floor((p * n) / pieces);
      const e1 = Math.floor(((p + 1) * n) / pieces);
      if (e1 <= e0) continue;
      let data: Uint8Array;
      let starts: Int32Array | undefined;
      if (!offsets) data = encodeFlat(values, e0, e1, b.plan.len, b.width, bool);
      else if (b.plan.layout === 'vector')
        ({ data, starts } = encodeVector(values, offsets, e0, e1, b.width, b.classVersion, bool));
      else ({ data, starts } = encodeJagged(values, offsets, e0, e1, b.width, bool));
      const nevbufSize = starts ? b.spec.entryOffsetLen : b.plan.len * b.width;
      const r = this.file.writeBasket(b.plan.name, this.treeName, data, e1 - e0, nevbufSize, starts);
      const s = b.spec;
      s.basketEntry.push(this.entries + e0);
      s.basketSeek.push(r.seek);
      s.basketBytes.push(r.nbytes);
      s.totBytes += r.objlen + r.keylen;
      s.zipBytes += r.nbytes;
      s.entries = this.entries + e1;
      this.baskets++;
      this.rawBytes += r.objlen;
    }
  }

  /** Cluster ranges in ROOT's form: runs of equal cluster sizes; the last run becomes fAutoFlush. */
  private clusterLayout(): { autoFlush: number; ends: number[]; sizes: number[] } {
    const sizes = this.clusterSizes;
    if (sizes.length === 0) return { autoFlush: this.clusterEntries, ends: [], sizes: [] };
    const runs: { size: number; end: number }[] = [];
    let entry = 0;
    sizes.forEach((s, i) => {
      entry += s;
      const last = runs[runs.length - 1];
      // A short final cluster belongs to the run before it (ROOT's last cluster may be partial).
      if (last && (last.size === s || (i === sizes.length - 1 && s < last.size))) last.end = entry - 1;
      else runs.push({ size: s, end: entry - 1 });
    });
    const final = runs.pop()!;
    return { autoFlush: final.size, ends: runs.map((r) => r.end), sizes: runs.map((r) => r.size) };
  }

  /** Flush the last cluster, write the TTree and the file's closing records. */
  close(): RootWriteSummary {
    try {
      if (!this.schema)
        throw new HepqError('root/empty-stream', 'nothing to write: the stream had no batches', {
          hint: 'a tree needs a schema; give at least one (possibly empty) batch',
        });
      this.flushCluster();
      const { autoFlush, ends, sizes } = this.clusterLayout();
      const specs = this.branches.map((b) => {
        b.spec.entries = this.entries;
        return b.spec;
      });
      this.file.writeObject('TTree', this.treeName, this.title, (buf) =>
        writeTree(buf, {
          name: this.treeName,
          title: this.title,
          entries: this.entries,
          totBytes: specs.reduce((a, s) => a + s.totBytes, 0),
          zipBytes: specs.reduce((a, s) => a + s.zipBytes, 0),
          autoFlush,
          clusterRangeEnd: ends,
          clusterSize: sizes,
          branches: specs,
        }),
      );
      if (this.metadata) {
        const json = JSON.stringify(this.metadata);
        this.file.writeObject('TNamed', METADATA_KEY, json, (buf) => writeNamed(buf, METADATA_KEY, json));
      }
      const classes: ClassDef[] = [...TREE_CLASSES];
      const seen = new Set<string>();
      for (const b of this.branches) {
        if (b.plan.layout !== 'vector') continue;
        const t = LEAF_TYPES[b.plan.type];
        if (!seen.has(t.cpp)) classes.push(vectorClass(t.cpp, t.code));
        seen.add(t.cpp);
      }
      this.file.close(classes);
      return {
        path: this.file.path,
        tree: this.treeName,
        entries: this.entries,
        clusters: this.clusterSizes.length,
        branches: this.branches.length,
        baskets: this.baskets,
        bytes: this.file.size,
        rawBytes: this.rawBytes,
      };
    } catch (err) {
      this.file.abort();
      throw err;
    }
  }

  /** Close the file without a tree (after an error). */
  abort(): void {
    this.file.abort();
  }
}

function describe(s: Schema): string {
  return s.fields.map((f) => `${f.name}: ${typeName(f.type)}`).join(', ');
}

function sameSchema(a: Schema, b: Schema): boolean {
  return a === b || describe(a) === describe(b);
}

/**
 * Write a stream of batches as a TTree in a new ROOT file (columns: primitives, structs, fixed-size lists,
 * lists of primitives or of structs; see `planBranches`). Consumes the stream; returns what was written.
 */
export async function writeRoot(
  path: string,
  stream: AsyncIterable<Batch> | Iterable<Batch>,
  options: RootWriteOptions = {},
): Promise<RootWriteSummary> {
  const w = await RootTreeWriter.create(path, options);
  try {
    for await (const batch of stream) w.append(batch);
    const schema = (stream as { schema?: Schema }).schema;
    if (schema) w.declareSchema(schema);
  } catch (err) {
    w.abort();
    throw err;
  }
  return w.close();
}
