/**
 * The physical plan: what `place()` decided for one prepared query — the scan (files, columns with their codecs
 * and bytes, pushed filters, entry range), the pipeline (the optimized logical plan, run as one compiled loop
 * or one fused GPU kernel), the sink, and the target (this thread, worker threads, the GPU) with the reason and
 * the estimates that decided it. The Session runs exactly this; `explain` prints exactly this.
 */
import type { ScanFilter } from '../../connectors/api.js';
import { duration, mb } from '../../exec/core/index.js';
import type { SinkKind } from '../../exec/index.js';
import { type LogicalPlan, planChain } from '../ir/index.js';

/** One column the scan reads, with what reading it costs. */
export interface ColumnRead {
  readonly name: string;
  readonly codec: string;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
}

export interface ScanNode {
  readonly table: string;
  readonly files: readonly string[];
  readonly columns: readonly ColumnRead[];
  /** Filters the connector evaluates to skip clusters (inexact: the pipeline still checks every event). */
  readonly filters: readonly ScanFilter[];
  readonly range: { readonly start: number; readonly stop: number };
  readonly entries: number;
  readonly clusters: number;
  /** Columns the table has (the scan reads `columns` of them). */
  readonly tableColumns: number;
  /** Compressed bytes of the whole table, for the share read. */
  readonly tableBytes: number;
}

/** Where the pipeline runs. */
export type Target =
  | { readonly kind: 'thread' }
  | {
      readonly kind: 'threads';
      readonly threads: number;
      readonly morsels: ReadonlyArray<{ readonly start: number; readonly stop: number }>;
    }
  | { readonly kind: 'gpu'; readonly device: string }
  /** The session's DuckDB runs the plan translated to one SQL statement (exec/duckdb-plan). */
  | { readonly kind: 'duckdb'; readonly sql: string }
  | {
      readonly kind: 'cluster';
      /** The queue (redis://…) whose workers run the morsels. */
      readonly url: string;
      readonly workers: number;
      readonly morsels: ReadonlyArray<{ readonly start: number; readonly stop: number }>;
    };

/** One candidate target and its estimated seconds (undefined: not possible, `note` says why). */
export interface TargetEstimate {
  readonly target: string;
  readonly seconds?: number;
  readonly note?: string;
}

/** The sink the pipeline ends in (exec/sinks: one combine and finalize per kind, whatever the target). */
export type { SinkKind };

export interface PhysicalPlan {
  readonly scan: ScanNode;
  readonly pipeline: LogicalPlan;
  readonly sink: SinkKind;
  readonly target: Target;
  /** Why this target: the deciding comparison or constraint, in one line. */
  readonly reason: string;
  readonly estimates: readonly TargetEstimate[];
  /**
   * Whether the GPU should be asked for its estimate (device gpu, or auto with enough work to repay opening
   * one). `place` is called again with the GPU's answer; until then the target is a CPU one.
   */
  readonly consultGpu: boolean;
}

const int = (n: number) => n.toLocaleString('en-US');

/** Where a target runs, in words. */
export function targetText(t: Target): string {
  switch (t.kind) {
    case 'thread':
      return 'this thread';
    case 'threads':
      return `${t.threads} worker threads (${t.morsels.length} morsels of whole clusters, merged in entry order)`;
    case 'gpu':
      return `GPU ${t.device} (one fused kernel per batch)`;
    case 'duckdb':
      return "the session's DuckDB (one SQL statement)";
    case 'cluster':
      return `cluster ${t.url}: ${t.workers} workers (${t.morsels.length} morsels as queue jobs, merged in entry order)`;
  }
}

/** The physical plan as `explain` prints it, DataFusion-style: one node per line, indented by depth. */
export function explainPhysical(p: PhysicalPlan): string {
  const s = p.scan;
  const zip = s.columns.reduce((a, c) => a + c.compressedBytes, 0);
  const raw = s.columns.reduce((a, c) => a + c.uncompressedBytes, 0);
  const files = s.files.length === 1 ? s.files[0]! : `${s.files.length} files`;
  const whole = s.range.start === 0 && s.range.stop === s.entries;
  const lines = [
    'Physical plan',
    `  ${p.sink === 'histogram' ? 'HistogramSink' : p.sink === 'histograms' ? 'HistogramSetSink' : p.sink === 'value' ? 'ReduceSink' : p.sink === 'rows' ? 'RowsSink' : 'SelectionSink'} (partial results combined per ${p.target.kind === 'threads' || p.target.kind === 'cluster' ? 'morsel' : 'batch'})`,
    `    ${p.target.kind === 'gpu' ? 'FusedKernel' : p.target.kind === 'duckdb' ? 'SqlStatement' : 'CompiledLoop'}: ${planChain(
      p.pipeline,
    )
      .slice(0, -1)
      .reverse()
      .map((n) => n.kind)
      .join(' → ')}`,
    `      Scan ${s.table} of ${files}: ${whole ? `${int(s.entries)} entries` : `entries ${int(s.range.start)}..${int(s.range.stop)} of ${int(s.entries)}`} in ${int(s.clusters)} cluster${s.clusters === 1 ? '' : 's'}`,
    `        columns read: ${s.columns.length} of ${s.tableColumns} — ${mb(zip)} compressed (${s.tableBytes ? ((100 * zip) / s.tableBytes).toFixed(1) : '0'}% of the table) → ${mb(raw)}`,
    ...s.columns.map(
      (c) => `          ${c.name} (${c.codec}) ${mb(c.compressedBytes)} → ${mb(c.uncompressedBytes)}`,
    ),
  ];
  if (s.filters.length)
    lines.push(
      `        pushed filters: ${s.filters.map((f) => `${f.column} ${f.op} ${f.value}`).join(' and ')} (inexact: skip clusters where no entry passes)`,
    );
  lines.push(`  Target: ${targetText(p.target)} — ${p.reason}`);
  for (const e of p.estimates)
    lines.push(
      `    ${e.target}: ${e.seconds === undefined ? (e.note ?? 'not possible') : `≈ ${duration(e.seconds)}${e.note ? ` (${e.note})` : ''}`}`,
    );
  if (p.target.kind === 'duckdb') lines.push('  SQL:', ...p.target.sql.split('\n').map((l) => `    ${l}`));
  return lines.join('\n');
}
