/**
 * The composition root: a Session owns the function registry and the opened tables, and runs queries.
 * The CLI, the REPL and the HTTP servers all drive a Session; nothing below this file knows about them.
 */

import { availableParallelism } from 'node:os';
import type { ConnectorTable, ScanOptions } from '../connectors/api.js';
import { type Fileset, loadFileset, UnionTable } from '../connectors/index.js';
import { openParquetTable } from '../connectors/parquet/index.js';
import { openRootOrRNTupleTable } from '../connectors/root/index.js';
import { type BatchStream, HepqError, type Schema } from '../exec/batch/index.js';
import type { DeviceChoice } from '../exec/gpu/index.js';
import {
  compilePlan,
  executePlan,
  type QueryProfile,
  type QueryResult,
  type RunOptions,
  streamPlan,
} from '../exec/index.js';
import { type AnalyzedPlan, analyzePlan } from '../planner/analyze/index.js';
import { optimizeForTable, type TraceEntry } from '../planner/index.js';
import { bindParameters, type LogicalPlan, type ParameterValue, planChain } from '../planner/ir/index.js';
import { parseQuery } from '../query/index.js';
import { registerStatsFunctions } from '../stats/index.js';
import { FunctionRegistry } from '../udfs/api.js';
import { registerHepFunctions } from '../udfs/hep/index.js';
import { explainAnalyzed, explainQuery } from './explain.js';
import { type FilesetResult, queryFileset } from './fileset-query.js';
import { GPU_MIN_BYTES, SessionGpu } from './gpu-placement.js';
import { mergeResults, morsels, queryWorkerUrl, WorkerPool, whyNotPartitionable } from './parallel/index.js';
import type { MorselTask } from './parallel/query-worker.js';
import type { SqlEngine, SqlResult, SqlRunOptions, SqlStream } from './sql/index.js';

/** Progress of a running query: entries scanned so far of the total the scan will visit. */
export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly unit: 'events';
}

export interface SessionOptions {
  /** Worker threads for queries large enough to pay for them (default: the machine's cores; 1 = this thread). */
  readonly threads?: number;
  /**
   * Where fused pipelines may run: `cpu` (no GPU is opened), `gpu` (whenever the plan can be fused),
   * or `auto` (the default: by the measured costs of both sides, for queries over GPU_MIN_BYTES).
   */
  readonly device?: DeviceChoice;
  /** Decompressed bytes below which a query stays on this thread (default PARALLEL_MIN_BYTES). */
  readonly parallelMinBytes?: number;
  /** Tree read when a query names none and a file holds several (default: the file's only or conventional tree). */
  readonly tree?: string;
  /**
   * How long idle worker threads stay up (default 10 s). Interactive sessions (the REPL, the HTTP server) keep
   * them longer, so a query after a pause does not pay their start again.
   */
  readonly workerIdleMs?: number;
}

export interface QueryOptions {
  /** Input files (local paths or http(s) URLs); default: the files the query's dataset names. */
  readonly files?: readonly string[];
  readonly tree?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: Progress) => void;
  readonly batchSize?: number;
  readonly range?: ScanOptions['range'];
  /** Override the session's thread count for this query. */
  readonly threads?: number;
  /** Run the plan as written, without the optimizer's rewrites (default: optimize). */
  readonly optimize?: boolean;
  /** Override the session's device choice for this query. */
  readonly device?: DeviceChoice;
  /**
   * Named query parameters: a free name of the query (`lumi`, `xsec`, a sample's metadata) is bound to its
   * value here, at run time, as a literal in the plan — never by editing the query text.
   */
  readonly params?: Readonly<Record<string, ParameterValue>>;
}

/** Where a query runs: this thread, or morsels of whole clusters on worker threads, and why. */
export interface Placement {
  readonly threads: number;
  readonly morsels: ReadonlyArray<{ readonly start: number; readonly stop: number }>;
  readonly reason: string;
}

/** Decompressed bytes a query must read before worker threads pay for their start-up (~50 ms each). */
export const PARALLEL_MIN_BYTES = 24e6;
/**
 * The same with no warm workers: starting them (threads, modules, opening the files) costs ~0.3–0.4 s here,
 * which only pays on a few hundred MB; a REPL or server session then keeps them warm for later queries.
 */
export const PARALLEL_COLD_MIN_BYTES = 200e6;
/** How long idle workers stay (the pool's idle timeout). */
const WARM_MS = 10_000;

/** A query parsed, bound to its input table and type-checked: what `explain` shows and `query` runs. */
export interface PreparedQuery {
  readonly text: string;
  /** The plan that runs: the optimizer's rewrite of `original`. */
  readonly plan: LogicalPlan;
  /** The plan as the query text says it. */
  readonly original: LogicalPlan;
  /** The optimizer's rewrites, in order. */
  readonly trace: readonly TraceEntry[];
  readonly analyzed: AnalyzedPlan;
  /** The branches the compiled query touches (only the members of a collection it uses, not the whole group). */
  readonly columns: readonly string[];
  readonly table: ConnectorTable;
  readonly files: readonly string[];
}

/** A connector table this session opened and must close. */
export type OpenTable = ConnectorTable & { close(): Promise<void> };

const PARQUET = /\.(parquet|parq|pq)(\?.*)?$/i;

const stripFileScheme = (f: string) => (f.startsWith('file://') ? decodeURIComponent(f.slice(7)) : f);

export class Session {
  readonly functions: FunctionRegistry;
  private readonly options: SessionOptions;
  private readonly tables = new Map<string, Promise<OpenTable>>();
  private pool?: WorkerPool;
  private poolUsed = Number.NEGATIVE_INFINITY;
  private get workerIdleMs(): number {
    return this.options.workerIdleMs ?? WARM_MS;
  }
  private readonly gpu: SessionGpu;

  constructor(options: SessionOptions = {}) {
    this.options = options;
    this.gpu = new SessionGpu(options.device ?? 'auto');
    this.functions = registerStatsFunctions(registerHepFunctions(new FunctionRegistry()));
  }

  /**
   * Open (once per session) a tree (or, failing that, an RNTuple) of a ROOT file, or a Parquet file (by its .parquet/.parq/.pq name); later
   * queries over the same file reuse it.
   */
  open(file: string, options: { tree?: string } = {}): Promise<OpenTable> {
    const path = stripFileScheme(file);
    const tree = options.tree ?? this.options.tree;
    const key = `${path}\u0000${tree ?? ''}`;
    let t = this.tables.get(key);
    if (!t) {
      t = PARQUET.test(path) ? openParquetTable(path) : openRootOrRNTupleTable(path, tree);
      this.tables.set(key, t);
      t.catch(() => this.tables.delete(key));
    }
    return t;
  }

  /** The table a query reads: one file's tree, or the union of the same tree over several files. */
  async table(files: readonly string[], tree?: string): Promise<ConnectorTable> {
    if (files.length === 0)
      throw new HepqError('query/no-files', 'the query names no input file', {
        hint: "pass files (hepq query 'QUERY' FILE…) or name them in the query: EventDataset('file.root')",
      });
    const parts = await Promise.all(files.map((f) => this.open(f, tree === undefined ? {} : { tree })));
    return parts.length === 1 ? parts[0]! : new UnionTable(parts, files);
  }

  /** The schema of a file's tree (for completion, `.schema`, and SQL binding). */
  async schema(file: string, tree?: string): Promise<Schema> {
    return (await this.open(file, tree === undefined ? {} : { tree })).schema();
  }

  /** Parse, bind and type-check a func_adl or qastle query; throws a located HepqError on any mistake. */
  async prepare(text: string, options: QueryOptions = {}): Promise<PreparedQuery> {
    const parsed = parseQuery(text);
    const original = options.params ? bindParameters(parsed, options.params) : parsed;
    const source = planChain(original).at(-1);
    const named = source?.kind === 'source' ? source.files : [];
    const files = options.files?.length ? options.files : named;
    const tree = options.tree ?? (source?.kind === 'source' ? source.tree : undefined);
    const table = await this.table(files, tree);
    // Type errors are reported against the query as written, before any rewrite.
    analyzePlan(original, table.schema(), { source: text, functions: this.functions });
    const optimized =
      options.optimize === false
        ? { plan: original, trace: [] }
        : await optimizeForTable(original, table, {
            functions: this.functions,
            ...(options.signal ? { signal: options.signal } : {}),
          });
    const plan = optimized.plan;
    const analyzed = analyzePlan(plan, table.schema(), { source: text, functions: this.functions });
    const { columns } = compilePlan(plan, table.schema(), { functions: this.functions });
    return { text, plan, original, trace: optimized.trace, analyzed, columns, table, files };
  }

  private runOptions(p: PreparedQuery, options: QueryOptions): RunOptions {
    return {
      source: p.text,
      functions: this.functions,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      ...(options.range ? { range: options.range } : {}),
    };
  }

  /** Run a query to its whole result (rows, a value, or a histogram), on the GPU or worker threads when it pays. */
  async query(text: string, options: QueryOptions = {}): Promise<QueryResult> {
    const p = await this.prepare(text, options);
    const device = this.gpu.consider(options.device, this.workBytes(p, options));
    if (device) {
      const g = await this.gpu.run(device, p.plan, p.table, this.functions, {
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.range ? { range: options.range } : {}),
      });
      if (g.result) {
        const total = this.workEntries(p, options);
        options.onProgress?.({ done: total, total, unit: 'events' });
        return g.result;
      }
    }
    const placement = this.place(p, options);
    if (placement.threads <= 1)
      return executePlan(p.plan, withProgress(p.table, options), this.runOptions(p, options));
    return this.runParallel(p, placement, options);
  }

  /**
   * Run a query over every dataset of a fileset (a path to JSON/YAML, or parsed): one pass per file, each
   * dataset's metadata (and `dataset`, its name) bound as query parameters; histograms come back labelled by dataset.
   */
  async queryFileset(
    text: string,
    fileset: Fileset | string,
    options: QueryOptions = {},
  ): Promise<FilesetResult> {
    return queryFileset(this, text, typeof fileset === 'string' ? loadFileset(fileset) : fileset, options);
  }

  /** The entry range a query over `p` visits. */
  private entryRange(p: PreparedQuery, options: QueryOptions): { start: number; stop: number } {
    const n = p.table.statistics().entries;
    const start = Math.max(0, options.range?.start ?? 0);
    return { start, stop: Math.max(start, Math.min(n, options.range?.stop ?? n)) };
  }

  /** Entries a query over `p` visits. */
  private workEntries(p: PreparedQuery, options: QueryOptions): number {
    const { start, stop } = this.entryRange(p, options);
    return stop - start;
  }

  /** Decompressed bytes of the branches the query reads over the entries it visits. */
  private workBytes(p: PreparedQuery, options: QueryOptions): number {
    const stats = p.table.statistics();
    const read = new Set(p.columns);
    const bytes = stats.columns.filter((c) => read.has(c.name)).reduce((a, c) => a + c.uncompressedBytes, 0);
    return stats.entries ? (bytes * this.workEntries(p, options)) / stats.entries : 0;
  }

  /** The device line of `explain`: the GPU placement and why, or why the GPU was not considered. */
  private async deviceLine(p: PreparedQuery, options: QueryOptions): Promise<string> {
    const choice = options.device ?? this.options.device ?? 'auto';
    const device = this.gpu.consider(options.device, this.workBytes(p, options));
    if (!device)
      return choice === 'cpu'
        ? 'Device: CPU (the GPU is used with --device gpu|auto)'
        : `Device: CPU — under ${GPU_MIN_BYTES / 1e6} MB to decompress, not worth opening a GPU`;
    const placed = await this.gpu.place(device, p.plan, p.table);
    return `Device: ${placed.device.toUpperCase()} — ${placed.reason}`;
  }

  /** Decide between this thread and worker threads from the bytes the query reads (the cost that scales). */
  place(p: PreparedQuery, options: QueryOptions = {}): Placement {
    const threads = Math.max(
      1,
      Math.floor(options.threads ?? this.options.threads ?? availableParallelism()),
    );
    const { start, stop } = this.entryRange(p, options);
    const whole = [{ start, stop }];
    if (threads <= 1) return { threads: 1, morsels: whole, reason: 'one thread asked for' };
    const why = whyNotPartitionable(p.plan);
    if (why) return { threads: 1, morsels: whole, reason: why };
    const work = this.workBytes(p, options);
    const warm = this.pool !== undefined && performance.now() - this.poolUsed < this.workerIdleMs;
    const minBytes = this.options.parallelMinBytes ?? (warm ? PARALLEL_MIN_BYTES : PARALLEL_COLD_MIN_BYTES);
    if (work < minBytes)
      return {
        threads: 1,
        morsels: whole,
        reason: `${(work / 1e6).toFixed(1)} MB to decompress is below the ${(minBytes / 1e6).toFixed(1)} MB worth ${warm ? 'using the warm' : 'starting'} workers for`,
      };
    // Many morsels per thread: the pool hands them out as threads free up, so uneven morsels even out.
    const parts = morsels(p.table.statistics().clusters, start, stop, threads * 16);
    if (parts.length < 2 || !queryWorkerUrl())
      return {
        threads: 1,
        morsels: whole,
        reason: parts.length < 2 ? 'the input is one cluster' : 'no worker module in this build',
      };
    const n = Math.min(threads, parts.length);
    return {
      threads: n,
      morsels: parts,
      reason: `${(work / 1e6).toFixed(0)} MB to decompress in ${parts.length} morsels of whole clusters`,
    };
  }

  private async runParallel(
    p: PreparedQuery,
    placement: Placement,
    options: QueryOptions,
  ): Promise<QueryResult> {
    if (!this.pool || this.pool.size !== placement.threads) {
      await this.pool?.close();
      this.pool = new WorkerPool(queryWorkerUrl()!, placement.threads, this.workerIdleMs);
    }
    const pool = this.pool;
    this.poolUsed = performance.now();
    const total = placement.morsels.reduce((a, m) => a + (m.stop - m.start), 0);
    let done = 0;
    options.onProgress?.({ done, total, unit: 'events' });
    try {
      const results = await Promise.all(
        placement.morsels.map(async (range) => {
          const task: MorselTask = {
            text: p.text,
            plan: p.plan,
            files: p.files,
            tree: p.table.name,
            range,
            ...(options.batchSize ? { batchSize: options.batchSize } : {}),
          };
          const r = await pool.run<QueryResult>(task, options.signal);
          done += range.stop - range.start;
          options.onProgress?.({ done, total, unit: 'events' });
          return r;
        }),
      );
      this.poolUsed = performance.now();
      return mergeResults(p.plan, results);
    } catch (e) {
      if (e instanceof HepqError && !e.source && e.span)
        throw new HepqError(e.code, e.message, {
          span: e.span,
          source: p.text,
          ...(e.hint ? { hint: e.hint } : {}),
        });
      throw e;
    }
  }

  /** Stream a rows query batch by batch. */
  async stream(text: string, options: QueryOptions = {}): Promise<BatchStream> {
    const p = await this.prepare(text, options);
    return streamPlan(p.plan, withProgress(p.table, options), this.runOptions(p, options));
  }

  /** How the query will run: the logical plan, the columns read and their bytes, pushed filters, batching. */
  async explain(text: string, options: QueryOptions = {}): Promise<string> {
    const p = await this.prepare(text, options);
    return explainQuery(p, this.place(p, options), this.functions, [await this.deviceLine(p, options)]);
  }

  /**
   * Run the query on this thread with per-stage row counters and timers, and return the explain text with the
   * rows in and out of each event-level stage, selectivities, time in the scan and in the compiled loop.
   */
  async explainAnalyze(text: string, options: QueryOptions = {}): Promise<string> {
    const p = await this.prepare(text, options);
    const profile: QueryProfile = { stages: [], batches: 0, entries: 0, scanMs: 0, runMs: 0 };
    const t0 = performance.now();
    const result = await executePlan(p.plan, withProgress(p.table, options), {
      ...this.runOptions(p, options),
      analyze: profile,
    });
    const ms = performance.now() - t0;
    const placement = {
      threads: 1,
      morsels: [],
      reason: 'explain analyze runs on one thread to count rows per stage',
    };
    return `${explainQuery(p, placement, this.functions)}\n${explainAnalyzed(p, profile, ms, result)}`;
  }

  // ── SQL (issue 6): an embedded DuckDB made on first use; see src/sql/README.md ──────────────────────
  private sqlEngine?: Promise<SqlEngine>;

  /** Run SQL on the session's DuckDB (`root(file, tree)`, Parquet, `func_adl(…)`, HEP and stats functions). */
  async sql(text: string, options: SqlRunOptions = {}): Promise<SqlResult> {
    return (await this.sqlEngineNow()).run(text, options);
  }

  /** Like `sql`, the last statement's rows streamed chunk by chunk (read it to the end, or `close()` it). */
  async sqlStream(text: string, options: SqlRunOptions = {}): Promise<SqlStream> {
    return (await this.sqlEngineNow()).stream(text, options);
  }

  private sqlEngineNow(): Promise<SqlEngine> {
    this.sqlEngine ??= import('./sql/index.js').then((m) => m.createSqlEngine(this));
    return this.sqlEngine;
  }
  // ── end SQL ─────────────────────────────────────────────────────────────────────────────────────────

  async close(): Promise<void> {
    await this.gpu.close();
    await (await this.sqlEngine?.catch(() => undefined))?.close();
    await this.pool?.close();
    this.pool = undefined;
    const open = [...this.tables.values()];
    this.tables.clear();
    await Promise.all(open.map(async (t) => (await t.catch(() => undefined))?.close()));
  }
}

/** The table with its scans reporting entries done (by the entry range each batch covers). */
function withProgress(table: ConnectorTable, options: QueryOptions): ConnectorTable {
  const report = options.onProgress;
  if (!report) return table;
  return {
    name: table.name,
    schema: () => table.schema(),
    statistics: () => table.statistics(),
    supportsFilter: (f) => table.supportsFilter(f),
    scan(scanOptions) {
      const inner = table.scan(scanOptions);
      const entries = table.statistics().entries;
      const start = Math.max(0, scanOptions?.range?.start ?? 0);
      const total = Math.max(0, Math.min(entries, scanOptions?.range?.stop ?? entries) - start);
      return {
        schema: inner.schema,
        async *[Symbol.asyncIterator]() {
          let done = 0;
          report({ done, total, unit: 'events' });
          for await (const b of inner) {
            done += b.length;
            report({ done: Math.min(done, total), total, unit: 'events' });
            yield b;
          }
          if (done < total) report({ done: total, total, unit: 'events' });
        },
      };
    },
  };
}
