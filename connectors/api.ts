/** The connector contract: what a data source (ROOT, RNTuple, Parquet, memory) offers the planner and executor. */
import type { BatchStream, Schema } from '../exec/batch/index.js';

/** Per-column size statistics the cost model reads. */
export interface ColumnStatistics {
  readonly name: string;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
  /** The column's compression codec (`zlib`, `lz4`, `zstd`, `lzma`, `none`), where the format says. */
  readonly codec?: string;
}

export interface TableStatistics {
  readonly entries: number;
  /** Entry boundaries of independently decodable units (TTree clusters, RNTuple clusters, row groups). */
  readonly clusters: readonly number[];
  readonly columns: readonly ColumnStatistics[];
}

/** How exactly a connector honours a pushed-down filter. */
export type PushdownSupport = 'exact' | 'inexact' | 'unsupported';

/** A simple comparison the planner may push into a scan (e.g. `nMuon >= 2`). */
export interface ScanFilter {
  readonly column: string;
  readonly op: '==' | '!=' | '<' | '<=' | '>' | '>=';
  readonly value: number;
}

export interface ScanOptions {
  /** Columns to read (all readable ones when omitted). */
  readonly columns?: readonly string[];
  readonly filters?: readonly ScanFilter[];
  /** Entry range [start, stop). */
  readonly range?: { readonly start: number; readonly stop: number };
  /** Preferred rows per batch (a connector may align batches to its clusters). */
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
  /**
   * The batch-lifetime promise: the consumer keeps nothing of a batch (no column, no view of one) once it asks
   * for the next batch or ends the scan, so the connector may decode later batches into the same buffers.
   * Consumers that collect rows must not set it; a connector may ignore it.
   */
  readonly reuseBuffers?: boolean;
}

/** One table of a connector (a TTree, an RNTuple, a Parquet file). */
export interface ConnectorTable {
  readonly name: string;
  schema(): Schema;
  statistics(): TableStatistics;
  supportsFilter(filter: ScanFilter): PushdownSupport;
  scan(options?: ScanOptions): BatchStream;
}

/** A data source that exposes named tables. */
export interface Connector {
  readonly kind: string;
  tables(): readonly string[];
  table(name: string): ConnectorTable;
  close(): Promise<void>;
}
