/** The ROOT reader's public face: open a file or URL, list its objects, read trees as batches or Arrow tables. */
import type * as arrow from 'apache-arrow';
import { type Batch, batchToArrow, HepqError, normalizeOffsets, typeName } from '../../exec/batch/index.js';
import { type ByteSourceOptions, openByteSource } from './io/index.js';
import { RootFile, TREE_CLASSES } from './root-file.js';
import type { EntryRange, RootTree } from './tree-reader.js';

export interface InspectedBranch {
  readonly name: string;
  /** ROOT's type name, e.g. `float[]`, `std::vector<float>`. */
  readonly type: string;
  /** Our column type, e.g. `list<float32>`, or `unsupported`. */
  readonly column: string;
  readonly compressed_bytes: number;
  readonly uncompressed_bytes: number;
  /** Why the branch cannot be read yet, when it cannot. */
  readonly unsupported?: string;
}

export interface InspectedObject {
  readonly path: string;
  readonly class: string;
  readonly cycle: number;
  readonly entries?: number;
  readonly branches?: InspectedBranch[];
}

export interface Inspection {
  readonly file: string;
  readonly root_version: string;
  readonly big_file: boolean;
  readonly compression: number;
  readonly objects: InspectedObject[];
}

export interface ReadOptions extends EntryRange {
  /** Branches to read; all readable ones when omitted. */
  readonly branches?: readonly string[];
}

/** An open ROOT file. */
export class RootHandle {
  readonly file: RootFile;

  constructor(file: RootFile) {
    this.file = file;
  }

  get name(): string {
    return this.file.name;
  }

  /**
   * The file-level metadata hepq's writer stores (a TNamed `hepq_metadata` whose title is a JSON object: the
   * process and cross section of a generated sample); undefined when the file has none.
   */
  async metadata(): Promise<Record<string, unknown> | undefined> {
    const entry = (await this.file.walk()).find(
      (o) => o.path === 'hepq_metadata' && o.key.className === 'TNamed',
    );
    if (!entry) return undefined;
    try {
      return JSON.parse(entry.key.title) as Record<string, unknown>;
    } catch (e) {
      throw new HepqError('root/bad-metadata', `hepq_metadata of ${this.name} is not a JSON object`, {
        location: { file: this.name, object: 'hepq_metadata' },
        cause: e,
      });
    }
  }

  /** Paths of every TTree in the file (nested directories included). */
  async trees(): Promise<string[]> {
    return (await this.file.walk()).filter((o) => TREE_CLASSES.has(o.key.className)).map((o) => o.path);
  }

  tree(path: string): Promise<RootTree> {
    return this.file.tree(path);
  }

  /** Every object: path, class, and for trees the entries and each branch's types and sizes. */
  async inspect(): Promise<Inspection> {
    const objects: InspectedObject[] = [];
    for (const { path, key } of await this.file.walk()) {
      if (!TREE_CLASSES.has(key.className)) {
        objects.push({ path, class: key.className, cycle: key.cycle });
        continue;
      }
      const tree = await this.file.tree(path);
      objects.push({
        path,
        class: key.className,
        cycle: key.cycle,
        entries: tree.entries,
        branches: tree.branches.map((b) => {
          const t = b.interpretation;
          return {
            name: b.name,
            type: t.rootType,
            column: t.type ? typeName(t.type) : 'unsupported',
            compressed_bytes: b.compressedBytes,
            uncompressed_bytes: b.uncompressedBytes,
            ...(t.interp.kind === 'unsupported' ? { unsupported: t.interp.reason } : {}),
          };
        }),
      });
    }
    const h = this.file.header;
    return {
      file: this.name,
      root_version: this.file.rootVersion,
      big_file: h.big,
      compression: h.compress,
      objects,
    };
  }

  /** The branches a read of the whole tree at `path` skips, with the reason (none for objects other than TTrees). */
  async refused(path: string): Promise<{ name: string; rootType: string; reason: string; noData?: true }[]> {
    const { key } = await this.file.key(path);
    return TREE_CLASSES.has(key.className) ? (await this.file.tree(path)).refused() : [];
  }

  /** Read branches of a tree as a batch (all readable branches when none are named). */
  async read(treePath: string, options: ReadOptions = {}): Promise<Batch> {
    const tree = await this.file.tree(treePath);
    if (options.branches?.length) return tree.read(options.branches, options);
    // The whole tree: a branch whose data turns out unreadable (a container written member-wise) is skipped
    // and listed by `refused()`, as branches refused by type are.
    for (;;) {
      try {
        return await tree.read(
          tree.readable().map((b) => b.name),
          options,
        );
      } catch (e) {
        if (!tree.refusesBranch(e)) throw e;
      }
    }
  }

  /** Read branches of a tree as an apache-arrow Table. */
  async arrow(treePath: string, options: ReadOptions = {}): Promise<arrow.Table> {
    const batch = await this.read(treePath, options);
    return batchToArrow({ ...batch, columns: batch.columns.map(normalizeOffsets) });
  }

  close(): Promise<void> {
    return this.file.close();
  }
}

/** Open a ROOT file from a local path or an http(s) URL (read with range requests). */
export async function openRoot(pathOrUrl: string, options?: ByteSourceOptions): Promise<RootHandle> {
  const source = await openByteSource(pathOrUrl, options);
  try {
    return new RootHandle(await RootFile.open(source));
  } catch (e) {
    await source.close();
    throw e;
  }
}
