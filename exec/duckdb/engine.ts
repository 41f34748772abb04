/**
 * The SQL engine: an embedded DuckDB (no extension downloads) with hepq's table functions (`root`, the
 * stats functions, func_adl results) and HEP macros. `run` executes a script statement by statement on one
 * connection and returns the last statement's rows; errors come back as located HepqErrors.
 */
import {
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBPreparedStatement,
  StatementType,
} from '@duckdb/node-api';
import type { FunctionRegistry } from '../../udfs/api.js';
import { HepqError } from '../batch/index.js';
import { arrowTableFunction } from './arrow-function.js';
import { DeferredWork } from './deferred.js';
import { locateFileError, sqlError } from './errors.js';
import { HEP_MACROS, SEARCH_PATH } from './hep-macros.js';
import { enableProgress, pollProgress, type SqlProgress } from './progress.js';
import { resultChunks, type SqlChunk, type SqlResult, type SqlStream, sqlResult } from './result.js';
import { sqlSchema } from './result-batch.js';
import { type FileAccess, RootSources, rootTableFunction } from './root-function.js';
import { builtinFunctions, checkSandboxed, type SandboxPolicy, sandboxPolicy } from './sandbox.js';
import { registerJsMath, registerScalarFunctions } from './scalar-functions.js';
import { splitStatements } from './split.js';

export interface SqlEngineOptions {
  readonly files: FileAccess;
  /** Its scalar functions become SQL functions (the HEP macros call them), its stats table functions SQL table functions. */
  readonly registry: FunctionRegistry;
  /**
   * What the composition root adds to each engine (the stats table functions, `func_adl(query, files)`, …):
   * called once on the first connection, after the registry's scalar functions and before the HEP macros.
   */
  readonly extend?: (con: DuckDBConnection, context: ExtensionContext, deferred: DeferredWork) => void;
  /**
   * Server mode: DuckDB may read files only under these directories (`enable_external_access=false`,
   * `allowed_directories`, configuration locked), and only read-only statements run.
   */
  readonly sandbox?: { readonly allowedDirectories: readonly string[] };
  readonly threads?: number;
  /** Memory for branches read by root(), kept across queries (default 2 GiB; least recently used files go first). */
  readonly cacheBytes?: number;
}

/** What an extension may use of the engine. */
export interface ExtensionContext {
  readonly registry: FunctionRegistry;
  readonly files: FileAccess;
  /** Run SQL on the calling statement's connection (between its attempts): its rows as objects. */
  readonly runSql: (connection: number, sql: string) => Promise<Array<Record<string, unknown>>>;
  /** A server's sandbox (`cluster :=` and other ways out are refused). */
  readonly sandboxed: boolean;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** Refuse results with more rows than this. */
  readonly maxRows?: number;
  /** DuckDB's progress (rows scanned of the rows to scan), polled while the statements run. */
  readonly onProgress?: (p: SqlProgress) => void;
}

/**
 * Statement types a sandboxed (server) client may run: SELECT only (EXPLAIN ANALYZE would execute its
 * statement, a CREATE TABLE included).
 */
const READ_ONLY = new Set<StatementType>([StatementType.SELECT]);
const MAX_RETRIES = 8;
/** The allow-list's memory of passed scripts: this many, each at most this long. */
const MAX_REMEMBERED = 1024;
const MAX_REMEMBERED_TEXT = 8192;

export class SqlEngine {
  private readonly idle: DuckDBConnection[] = [];
  private readonly deferred = new DeferredWork();
  private readonly sources: RootSources;
  /** Server mode: what a statement may call (checked on DuckDB's parse before it is bound). */
  private policy: SandboxPolicy | undefined;
  /** Scripts that passed the policy (it never changes), most recent last: repeated queries skip the check. */
  private readonly allowed = new Map<string, true>();
  private closed = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly options: SqlEngineOptions,
  ) {
    this.sources = new RootSources(options.cacheBytes);
  }

  static async create(options: SqlEngineOptions): Promise<SqlEngine> {
    const config: Record<string, string> = {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      threads: String(options.threads ?? 2),
    };
    const instance = await DuckDBInstance.create(':memory:', config);
    const engine = new SqlEngine(instance, options);
    const con = await instance.connect();
    const builtins = options.sandbox ? await builtinFunctions(con) : [];
    con.registerTableFunction(rootTableFunction(options.files, engine.sources, engine.deferred));
    con.registerTableFunction(arrowTableFunction(options.files, engine.deferred));
    registerScalarFunctions(con, options.registry);
    registerJsMath(con);
    options.extend?.(
      con,
      {
        registry: options.registry,
        files: options.files,
        runSql: (id, text) => engine.runOnConnection(id, text),
        sandboxed: options.sandbox !== undefined,
      },
      engine.deferred,
    );
    for (const macro of HEP_MACROS) await con.run(macro);
    await con.run(SEARCH_PATH);
    if (options.sandbox) {
      engine.policy = await sandboxPolicy(con, builtins);
      // A trailing slash: DuckDB compares prefixes, and /data must not admit /data2.
      const dirs = options.sandbox.allowedDirectories
        .map((d) => `'${(d.endsWith('/') ? d : `${d}/`).replace(/'/g, "''")}'`)
        .join(', ');
      await con.run(`SET allowed_directories = [${dirs}]`);
      await con.run('SET enable_external_access = false');
      await con.run('SET lock_configuration = true');
    }
    engine.idle.push(con);
    return engine;
  }

  /** Connections by id, so a table function's deferred work can run SQL on its own statement's connection. */
  private readonly live = new Map<number, DuckDBConnection>();

  private async acquire(): Promise<DuckDBConnection> {
    if (this.closed) throw new HepqError('sql/closed', 'the SQL engine is closed');
    const idle = this.idle.pop();
    const con = idle ?? (await this.instance.connect());
    if (!idle) await con.run(SEARCH_PATH); // a local setting: allowed after lock_configuration
    this.live.set(con.clientContext.connectionId, con);
    return con;
  }

  /**
   * Run one query on the connection `id` between two attempts of its own statement (the statement has
   * failed with PENDING and holds nothing): what `histfactory_fit_from('SELECT …')` reads its rows with, so
   * temporary views and tables of that connection are visible. Rows as objects of plain JS values.
   */
  async runOnConnection(id: number, sql: string): Promise<Array<Record<string, unknown>>> {
    const con = this.live.get(id);
    if (!con) throw new HepqError('sql/internal', 'internal: no connection for a deferred query');
    const reader = await this.retry(con, undefined, sql, 0, () => con.runAndReadAll(sql));
    return reader.getRowObjectsJS() as Array<Record<string, unknown>>;
  }

  private release(con: DuckDBConnection): void {
    if (this.closed || this.idle.length >= 64) {
      this.live.delete(con.clientContext.connectionId);
      con.closeSync();
    } else this.idle.push(con);
  }

  /** Run a script (one or more statements); the result is the last statement's rows. */
  async run(sql: string, options: RunOptions = {}): Promise<SqlResult> {
    const stream = await this.stream(sql, options);
    const chunks: SqlChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    return sqlResult(stream.names, stream.types, stream.schema, chunks);
  }

  /**
   * Run a script and stream the last statement's rows chunk by chunk (the statements before it run to the
   * end first). Errors up to the first chunk are thrown here; the connection is held until the stream is
   * read to its end or closed.
   */
  async stream(sql: string, options: RunOptions = {}): Promise<SqlStream> {
    const con = await this.acquire();
    const signal = options.signal;
    const onAbort = () => con.interrupt();
    signal?.addEventListener('abort', onAbort);
    let prepared: DuckDBPreparedStatement | undefined;
    let done = false;
    const stopProgress =
      options.onProgress && (await enableProgress(con)) ? pollProgress(con, options.onProgress) : undefined;
    const finish = (interrupt: boolean) => {
      if (done) return;
      done = true;
      stopProgress?.();
      if (interrupt) con.interrupt();
      prepared?.destroySync();
      signal?.removeEventListener('abort', onAbort);
      this.release(con);
    };
    const cancelled = (e: unknown) =>
      signal?.aborted ? new HepqError('sql/cancelled', 'the query was cancelled', { cause: e }) : e;
    try {
      signal?.throwIfAborted();
      const texts = splitStatements(sql);
      // One statement (the common case) is prepared directly; a script is cut by DuckDB's parser, and our
      // statement texts are used (for their error messages) only where the counts agree.
      const extracted =
        texts.length === 1
          ? undefined
          : await con.extractStatements(sql).catch((e) => {
              throw sqlError(e, sql);
            });
      const count = extracted ? extracted.count : 1;
      if (count === 0) throw new HepqError('sql/empty', 'the SQL text holds no statement');
      const own = texts.length === count;
      if (this.policy && !this.allowed.delete(sql)) {
        for (const part of own ? texts : [{ text: sql, start: 0 }])
          await checkSandboxed(con, part, sql, this.policy);
      }
      if (this.policy && sql.length <= MAX_REMEMBERED_TEXT) {
        this.allowed.set(sql, true);
        if (this.allowed.size > MAX_REMEMBERED) this.allowed.delete(this.allowed.keys().next().value!);
      }
      for (let i = 0; ; i++) {
        const at = own ? texts[i]!.start : 0;
        prepared = await this.retry(
          con,
          signal,
          sql,
          at,
          () => (own ? con.prepare(texts[i]!.text) : extracted!.prepare(i)),
          options.onProgress,
        );
        let statement = prepared;
        if (this.options.sandbox && !READ_ONLY.has(statement.statementType))
          throw new HepqError(
            'sql/forbidden-statement',
            `only SELECT queries may run here, not a ${StatementType[statement.statementType]} statement`,
            {
              source: sql,
              span: { start: at, end: at + (own ? texts[i]!.text.length : sql.length) },
              hint: 'statements that write, attach, install or configure are refused by this server',
            },
          );
        let attempt = 0;
        const { result, first } = await this.retry(
          con,
          signal,
          sql,
          at,
          async () => {
            // A statement that binds its table functions only when it runs (CREATE TABLE … AS SELECT … FROM
            // root(…)) is left unusable by a failed bind: each retry runs a freshly prepared copy.
            if (attempt++ > 0) {
              statement.destroySync();
              prepared = undefined;
              statement = await (own ? con.prepare(texts[i]!.text) : extracted!.prepare(i));
              prepared = statement;
            }
            const result = await statement.stream();
            return { result, first: await result.fetchChunk() };
          },
          options.onProgress,
        );
        if (i < count - 1) {
          if (first && first.rowCount > 0)
            while ((await result.fetchChunk())?.rowCount) signal?.throwIfAborted();
          statement.destroySync();
          prepared = undefined;
          continue;
        }
        const names = result.columnNames();
        const types = result.columnTypes();
        const schema = sqlSchema(names, types);
        const chunks = resultChunks(result, first, schema, options.maxRows, signal, sql);
        return {
          names,
          types,
          schema,
          async *[Symbol.asyncIterator]() {
            let ok = false;
            try {
              yield* chunks;
              ok = true;
            } catch (e) {
              throw cancelled(e);
            } finally {
              finish(!ok);
            }
          },
          close: () => finish(true),
        };
      }
    } catch (e) {
      finish(false);
      throw cancelled(e);
    }
  }

  /** Run `step`; when a table function asked for input, load it and run the step again. */
  private async retry<T>(
    con: DuckDBConnection,
    signal: AbortSignal | undefined,
    sql: string,
    offset: number,
    step: () => Promise<T>,
    onProgress?: (p: SqlProgress) => void,
  ): Promise<T> {
    const id = con.clientContext.connectionId;
    for (let attempt = 0; ; attempt++) {
      try {
        const out = await step();
        this.deferred.take(id);
        this.deferred.takeError(id);
        return out;
      } catch (e) {
        const tasks = this.deferred.take(id);
        const own = this.deferred.takeError(id);
        if (own instanceof HepqError) throw locateFileError(own, sql, offset);
        // Tasks recorded on this connection during the failed step are its own (one statement at a time).
        if (tasks.length === 0 || attempt >= MAX_RETRIES) throw sqlError(e, sql, offset);
        // The tasks' reads as one bar: entries read of the entries to read, summed over the tasks.
        const reads = tasks.map(() => ({ done: 0, total: 0 }));
        const report = onProgress
          ? (k: number) => (done: number, total: number) => {
              reads[k] = { done, total };
              const sum = reads.reduce((a, r) => ({ done: a.done + r.done, total: a.total + r.total }), {
                done: 0,
                total: 0,
              });
              if (sum.total > 0) onProgress({ ...sum, unit: 'entries' });
            }
          : undefined;
        await Promise.all(tasks.map((t, k) => t(signal, report?.(k)))).catch((x) => {
          throw locateFileError(x, sql, offset);
        });
        signal?.throwIfAborted();
      }
    }
  }

  /** Forget the files opened so far (their branches are read again on next use). */
  clearCache(): void {
    this.sources.clear();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const con of this.idle.splice(0)) con.closeSync();
    this.sources.clear();
    this.instance.closeSync();
  }
}

export type { DuckDBPreparedStatement };
