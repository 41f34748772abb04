/**
 * A scan through the direct reader: the chosen row groups read (the next one's chunks while this one is decoded
 * and consumed), decoded by `fast-scan.ts`, and cut into our columns (`event-view.ts`), one batch per row group.
 */
import type { FileHandle } from 'node:fs/promises';
import {
  type Alloc,
  type Batch,
  BufferPool,
  type Column,
  type Field,
  freshAlloc,
  HepqError,
  normalizeOffsets,
  sliceColumn,
} from '../../exec/batch/index.js';
import type { ScanOptions } from '../api.js';
import { extract, type Mapped } from './event-view.js';
import { decodeRowGroup, type FetchedGroup, fetchRowGroup, type TopPlan } from './fast-scan.js';
import type { Footer } from './footer.js';

type ReadBuffer = { buffer: Uint8Array };

/**
 * A table's buffers for the compressed chunks and its value pool, kept from scan to scan: a scan takes a pair of
 * read buffers (grown to the largest row group it reads) and gives them back when it ends, so later scans of the
 * table neither allocate nor fault in fresh memory for their reads.
 */
export class ScanBuffers {
  private readonly free: ReadBuffer[][] = [];
  /** Values, offsets and counts of scans with `reuseBuffers` (the batch-lifetime protocol). */
  pool: BufferPool | undefined;

  take(): ReadBuffer[] {
    return this.free.pop() ?? [{ buffer: new Uint8Array(0) }, { buffer: new Uint8Array(0) }];
  }

  give(pair: ReadBuffer[]): void {
    this.free.push(pair);
  }
}

export interface DirectScan {
  readonly file: { readonly handle: FileHandle; readonly footer: Footer };
  readonly path: string;
  /** Row-group boundaries (entries). */
  readonly clusters: readonly number[];
  /** The row groups to read, in order. */
  readonly groups: readonly number[];
  readonly plans: readonly TopPlan[];
  readonly mapped: readonly Mapped[];
  readonly schema: { fields: Field[] };
  readonly start: number;
  readonly stop: number;
  readonly options: ScanOptions;
  readonly buffers: ScanBuffers;
}

/** Row groups decoded by `fast-scan.ts` (no parquet-wasm), one batch each, cut to [start, stop). */
export async function* scanDirect(s: DirectScan): AsyncGenerator<Batch> {
  const { file, clusters, groups, plans, mapped, schema, start, stop, options } = s;
  const fail = (g: number, e: unknown) =>
    new HepqError('parquet/read', `cannot read row group ${g} of ${s.path}: ${(e as Error).message}`, {
      location: { file: s.path, object: `row group ${g}` },
    });
  // Two read buffers: the next row group's reads run while this one is decoded and consumed.
  const reads = s.buffers.take();
  const fetch = (i: number) => {
    const p = fetchRowGroup(file.handle, file.footer, plans, groups[i]!, reads[i % 2]!);
    p.catch(() => {}); // surfaced when awaited
    return p;
  };
  let next: Promise<FetchedGroup> | undefined = groups.length ? fetch(0) : undefined;
  // The batch-lifetime protocol: with reuseBuffers, a batch's values, offsets and counts come from the
  // table's pool under a lease that is handed back once the consumer has moved past the batch.
  if (options.reuseBuffers) s.buffers.pool ??= new BufferPool();
  const pool = options.reuseBuffers ? s.buffers.pool : undefined;
  const lease: ArrayBuffer[] = [];
  const alloc: Alloc = pool ? (n) => pool.take(n, lease) : freshAlloc;
  try {
    for (let i = 0; i < groups.length; i++) {
      options.signal?.throwIfAborted();
      const g = groups[i]!;
      let byTop: Map<string, Column>;
      try {
        const fetched = await next!;
        next = i + 1 < groups.length ? fetch(i + 1) : undefined;
        byTop = decodeRowGroup(file.footer, plans, fetched, alloc);
      } catch (e) {
        throw fail(g, e);
      }
      const lo = clusters[g]!;
      const hi = clusters[g + 1]!;
      const a = Math.max(lo, start) - lo;
      const b = Math.min(hi, stop) - lo;
      const columns = mapped.map((m) => {
        const c = extract(m, byTop.get(m.source.top)!, hi - lo, alloc);
        return a === 0 && b === hi - lo ? c : normalizeOffsets(sliceColumn(c, a, b));
      });
      yield { schema, columns, length: b - a };
      pool?.release(lease);
    }
  } finally {
    pool?.release(lease);
    // A read still in flight (the consumer stopped early) must land before another scan takes the buffers.
    await next?.catch(() => {});
    s.buffers.give(reads);
  }
}
