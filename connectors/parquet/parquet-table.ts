/**
 * A Parquet file as a connector table, read row group by row group: local files by the direct reader
 * (`direct-scan.ts`) where it covers the asked columns, else with parquet-wasm (lazily from a file-backed Blob,
 * or an http(s) URL by range requests). Columns appear as a NanoAOD-like event (`event-view.ts`) — so the same
 * func_adl query runs on the ROOT and the Parquet copy of a dataset.
 */
import { openAsBlob } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { tableFromIPC } from 'apache-arrow';
import type { ParquetFile } from 'parquet-wasm';
import {
  type Batch,
  type BatchStream,
  type Column,
  didYouMean,
  type Field,
  HepqError,
} from '../../exec/batch/index.js';
import type { ConnectorTable, PushdownSupport, ScanFilter, ScanOptions, TableStatistics } from '../api.js';
import { ScanBuffers, scanDirect } from './direct-scan.js';
import { extract, flatten, leafPaths, type Mapped } from './event-view.js';
import { planTops } from './fast-scan.js';
import { type Footer, openDirect, Physical } from './footer.js';
import { footerFields } from './footer-schema.js';
import { columnFromArrow, typeFromArrow } from './from-arrow.js';
import { rangeMayPass, statValue } from './row-group-stats.js';
import { guardWasm, isWasmTrap, wasmMessage } from './wasm-guard.js';

export class ParquetTable implements ConnectorTable {
  readonly name: string;
  private readonly mapped: Mapped[];
  private readonly rowGroups: number[];
  private readonly stats: TableStatistics;
  /** Leaf column paths of the file (`Muon.list.element.pt`), by top-level column. */
  private readonly leaves = new Map<string, string[][]>();
  /** A read of this file trapped inside parquet-wasm (see wasm-guard.ts). */
  private trapped = false;

  private constructor(
    readonly path: string,
    /** parquet-wasm's handle: opened with the table for URLs, else on the first scan that needs it. */
    private file: ParquetFile | undefined,
    private readonly fields: readonly Field[],
    /** The file and its footer for the direct read (local files whose footer we parse). */
    private readonly direct?: { readonly handle: FileHandle; readonly footer: Footer },
  ) {
    this.name = path.split('/').pop() ?? path;
    this.mapped = flatten(fields);
    // Row groups and chunk sizes from our footer when we have it, else from parquet-wasm's metadata.
    const groups: { rows: number; chunks: { path: string[]; c: number; u: number }[] }[] = direct
      ? direct.footer.rowGroups.map((g) => ({
          rows: g.numRows,
          chunks: [...g.chunks.values()].map((c) => ({
            path: c.path.split('.'),
            c: c.length,
            u: c.uncompressed,
          })),
        }))
      : file!
          .metadata()
          .rowGroups()
          .map((g) => ({
            rows: g.numRows(),
            chunks: g.columns().map((c) => ({
              path: c.columnPath(),
              c: c.compressedSize(),
              u: c.uncompressedSize(),
            })),
          }));
    this.rowGroups = groups.map((g) => g.rows);
    const clusters = [0];
    for (const n of this.rowGroups) clusters.push(clusters.at(-1)! + n);
    const leafPaths = direct
      ? [...direct.footer.leaves.values()].map((l) => [...l.path])
      : (groups[0]?.chunks ?? []).map((c) => c.path);
    for (const path of leafPaths) {
      const list = this.leaves.get(path[0]!) ?? [];
      list.push(path);
      this.leaves.set(path[0]!, list);
    }
    const bytes = new Map<string, { c: number; u: number }>();
    for (const g of groups)
      for (const c of g.chunks) {
        const key = c.path[0]!;
        const t = bytes.get(key) ?? { c: 0, u: 0 };
        t.c += c.c;
        t.u += c.u;
        bytes.set(key, t);
      }
    // A struct's or collection's bytes are shared among the columns cut from it.
    const share = new Map<string, number>();
    for (const m of this.mapped) share.set(m.source.top, (share.get(m.source.top) ?? 0) + 1);
    this.stats = {
      entries: clusters.at(-1)!,
      clusters,
      columns: this.mapped.map((m) => {
        const b = bytes.get(m.source.top) ?? { c: 0, u: 0 };
        const k = share.get(m.source.top) ?? 1;
        return { name: m.field.name, compressedBytes: b.c / k, uncompressedBytes: b.u / k };
      }),
    };
  }

  static async open(pathOrUrl: string, options: ParquetOpenOptions = {}): Promise<ParquetTable> {
    const isUrl = /^https?:\/\//.test(pathOrUrl);
    try {
      // A local file's schema and layout come from its own footer: parquet-wasm is not loaded unless a scan
      // asks for a layout the direct reader does not cover (or the footer is not one we can parse).
      const direct = isUrl || options.reader === 'parquet-wasm' ? undefined : await openDirect(pathOrUrl);
      let fields: Field[] | undefined;
      if (direct)
        try {
          fields = footerFields(direct.footer.raw);
        } catch {
          fields = undefined;
        }
      if (direct && fields) return new ParquetTable(pathOrUrl, undefined, fields, direct);
      try {
        const file = await openWasm(pathOrUrl);
        const arrowSchema = tableFromIPC(file.schema().intoIPCStream()).schema;
        fields = [];
        for (const f of arrowSchema.fields) {
          const type = typeFromArrow(f.type);
          if (type) fields.push({ name: f.name, type });
        }
        return new ParquetTable(pathOrUrl, file, fields, direct);
      } catch (e) {
        await direct?.handle.close();
        throw e;
      }
    } catch (e) {
      if (e instanceof HepqError) throw e;
      throw new HepqError('parquet/open', `cannot read ${pathOrUrl} as Parquet: ${wasmMessage(e)}`, {
        location: { file: pathOrUrl },
      });
    }
  }

  /** parquet-wasm's handle of this file, opened on first use. */
  private async wasmFile(): Promise<ParquetFile> {
    if (this.file) return this.file;
    this.opening ??= openWasm(this.path).then((f) => {
      this.file = f;
      return f;
    });
    return this.opening;
  }
  private opening: Promise<ParquetFile> | undefined;

  /** Whether parquet-wasm has been started for this table (the direct reader alone does not). */
  get usesWasm(): boolean {
    return this.file !== undefined || this.opening !== undefined;
  }

  schema() {
    return { fields: this.mapped.map((m) => m.field) };
  }

  statistics(): TableStatistics {
    return this.stats;
  }

  /** Flat numeric columns: row groups whose statistics rule the filter out are skipped (direct reader). */
  supportsFilter(filter: ScanFilter): PushdownSupport {
    return this.statsLeaf(filter.column) ? 'inexact' : 'unsupported';
  }

  /** The footer leaf of a flat primitive column (`MET_pt` → `MET.pt`), when the direct reader has the footer. */
  private statsLeaf(column: string): string | undefined {
    const m = this.mapped.find((x) => x.field.name === column);
    if (!this.direct || !m || m.field.type.kind !== 'primitive') return undefined;
    const key =
      m.source.kind === 'whole'
        ? m.source.top
        : m.source.kind === 'struct-field'
          ? `${m.source.top}.${m.source.field}`
          : undefined;
    const leaf = key === undefined ? undefined : this.direct.footer.leaves.get(key);
    return leaf && leaf.maxRep === 0 ? key : undefined;
  }

  /** Whether row group g may hold a row passing every filter (by its chunks' min/max; true when unknown). */
  private mayPass(g: number, filters: readonly ScanFilter[]): boolean {
    const footer = this.direct!.footer;
    for (const f of filters) {
      const key = this.statsLeaf(f.column);
      const chunk = key && footer.rowGroups[g]!.chunks.get(key);
      const leaf = key && footer.leaves.get(key);
      // Nulls read as NaN / 0, which the statistics do not cover: only chunks without nulls are judged.
      if (!chunk || !leaf || chunk.stats?.nullCount !== 0) continue;
      const min = statValue(leaf.physical, chunk.stats.min);
      const max = statValue(leaf.physical, chunk.stats.max);
      if (min === undefined || max === undefined) continue;
      if (
        !rangeMayPass(
          f.op,
          min,
          max,
          f.value,
          leaf.physical === Physical.FLOAT || leaf.physical === Physical.DOUBLE,
        )
      )
        return false;
    }
    return true;
  }

  /** Which reader a scan of these columns uses: the direct decoder, or parquet-wasm for other layouts. */
  readerFor(columns?: readonly string[]): 'direct' | 'parquet-wasm' {
    const mapped = this.mappedOf(columns ?? this.mapped.map((m) => m.field.name));
    return this.direct && planTops(this.direct.footer, this.fields, leafPaths(mapped, this.leaves))
      ? 'direct'
      : 'parquet-wasm';
  }

  private mappedOf(wanted: readonly string[]): Mapped[] {
    return wanted.map((n) => {
      const m = this.mapped.find((x) => x.field.name === n);
      if (m) return m;
      const guess = didYouMean(
        n,
        this.mapped.map((x) => x.field.name),
      );
      throw new HepqError('parquet/no-column', `${this.path} has no column ${n}`, {
        location: { file: this.path },
        ...(guess ? { hint: `did you mean ${guess}?` } : {}),
      });
    });
  }

  scan(options: ScanOptions = {}): BatchStream {
    const mapped = this.mappedOf(options.columns ?? this.mapped.map((m) => m.field.name));
    const tops = [...new Set(mapped.map((m) => m.source.top))];
    const paths = leafPaths(mapped, this.leaves);
    const start = Math.max(0, options.range?.start ?? 0);
    const stop = Math.min(this.stats.entries, options.range?.stop ?? this.stats.entries);
    const { stats, path } = this;
    const self = this;
    const schema = { fields: mapped.map((m) => m.field) };
    const direct = this.direct;
    const plans = direct && planTops(direct.footer, this.fields, paths);
    if (direct && plans)
      return {
        schema,
        [Symbol.asyncIterator]: () =>
          scanDirect({
            file: direct,
            path,
            clusters: stats.clusters,
            groups: this.groupsOf(start, stop, options.filters ?? []),
            plans,
            mapped,
            schema,
            start,
            stop,
            options,
            buffers: this.buffers,
          }),
      };
    return {
      schema,
      async *[Symbol.asyncIterator]() {
        for (let g = 0; g + 1 < stats.clusters.length; g++) {
          const lo = stats.clusters[g]!;
          const hi = stats.clusters[g + 1]!;
          if (hi <= start || lo >= stop || hi === lo) continue;
          options.signal?.throwIfAborted();
          let wasm: Awaited<ReturnType<ParquetFile['read']>>;
          try {
            const file = await self.wasmFile();
            wasm = await guardWasm(() =>
              file.read({
                rowGroups: [g],
                columns: paths,
                batchSize: hi - lo,
                ...(lo < start ? { offset: start - lo } : {}),
                ...(hi > stop ? { limit: stop - Math.max(lo, start) } : {}),
              }),
            );
          } catch (e) {
            if (isWasmTrap(e)) self.trapped = true;
            throw new HepqError('parquet/read', `cannot read row group ${g} of ${path}: ${wasmMessage(e)}`, {
              location: { file: path, object: `row group ${g}` },
            });
          }
          const table = tableFromIPC(wasm.intoIPCStream());
          for (const rb of table.batches) {
            const byTop = new Map<string, Column>();
            for (const t of tops) {
              const i = rb.schema.fields.findIndex((f) => f.name === t);
              byTop.set(t, columnFromArrow(rb.data.children[i]!, t));
            }
            const batch: Batch = {
              schema,
              columns: mapped.map((m) => extract(m, byTop.get(m.source.top)!, rb.numRows)),
              length: rb.numRows,
            };
            yield batch;
          }
        }
      },
    };
  }

  /** The row groups of [start, stop) that the pushed-down filters do not rule out. */
  private groupsOf(start: number, stop: number, filters: readonly ScanFilter[]): number[] {
    const clusters = this.stats.clusters;
    const usable = filters.filter((f) => this.supportsFilter(f) !== 'unsupported');
    const groups: number[] = [];
    for (let g = 0; g + 1 < clusters.length; g++) {
      const lo = clusters[g]!;
      const hi = clusters[g + 1]!;
      if (hi > start && lo < stop && hi > lo && this.mayPass(g, usable)) groups.push(g);
    }
    return groups;
  }

  /** Read buffers and the value pool of the direct reader, kept from scan to scan. */
  private readonly buffers = new ScanBuffers();

  async close(): Promise<void> {
    // After a trap the file is still borrowed by the read that panicked: freeing it would throw, so it is left.
    await this.opening?.catch(() => {});
    if (!this.trapped) this.file?.free();
    await this.direct?.handle.close();
  }
}

export interface ParquetOpenOptions {
  /**
   * 'direct' (default): local files' flat, struct and list columns of fixed-width types are decoded here, other
   * layouts and URLs through parquet-wasm; 'parquet-wasm': everything through parquet-wasm.
   */
  readonly reader?: 'direct' | 'parquet-wasm';
}

export function openParquetTable(pathOrUrl: string, options: ParquetOpenOptions = {}): Promise<ParquetTable> {
  return ParquetTable.open(pathOrUrl, options);
}

/** parquet-wasm, loaded with the first file that needs it (its WASM start costs ~0.1 s). */
function wasm(): Promise<typeof import('parquet-wasm')> {
  return import('parquet-wasm');
}

/** parquet-wasm's handle of a local file (a file-backed Blob) or a URL (range requests). */
function openWasm(pathOrUrl: string): Promise<ParquetFile> {
  return /^https?:\/\//.test(pathOrUrl)
    ? guardWasm(async () => (await wasm()).ParquetFile.fromUrl(pathOrUrl))
    : guardWasm(async () => (await wasm()).ParquetFile.fromFile(await openAsBlob(pathOrUrl)));
}
