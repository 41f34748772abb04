/**
 * The composition root: a Session owns the function registry and the opened tables, and runs queries.
 * The CLI, the REPL and the HTTP servers all drive a Session; nothing below this file knows about them.
 */

import { availableParallelism } from 'node:os';
import type { ConnectorTable, ScanOptions } from '../connectors/api.js';
import { type Fileset, loadFileset, UnionTable } from '../connectors/index.js';
import { openParquetTable } from '../connectors/parquet/index.js';
import { openRootOrRNTupleTable } from '../connectors/root/index.js';
import { SYNTHETIC_PREFIX, SyntheticTable } from '../connectors/synthetic/index.js';
import { type BatchStream, HepqError, type Schema } from '../exec/batch/index.js';
import type { DeviceChoice } from '../exec/gpu/index.js';
import {
  compilePlan,
  executePlan,
  type HistogramSet,
  type QueryProfile,
  type QueryResult,
  type RunOptions,
  sinkFor,
  sinkKindOf,
  streamPlan,
} from '../exec/index.js';
import { type AnalyzedPlan, analyzePlan } from '../planner/analyze/index.js';
import { optimizeForTable, type TraceEntry } from '../planner/index.js';
import { bindParameters, type LogicalPlan, type ParameterValue, planChain } from '../planner/ir/index.js';
import { type PhysicalPlan, type PlaceInput, place, type SinkKind } from '../planner/physical/index.js';
import { parseQueryWithStage, type StatsStage } from '../query/index.js';
import { registerStatsFunctions } from '../stats/index.js';
import { FunctionRegistry } from '../udfs/api.js';
import { registerHepFunctions } from '../udfs/hep/index.js';
import type { ClusterClient } from './cluster/index.js';
import { SessionDuckdb } from './duckdb-placement.js';
import { explainAnalyzed, explainQuery } from './explain.js';
import { type FilesetResult, queryFileset } from './fileset-query.js';
import { SessionGpu } from './gpu-placement.js';
import { type MorselTask, queryWorkerUrl, reduceOpOf, WorkerPool } from './parallel/index.js';
import type { SqlEngine, SqlResult, SqlRunOptions, SqlStream } from './sql/index.js';
import { runStatsStage, stageHistograms } from './stats-stage.js';

/** Progress of a running query: entries scanned so far of the total the scan will visit. */
export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly unit: 'events';
}

/**
 * Where a query runs: `cpu`, `gpu` or `auto` (the GPU's choice, exec/gpu) — or `duckdb`: the plan translated to
 * one SQL statement on the session's DuckDB (exec/duckdb-plan), where the translation covers it.
 */
export type QueryDevice = DeviceChoice | 'duckdb';

export interface SessionOptions {
  /** Worker threads for queries large enough to pay for them (default: the machine's cores; 1 = this thread). */
  readonly threads?: number;
  /**
   * Where fused pipelines may run: `cpu` (no GPU is opened), `gpu` (whenever the plan can be fused),
   * or `auto` (the default: by the measured costs of both sides, once the CPU side would take longer than
   * opening a device — planner/physical); `duckdb` runs what translates to SQL on the session's DuckDB.
   */
  readonly device?: QueryDevice;
  /**
   * Decompressed bytes below which a query stays on this thread. Default: none — the cost model decides
   * (worker start-up against the time the work takes on this thread; see planner/physical).
   */
  readonly parallelMinBytes?: number;
  /** Tree read when a query names none and a file holds several (default: the file's only or conventional tree). */
  readonly tree?: string;
  /**
   * How long idle worker threads stay up (default 10 s). Interactive sessions (the REPL, the HTTP server) keep
   * them longer, so a query after a pause does not pay their start again.
   */
  readonly workerIdleMs?: number;
  /**
   * A cluster of `hepq worker` processes on a Redis queue (`redis://host:port`): queries large enough to repay
   * the queue's round trips run there as morsels (planner/physical decides; explain says why).
   */
  readonly cluster?: string;
  /** Decompressed bytes from which a query always goes to the cluster (default: the cost model decides). */
  readonly clusterMinBytes?: number;
  /**
   * http(s) inputs must lie under one of these prefixes (else `io/url-refused`) and follow redirects only to URLs
   * under them (others fail `io/redirect-refused`); a Parquet URL is refused (its reader follows redirects
   * itself). Default: any http(s) URL and target. Data, so worker threads and cluster workers apply the same
   * policy.
   */
  readonly redirectPrefixes?: readonly string[];
}

/** How a session opens one input file. */
export interface OpenOptions {
  readonly tree?: string;
  /** Overrides the session's `redirectPrefixes` (a morsel carries its own session's policy). */
  readonly redirectPrefixes?: readonly string[];
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
  /** Override the session's device choice for this query (`duckdb`: on the session's DuckDB, as SQL). */
  readonly device?: QueryDevice;
  /**
   * Named query parameters: a free name of the query (`lumi`, `xsec`, a sample's metadata) is bound to its
   * value here, at run time, as a literal in the plan — never by editing the query text.
   */
  readonly params?: Readonly<Record<string, ParameterValue>>;
  /** Override the session's cluster (a redis:// queue URL) for this query. */
  readonly cluster?: string;
  /**
   * false: run the query without the statistics stage written after it (`.Fit(config)`, …); the fileset route
   * runs each file so and the stage once on the merged histograms.
   */
  readonly stage?: boolean;
  /** Where a statistics stage's config given as a path is read (the HTTP server confines it to its roots). */
  readonly resolvePath?: (path: string) => string;
}

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
  /** What the pipeline ends in (rows, the selected events, a histogram, one value). */
  readonly sink: SinkKind;
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
  private readonly duckdb: SessionDuckdb;

  constructor(options: SessionOptions = {}) {
    this.options = options;
    this.gpu = new SessionGpu();
    this.functions = registerStatsFunctions(registerHepFunctions(new FunctionRegistry()));
    this.duckdb = new SessionDuckdb(() => this.sqlEngineNow(), this.functions);
  }

  /**
   * Open (once per session) a tree (or, failing that, an RNTuple) of a ROOT file, a Parquet file (by its
   * .parquet/.parq/.pq name), or generated events (`synthetic:adl?events=N&seed=S`); later queries over the same
   * file reuse it.
   */
  open(file: string, options: OpenOptions = {}): Promise<OpenTable> {
    const path = stripFileScheme(file);
    const tree = options.tree ?? this.options.tree;
    const redirectPrefixes = options.redirectPrefixes ?? this.options.redirectPrefixes;
    const io = redirectPrefixes === undefined ? undefined : { redirectPrefixes };
    const key = `${path}\u0000${tree ?? ''}\u0000${io ? JSON.stringify(redirectPrefixes) : ''}`;
    let t = this.tables.get(key);
    if (!t) {
      // parquet-wasm fetches a URL itself, following any redirect: it cannot be held to a policy.
      if (io && PARQUET.test(path) && /^https?:\/\//i.test(path))
        return Promise.reject(
          new HepqError('io/url-refused', `${path}: a Parquet URL cannot be read under a URL policy`, {
            location: { file: path },
            hint: 'its reader follows redirects itself: download the file, or read it without --allow-url-prefix',
          }),
        );
      t = path.startsWith(SYNTHETIC_PREFIX)
        ? Promise.resolve().then(() => new SyntheticTable(path))
        : PARQUET.test(path)
          ? openParquetTable(path)
          : openRootOrRNTupleTable(path, tree, io);
      this.tables.set(key, t);
      t.catch(() => this.tables.delete(key));
    }
    return t;
  }

  /** The table a query reads: one file's tree, or the union of the same tree over several files. */
  async table(
    files: readonly string[],
    tree?: string,
    redirectPrefixes?: readonly string[],
  ): Promise<ConnectorTable> {
    if (files.length === 0)
      throw new HepqError('query/no-files', 'the query names no input file', {
        hint: "pass files (hepq query 'QUERY' FILE…) or name them in the query: EventDataset('file.root')",
      });
    const open: OpenOptions = {
      ...(tree === undefined ? {} : { tree }),
      ...(redirectPrefixes === undefined ? {} : { redirectPrefixes }),
    };
    const parts = await Promise.all(files.map((f) => this.open(f, open)));
    return parts.length === 1 ? parts[0]! : new UnionTable(parts, files);
  }

  /** The schema of a file's tree (for completion, `.schema`, and SQL binding). */
  async schema(file: string, tree?: string): Promise<Schema> {
    return (await this.open(file, tree === undefined ? {} : { tree })).schema();
  }

  /** Plans of recently parsed query texts (plans are immutable): a query run over many files parses once. */
  private readonly parsedPlans = new Map<string, { plan: LogicalPlan; stage?: StatsStage }>();

  /** The query's plan (without a statistics stage after it: `stageOf` gives that). */
  private parse(text: string): LogicalPlan {
    return this.parseWithStage(text).plan;
  }

  private parseWithStage(text: string): { plan: LogicalPlan; stage?: StatsStage } {
    const hit = this.parsedPlans.get(text);
    if (hit) return hit;
    const parsed = parseQueryWithStage(text);
    if (this.parsedPlans.size >= 64) this.parsedPlans.delete(this.parsedPlans.keys().next().value!);
    this.parsedPlans.set(text, parsed);
    return parsed;
  }

  /** The statistics stage written after the query (`.Fit(config)`, `.HypoTest(mu, config)`, …), if any. */
  stageOf(text: string): StatsStage | undefined {
    return this.parseWithStage(text).stage;
  }

  /** Run a statistics stage on a query's histograms (see stats-stage.ts). */
  private async runStage(
    stage: StatsStage,
    result: QueryResult | HistogramSet | undefined,
    text: string,
    options: QueryOptions,
  ): Promise<QueryResult> {
    return runStatsStage(stage, stageHistograms(stage, result, text), {
      functions: this.functions,
      source: text,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.resolvePath ? { resolvePath: options.resolvePath } : {}),
    });
  }

  /** Parse, bind and type-check a func_adl or qastle query; throws a located HepqError on any mistake. */
  async prepare(text: string, options: QueryOptions = {}): Promise<PreparedQuery> {
    const parsed = this.parse(text);
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
    // The bound plan (every expression typed) is what the code generators, workers and cluster processes get.
    const analyzed = analyzePlan(optimized.plan, table.schema(), { source: text, functions: this.functions });
    const plan = analyzed.plan;
    const { columns, terminal } = compilePlan(plan, table.schema(), {
      functions: this.functions,
      source: text,
    });
    const sink: SinkKind = sinkKindOf(terminal);
    return { text, plan, original, trace: optimized.trace, analyzed, columns, table, files, sink };
  }

  private runOptions(p: PreparedQuery, options: QueryOptions, physical?: PhysicalPlan): RunOptions {
    return {
      source: p.text,
      functions: this.functions,
      ...(physical ? { filters: physical.scan.filters, sink: physical.sink } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      ...(options.range ? { range: options.range } : {}),
    };
  }

  /** Run a query to its whole result (rows, a value, or a histogram), where its physical plan places it. */
  async query(text: string, options: QueryOptions = {}): Promise<QueryResult> {
    const stage = options.stage === false ? undefined : this.stageOf(text);
    const result = await this.queryPlan(text, options);
    return stage ? this.runStage(stage, result, text, options) : result;
  }

  private async queryPlan(text: string, options: QueryOptions): Promise<QueryResult> {
    const p = await this.prepare(text, options);
    const physical = await this.physical(p, options);
    const target = physical.target;
    switch (target.kind) {
      case 'duckdb': {
        const r = await this.duckdb.run(p, target.sql, options.signal);
        const { start, stop } = physical.scan.range;
        options.onProgress?.({ done: stop - start, total: stop - start, unit: 'events' });
        return r;
      }
      case 'gpu': {
        const g = await this.gpu.run(gpuChoice(this.deviceChoice(options)), p.plan, p.table, this.functions, {
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.range ? { range: options.range } : {}),
        });
        if (g.result) {
          const { start, stop } = physical.scan.range;
          options.onProgress?.({ done: stop - start, total: stop - start, unit: 'events' });
          // The device's result is one partial (the whole range): the sink finalizes it as any other.
          return sinkFor(physical.sink, reduceOpOf(p.plan)).finalize(g.result);
        }
        break; // the device declined at run time: this thread runs it
      }
      case 'threads':
        return this.runParallel(p, physical, target.threads, target.morsels, options);
      case 'cluster':
        return this.runCluster(p, physical, target.url, target.morsels, options);
      case 'thread':
        break;
    }
    return executePlan(p.plan, withProgress(p.table, options), this.runOptions(p, options, physical));
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
    const fs = typeof fileset === 'string' ? loadFileset(fileset) : fileset;
    const stage = options.stage === false ? undefined : this.stageOf(text);
    const r = await queryFileset(this, text, fs, { ...options, stage: false });
    // A statistics stage runs once, on the histograms of all datasets merged.
    return stage ? { ...r, stats: await this.runStage(stage, r.histograms, text, options) } : r;
  }

  private deviceChoice(options: QueryOptions): QueryDevice {
    return options.device ?? this.options.device ?? 'auto';
  }

  /**
   * Lower a prepared query to its physical plan (planner/physical `place`): the scan, the pipeline, the sink and
   * the target with its reason — the one decision of where the query runs. The GPU is asked for its estimate
   * only when the plan says it could pay (or it is forced).
   */
  async physical(p: PreparedQuery, options: QueryOptions = {}, forceThread?: string): Promise<PhysicalPlan> {
    const minBytes = this.options.parallelMinBytes;
    const input: PlaceInput = {
      plan: p.plan,
      table: p.table,
      files: p.files,
      columns: p.columns,
      sink: p.sink,
      functions: this.functions,
      ...(options.range ? { range: options.range } : {}),
      threads: options.threads ?? this.options.threads ?? availableParallelism(),
      workers: {
        warm: this.pool !== undefined && performance.now() - this.poolUsed < this.workerIdleMs,
        available: queryWorkerUrl() !== undefined,
        ...(minBytes !== undefined ? { minBytes } : {}),
      },
      device: this.deviceChoice(options),
      ...(forceThread ? { forceThread } : {}),
    };
    const cluster = options.cluster ?? this.options.cluster;
    if (cluster) {
      const min = this.options.clusterMinBytes;
      Object.assign(input, {
        cluster: {
          url: cluster,
          workers: await (await this.clusterClient(cluster)).workers(),
          ...(min !== undefined ? { minBytes: min } : {}),
        },
      });
    }
    // DuckDB is a candidate under auto (its estimate rarely wins) and when asked for; its statement's source is
    // the real one (a Parquet file's layout asked of DuckDB) only once it is the target.
    const device = input.device;
    if ((device === 'duckdb' || device === 'auto') && !forceThread)
      Object.assign(input, { duckdb: await this.duckdb.candidate(p, options.range, device === 'duckdb') });
    let first = place(input);
    if (first.target.kind === 'duckdb' && device !== 'duckdb')
      first = place({ ...input, duckdb: await this.duckdb.candidate(p, options.range, true) });
    if (!first.consultGpu) return first;
    return place({ ...input, gpu: await this.gpu.place(gpuChoice(input.device!), p.plan, p.table) });
  }

  private async runParallel(
    p: PreparedQuery,
    physical: PhysicalPlan,
    threads: number,
    parts: ReadonlyArray<{ readonly start: number; readonly stop: number }>,
    options: QueryOptions,
  ): Promise<QueryResult> {
    if (!this.pool || this.pool.size !== threads) {
      await this.pool?.close();
      this.pool = new WorkerPool(queryWorkerUrl()!, threads, this.workerIdleMs);
    }
    const pool = this.pool;
    this.poolUsed = performance.now();
    const total = parts.reduce((a, m) => a + (m.stop - m.start), 0);
    let done = 0;
    options.onProgress?.({ done, total, unit: 'events' });
    try {
      // Every morsel settles before an error is reported, so the error is the one of the first failing event in
      // entry order, as on one thread — not whichever worker happened to fail first.
      const settled = await Promise.allSettled(
        parts.map(async (range) => {
          const r = await pool.run<QueryResult>(
            morselTask(p, physical, range, options, this.options.redirectPrefixes),
            options.signal,
          );
          done += range.stop - range.start;
          options.onProgress?.({ done, total, unit: 'events' });
          return r;
        }),
      );
      this.poolUsed = performance.now();
      const failed = settled.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      return combineFinal(
        p,
        physical,
        settled.map((r) => (r as PromiseFulfilledResult<QueryResult>).value),
      );
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

  private clusters = new Map<string, Promise<ClusterClient>>();

  /** The queue client of a cluster (BullMQ is loaded only by sessions that use one). */
  private clusterClient(url: string): Promise<ClusterClient> {
    let c = this.clusters.get(url);
    if (!c) {
      c = import('./cluster/client.js').then((m) => new m.ClusterClient(url));
      this.clusters.set(url, c);
    }
    return c;
  }

  /** Run the morsels as jobs on the cluster's workers and merge their partial results in entry order. */
  private async runCluster(
    p: PreparedQuery,
    physical: PhysicalPlan,
    url: string,
    parts: ReadonlyArray<{ readonly start: number; readonly stop: number }>,
    options: QueryOptions,
  ): Promise<QueryResult> {
    const total = parts.reduce((a, m) => a + (m.stop - m.start), 0);
    let done = 0;
    options.onProgress?.({ done, total, unit: 'events' });
    const tasks = parts.map((range) =>
      morselTask(p, physical, range, options, this.options.redirectPrefixes),
    );
    const results = await (await this.clusterClient(url)).run(tasks, {
      ...(options.signal ? { signal: options.signal } : {}),
      onMorsel: (n) => {
        done += n;
        options.onProgress?.({ done, total, unit: 'events' });
      },
    });
    return combineFinal(p, physical, results);
  }

  /** Stream a rows query batch by batch. */
  async stream(text: string, options: QueryOptions = {}): Promise<BatchStream> {
    const p = await this.prepare(text, options);
    return streamPlan(p.plan, withProgress(p.table, options), this.runOptions(p, options));
  }

  /** How the query will run: the logical plan, the columns read and their bytes, pushed filters, batching. */
  async explain(text: string, options: QueryOptions = {}): Promise<string> {
    const p = await this.prepare(text, options);
    return explainQuery(p, await this.physical(p, options), this.functions);
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
    const physical = await this.physical(
      p,
      options,
      'explain analyze runs on one thread to count rows per stage',
    );
    return `${explainQuery(p, physical, this.functions)}\n${explainAnalyzed(p, profile, ms, result)}`;
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
    await Promise.all(
      [...this.clusters.values()].map(async (c) => (await c.catch(() => undefined))?.close()),
    );
    this.clusters.clear();
    const open = [...this.tables.values()];
    this.tables.clear();
    await Promise.all(open.map(async (t) => (await t.catch(() => undefined))?.close()));
  }
}

/** The GPU's device choice of a query's (DuckDB never opens a GPU). */
function gpuChoice(d: QueryDevice): DeviceChoice {
  return d === 'duckdb' ? 'cpu' : d;
}

/** The morsels' partial results (in entry order) combined and finalized by the sink the physical plan names. */
function combineFinal(p: PreparedQuery, physical: PhysicalPlan, parts: readonly QueryResult[]): QueryResult {
  const sink = sinkFor(physical.sink, reduceOpOf(p.plan));
  return sink.finalize(sink.combine(parts));
}

/** One morsel of a prepared query: its entry range of the plan as placed, for a worker thread or a cluster worker. */
function morselTask(
  p: PreparedQuery,
  physical: PhysicalPlan,
  range: { readonly start: number; readonly stop: number },
  options: QueryOptions,
  redirectPrefixes: readonly string[] | undefined,
): MorselTask {
  return {
    text: p.text,
    plan: p.plan,
    files: p.files,
    tree: p.table.name,
    range,
    filters: physical.scan.filters,
    sink: physical.sink,
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    ...(redirectPrefixes === undefined ? {} : { redirectPrefixes }),
  };
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
