/**
 * An RNTuple as a connector table: statistics from the page lists, scans one cluster per batch (or several
 * small ones together) reading only the asked columns, skips clusters in which pushed filters keep no entry;
 * and `openRootOrRNTupleTable`, which opens a file's TTree or, where it holds no such tree, its RNTuple.
 */
import {
  type Batch,
  type BatchStream,
  type Column,
  columnLength,
  concatColumns,
  HepqError,
  type Schema,
} from '../../../exec/batch/index.js';
import type { ConnectorTable, PushdownSupport, ScanFilter, ScanOptions, TableStatistics } from '../../api.js';
import { anyPasses } from '../../scan-filter.js';
import type { ByteSourceOptions } from '../io/index.js';
import { openRoot, type RootHandle } from '../open-root.js';
import { openRootTable, type RootTable } from '../table.js';
import { RNTUPLE_CLASS, RNTuple } from './rntuple.js';

/** The names a physicist most often means when a file holds several. */
const DEFAULT_NAMES = ['Events', 'CollectionTree', 'events', 'tree', 'ntuple', 'T'];
/** Small clusters are read together up to this many entries per batch (unless the caller asks otherwise). */
const DEFAULT_BATCH = 65536;

/** Paths of every RNTuple in an open ROOT file. */
export async function rntuplePaths(handle: RootHandle): Promise<string[]> {
  return (await handle.file.walk()).filter((o) => o.key.className === RNTUPLE_CLASS).map((o) => o.path);
}

export class RNTupleTable implements ConnectorTable {
  private readonly stats: TableStatistics;
  private readonly fullSchema: Schema;

  private constructor(
    readonly handle: RootHandle,
    readonly ntuple: RNTuple,
    readonly name: string,
  ) {
    this.fullSchema = ntuple.schemaOf(ntuple.columnNames());
    const sizes = new Map(ntuple.inspect().map((f) => [f.name, f]));
    this.stats = {
      entries: ntuple.entries,
      clusters: ntuple.boundaries(),
      columns: ntuple.columnNames().map((n) => {
        const f = sizes.get(n);
        return {
          name: n,
          compressedBytes: f?.compressed_bytes ?? 0,
          uncompressedBytes: f?.uncompressed_bytes ?? 0,
        };
      }),
    };
  }

  /** Open the RNTuple `name` (or the file's only / most conventional one) of a local file or http(s) URL. */
  static async open(pathOrUrl: string, name?: string, options?: ByteSourceOptions): Promise<RNTupleTable> {
    const handle = await openRoot(pathOrUrl, options);
    try {
      return await RNTupleTable.fromHandle(handle, name);
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  /** The RNTuple table over an open file (which the table then owns and closes). */
  static async fromHandle(handle: RootHandle, name?: string): Promise<RNTupleTable> {
    const path = name ?? (await defaultRNTuple(handle));
    return new RNTupleTable(handle, await RNTuple.open(handle.file, path), path.replace(/;\d+$/, ''));
  }

  schema(): Schema {
    return this.fullSchema;
  }

  statistics(): TableStatistics {
    return this.stats;
  }

  /** Filters on flat numeric columns skip the clusters in which no entry passes (rows are not filtered). */
  supportsFilter(filter: ScanFilter): PushdownSupport {
    const f = this.fullSchema.fields.find((x) => x.name === filter.column);
    return f?.type.kind === 'primitive' ? 'inexact' : 'unsupported';
  }

  scan(options: ScanOptions = {}): BatchStream {
    const names = options.columns ?? this.ntuple.topNames();
    this.ntuple.check(names);
    const schema = this.ntuple.schemaOf(names);
    const nt = this.ntuple;
    const start = Math.max(0, options.range?.start ?? 0);
    const stop = Math.min(nt.entries, options.range?.stop ?? nt.entries);
    const size = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
    // Batches of whole clusters (cut to the range), small neighbours merged up to `size` entries.
    const groups: number[][] = [];
    let entries = 0;
    for (const [k, c] of nt.clusters.entries()) {
      if (c.firstEntry + c.entries <= start || c.firstEntry >= stop || c.entries === 0) continue;
      const n = Math.min(stop, c.firstEntry + c.entries) - Math.max(start, c.firstEntry);
      if (!groups.length || entries + n > size) {
        groups.push([]);
        entries = 0;
      }
      groups.at(-1)!.push(k);
      entries += n;
    }
    const signal = options.signal;
    const filters = (options.filters ?? []).filter((f) => this.supportsFilter(f) !== 'unsupported');
    const filterNames = [...new Set(filters.map((f) => f.column))];
    /** Whether any entry of cluster k (within the range) passes every pushed filter. */
    const passes = async (k: number): Promise<boolean> => {
      if (!filters.length) return true;
      const cols = await nt.readCluster(k, filterNames, start, stop);
      const byFilter = filters.map((f) => cols[filterNames.indexOf(f.column)]!);
      return anyPasses(byFilter, filters, columnLength(byFilter[0]!));
    };
    const readGroup = async (all: number[]): Promise<Batch | undefined> => {
      const keep = await Promise.all(all.map(passes));
      const ks = all.filter((_, i) => keep[i]);
      if (!ks.length) return undefined;
      const parts = await Promise.all(ks.map((k) => nt.readCluster(k, names, start, stop)));
      const columns: Column[] = names.map((_, i) => concatColumns(parts.map((p) => p[i]!)));
      const length = ks.reduce((a, k) => {
        const c = nt.clusters[k]!;
        return a + Math.min(stop, c.firstEntry + c.entries) - Math.max(start, c.firstEntry);
      }, 0);
      return { schema, columns, length };
    };
    return {
      schema,
      async *[Symbol.asyncIterator]() {
        // One batch read ahead: page reads of the next batch overlap the consumer's work on this one.
        let next = groups.length ? readGroup(groups[0]!) : undefined;
        for (let i = 0; i < groups.length; i++) {
          signal?.throwIfAborted();
          const current = await next!;
          next = i + 1 < groups.length ? readGroup(groups[i + 1]!) : undefined;
          next?.catch(() => {}); // surfaced when awaited
          if (current) yield current;
        }
      },
    };
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

async function defaultRNTuple(handle: RootHandle): Promise<string> {
  const all = [...new Set(await rntuplePaths(handle))];
  if (all.length === 1) return all[0]!;
  const conventional = DEFAULT_NAMES.find((t) => all.includes(t));
  if (conventional) return conventional;
  throw new HepqError(
    'rntuple/none',
    all.length === 0
      ? `${handle.name} holds no TTree and no RNTuple`
      : `${handle.name} holds several RNTuples; choose one with --tree (or the tree option): ${all.join(', ')}`,
    { location: { file: handle.name } },
  );
}

/** Open an RNTuple of a ROOT file as a connector table. */
export function openRNTupleTable(pathOrUrl: string, name?: string): Promise<RNTupleTable> {
  return RNTupleTable.open(pathOrUrl, name);
}

/**
 * A file's TTree as a table — or, when the file has no TTree of that name (or none at all) but an RNTuple,
 * the RNTuple. The default-name rules are the same for both: the only one, else `Events`, `CollectionTree`, ….
 */
export async function openRootOrRNTupleTable(
  pathOrUrl: string,
  name?: string,
  options?: ByteSourceOptions,
): Promise<RootTable | RNTupleTable> {
  try {
    return await openRootTable(pathOrUrl, name, options);
  } catch (e) {
    if (!(e instanceof HepqError) || !['root/no-tree', 'root/not-a-tree'].includes(e.code)) throw e;
    const handle = await openRoot(pathOrUrl, options);
    try {
      const all = await rntuplePaths(handle);
      const wanted = name?.replace(/;\d+$/, '');
      if (all.length === 0 || (wanted !== undefined && !all.includes(wanted))) throw e;
      return await RNTupleTable.fromHandle(handle, name);
    } catch (inner) {
      await handle.close();
      throw inner;
    }
  }
}
