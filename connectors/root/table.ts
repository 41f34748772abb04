/**
 * A TTree as a connector table: scans by cluster, reads only the asked branches, and skips the clusters in
 * which a pushed-down filter on a flat numeric branch keeps no entry (late materialisation: the filter
 * branches are read first, the others only for clusters that hold a surviving entry).
 */

import {
  type Batch,
  type BatchStream,
  BufferPool,
  type Column,
  didYouMean,
  HepqError,
  type Schema,
} from '../../exec/batch/index.js';
import type { ConnectorTable, PushdownSupport, ScanFilter, ScanOptions, TableStatistics } from '../api.js';
import { anyPasses } from '../scan-filter.js';
import type { ByteSourceOptions } from './io/index.js';
import { basketStarts } from './model/tree.js';
import { openRoot, type RootHandle } from './open-root.js';
import type { RootTree } from './tree-reader.js';

/** Trees a physicist most often means when a file holds several. */
const DEFAULT_TREES = ['Events', 'CollectionTree', 'events', 'tree', 'ntuple', 'T'];
/** Batches gather whole clusters until they reach this many entries (unless the caller asks otherwise). */
const DEFAULT_BATCH = 65536;
/** Entries beyond which a stretch without a common basket boundary is cut anyway (memory bound). */
const UNALIGNED_SPLIT = 1 << 20;
/** Batches in a row a pushed filter may fail to skip before the scan stops reading filter branches first. */
const PROBE_BATCHES = 8;

/** Entry boundaries at which every one of the given branches starts a basket (always includes 0 and entries). */
export function alignedBoundaries(tree: RootTree, names: readonly string[]): number[] {
  const n = tree.entries;
  let common: number[] | undefined;
  for (const name of names) {
    const starts = [0];
    for (const x of basketStarts(tree.info(name).branch)) if (x <= n) starts.push(x);
    starts.push(n);
    const sorted = sortedUnique(starts);
    common = common ? intersectSorted(common, sorted) : sorted;
    if (common.length <= 2) break; // only 0 and n: no branch can add a boundary
  }
  return common ?? (n > 0 ? [0, n] : [0]);
}

/** Ascending, without repeats (sorted only when out of order: basket starts usually come in order). */
function sortedUnique(xs: number[]): number[] {
  for (let i = 1; i < xs.length; i++)
    if (xs[i]! < xs[i - 1]!) {
      xs.sort((a, b) => a - b);
      break;
    }
  return xs.filter((x, j) => j === 0 || x !== xs[j - 1]);
}

/** The values in both ascending arrays. */
function intersectSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j]! < x) j++;
    if (j < b.length && b[j] === x) out.push(x);
  }
  return out;
}

export class RootTable implements ConnectorTable {
  readonly name: string;
  readonly handle: RootHandle;
  readonly tree: RootTree;
  private readonly columnNames: readonly string[];
  private readonly fullSchema: Schema;

  private constructor(handle: RootHandle, tree: RootTree, name: string) {
    this.handle = handle;
    this.tree = tree;
    this.name = name;
    this.columnNames = tree.readable().map((b) => b.name);
    this.fullSchema = tree.schema(this.columnNames);
  }

  /** Open `treeName` (or the file's only / most conventional tree) of a local file or http(s) URL. */
  static async open(pathOrUrl: string, treeName?: string, options?: ByteSourceOptions): Promise<RootTable> {
    const handle = await openRoot(pathOrUrl, options);
    try {
      const name = treeName ?? (await RootTable.defaultTree(handle, pathOrUrl));
      return new RootTable(handle, await handle.tree(name), name);
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  private static async defaultTree(handle: RootHandle, file: string): Promise<string> {
    const trees = [...new Set(await handle.trees())];
    if (trees.length === 1) return trees[0]!;
    const conventional = DEFAULT_TREES.find((t) => trees.includes(t));
    if (conventional) return conventional;
    throw new HepqError(
      'root/no-tree',
      trees.length === 0
        ? `${file} holds no TTree`
        : `${file} holds several trees; choose one with --tree (or the tree option): ${trees.join(', ')}`,
      { location: { file } },
    );
  }

  schema(): Schema {
    return this.fullSchema;
  }

  private stats?: TableStatistics;

  statistics(): TableStatistics {
    this.stats ??= {
      entries: this.tree.entries,
      clusters: alignedBoundaries(this.tree, this.columnNames),
      columns: this.tree.readable().map((b) => ({
        name: b.name,
        compressedBytes: b.compressedBytes,
        uncompressedBytes: b.uncompressedBytes,
        codec: codecOfSetting(b.branch.compress, this.tree.file.header.compress),
      })),
    };
    return this.stats;
  }

  supportsFilter(filter: ScanFilter): PushdownSupport {
    const f = this.fullSchema.fields.find((x) => x.name === filter.column);
    return f?.type.kind === 'primitive' ? 'inexact' : 'unsupported';
  }

  private checkColumns(names: readonly string[]): void {
    for (const n of names) {
      if (this.columnNames.includes(n)) continue;
      const guess = didYouMean(n, this.columnNames);
      throw new HepqError('root/no-branch', `tree ${this.name} has no readable branch ${n}`, {
        location: { file: this.handle.file.name, object: this.name },
        ...(guess ? { hint: `did you mean ${guess}?` } : {}),
      });
    }
  }

  /** The batch ranges of a scan: whole aligned clusters, merged up to `batchSize` entries. */
  batchRanges(names: readonly string[], options: ScanOptions = {}): Array<[number, number]> {
    const start = Math.max(0, options.range?.start ?? 0);
    const stop = Math.min(this.tree.entries, options.range?.stop ?? this.tree.entries);
    const size = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
    const bounds = alignedBoundaries(this.tree, names.length ? names : this.columnNames).filter(
      (b) => b > start && b < stop,
    );
    const cuts = [start, ...bounds, stop];
    const out: Array<[number, number]> = [];
    let lo = start;
    for (let i = 1; i < cuts.length; i++) {
      const hi = cuts[i]!;
      // A file whose branches share no basket boundary for a long stretch still streams: such a span is
      // split at batchSize (the baskets across a cut are then decoded twice).
      while (hi - lo > Math.max(size * 4, UNALIGNED_SPLIT)) {
        out.push([lo, lo + size]);
        lo += size;
      }
      if (hi - lo >= size || i === cuts.length - 1) {
        if (hi > lo) out.push([lo, hi]);
        lo = hi;
      }
    }
    return out;
  }

  scan(options: ScanOptions = {}): BatchStream {
    const names = options.columns ?? this.columnNames;
    this.checkColumns(names);
    const schema = this.tree.schema(names);
    const filters = (options.filters ?? []).filter((f) => this.supportsFilter(f) !== 'unsupported');
    const ranges = this.batchRanges(names, options);
    const tree = this.tree;
    const signal = options.signal;
    const filterNames = [...new Set(filters.map((f) => f.column))];
    // Reading the filter branches first costs a second fetch per batch, a loss while the filter skips nothing:
    // after PROBE_BATCHES such batches in a row, batches are read in one go and only every PROBE_BATCHES-th
    // still probes (a skip resumes probing every batch).
    let unskipped = 0;
    // The batch-lifetime protocol: with reuseBuffers, each batch's payloads come from the table's pool under a
    // lease that is handed back once the consumer has moved past the batch.
    if (options.reuseBuffers) this.pool ??= new BufferPool();
    const pool = options.reuseBuffers ? this.pool : undefined;
    const readRange = async (
      [lo, hi]: [number, number],
      index: number,
      lease: ArrayBuffer[],
    ): Promise<Batch | undefined> => {
      const alloc = pool ? (n: number) => pool.take(n, lease) : undefined;
      const probe = filters.length > 0 && (unskipped < PROBE_BATCHES || index % PROBE_BATCHES === 0);
      if (!probe) return tree.read(names, { start: lo, stop: hi }, alloc);
      // Late materialisation: the filter branches first; the others only if an entry survives. Filter
      // branches the query also returns are not read twice.
      const got = new Map<string, Column>();
      const cols = await Promise.all(filterNames.map((n) => tree.readBranch(n, { start: lo, stop: hi })));
      for (const [i, n] of filterNames.entries()) got.set(n, cols[i]!);
      if (
        !anyPasses(
          filters.map((f) => got.get(f.column)!),
          filters,
          hi - lo,
        )
      ) {
        unskipped = 0;
        return undefined;
      }
      unskipped++;
      const rest = names.filter((n) => !got.has(n));
      const more = await tree.read(rest, { start: lo, stop: hi }, alloc);
      for (const [i, n] of rest.entries()) got.set(n, more.columns[i]!);
      return { schema, columns: names.map((n) => got.get(n)!), length: hi - lo };
    };
    return {
      schema,
      async *[Symbol.asyncIterator]() {
        // One range read ahead: file reads of the next batch overlap the consumer's work on this one.
        const leases: ArrayBuffer[][] = ranges.map(() => []);
        let next = ranges.length ? readRange(ranges[0]!, 0, leases[0]!) : undefined;
        let handedOut = -1;
        try {
          for (let i = 0; i < ranges.length; i++) {
            signal?.throwIfAborted();
            const current = await next!;
            next = i + 1 < ranges.length ? readRange(ranges[i + 1]!, i + 1, leases[i + 1]!) : undefined;
            next?.catch(() => {}); // surfaced when awaited
            handedOut = i;
            if (current) yield current;
            // The consumer asked for the next batch: this one's buffers are free again.
            pool?.release(leases[i]!);
            handedOut = -1;
          }
        } finally {
          // Ended early (break, error, abort): the batch the consumer held is released; a read that failed or
          // is still in flight keeps its buffers (one of its groups may still be writing into them).
          if (pool && handedOut >= 0) pool.release(leases[handedOut]!);
        }
      },
    };
  }

  /** Payload buffers reused across the batches of scans with `reuseBuffers`. */
  private pool: BufferPool | undefined;

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** Open a TTree of a ROOT file as a connector table (`options`: how its bytes are read, e.g. redirects). */
export function openRootTable(
  pathOrUrl: string,
  treeName?: string,
  options?: ByteSourceOptions,
): Promise<RootTable> {
  return RootTable.open(pathOrUrl, treeName, options);
}

/**
 * The codec of a ROOT compression setting (algorithm × 100 + level; negative: inherit the file's). Level 0 is
 * stored uncompressed; algorithm 0 ("global") and the old 3 are ZLIB, as ROOT reads them.
 */
export function codecOfSetting(setting: number, fileSetting: number): string {
  const s = setting < 0 ? fileSetting : setting;
  if (s % 100 === 0) return 'none';
  switch (Math.floor(s / 100)) {
    case 2:
      return 'lzma';
    case 4:
      return 'lz4';
    case 5:
      return 'zstd';
    default:
      return 'zlib';
  }
}
