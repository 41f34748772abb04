/**
 * The composition root: a Session owns the function registry and the opened tables, and runs queries.
 * The CLI, the REPL and the HTTP servers all drive a Session; nothing below this file knows about them.
 */
import type { ConnectorTable, ScanOptions } from '../connectors/api.js';
import { openRootTable, type RootTable } from '../connectors/root/index.js';
import { UnionTable } from '../connectors/union-table.js';
import { type BatchStream, HepqError, type Schema } from '../exec/batch/index.js';
import { executePlan, type QueryResult, type RunOptions, streamPlan } from '../exec/index.js';
import { type AnalyzedPlan, analyzePlan } from '../planner/analyze/index.js';
import { type LogicalPlan, planChain } from '../planner/ir/index.js';
import { parseQuery } from '../query/index.js';
import { registerStatsFunctions } from '../stats/index.js';
import { FunctionRegistry } from '../udfs/api.js';
import { registerHepFunctions } from '../udfs/hep/index.js';
import { explainQuery } from './explain.js';

/** Progress of a running query: entries scanned so far of the total the scan will visit. */
export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly unit: 'events';
}

export interface SessionOptions {
  /** Tree read when a query names none and a file holds several (default: the file's only or conventional tree). */
  readonly tree?: string;
}

export interface QueryOptions {
  /** Input files (local paths or http(s) URLs); default: the files the query's dataset names. */
  readonly files?: readonly string[];
  readonly tree?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: Progress) => void;
  readonly batchSize?: number;
  readonly range?: ScanOptions['range'];
}

/** A query parsed, bound to its input table and type-checked: what `explain` shows and `query` runs. */
export interface PreparedQuery {
  readonly text: string;
  readonly plan: LogicalPlan;
  readonly analyzed: AnalyzedPlan;
  readonly table: ConnectorTable;
  readonly files: readonly string[];
}

const stripFileScheme = (f: string) => (f.startsWith('file://') ? decodeURIComponent(f.slice(7)) : f);

export class Session {
  readonly functions: FunctionRegistry;
  private readonly options: SessionOptions;
  private readonly tables = new Map<string, Promise<RootTable>>();

  constructor(options: SessionOptions = {}) {
    this.options = options;
    this.functions = registerStatsFunctions(registerHepFunctions(new FunctionRegistry()));
  }

  /** Open (once per session) a tree of a ROOT file; later queries over the same file reuse it. */
  open(file: string, options: { tree?: string } = {}): Promise<RootTable> {
    const path = stripFileScheme(file);
    const tree = options.tree ?? this.options.tree;
    const key = `${path}\u0000${tree ?? ''}`;
    let t = this.tables.get(key);
    if (!t) {
      t = openRootTable(path, tree);
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
    const plan = parseQuery(text);
    const source = planChain(plan).at(-1);
    const named = source?.kind === 'source' ? source.files : [];
    const files = options.files?.length ? options.files : named;
    const tree = options.tree ?? (source?.kind === 'source' ? source.tree : undefined);
    const table = await this.table(files, tree);
    const analyzed = analyzePlan(plan, table.schema(), { source: text, functions: this.functions });
    return { text, plan, analyzed, table, files };
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

  /** Run a query to its whole result (rows, a value, or a histogram). */
  async query(text: string, options: QueryOptions = {}): Promise<QueryResult> {
    const p = await this.prepare(text, options);
    return executePlan(p.plan, withProgress(p.table, options), this.runOptions(p, options));
  }

  /** Stream a rows query batch by batch. */
  async stream(text: string, options: QueryOptions = {}): Promise<BatchStream> {
    const p = await this.prepare(text, options);
    return streamPlan(p.plan, withProgress(p.table, options), this.runOptions(p, options));
  }

  /** How the query will run: the logical plan, the columns read and their bytes, pushed filters, batching. */
  async explain(text: string, options: QueryOptions = {}): Promise<string> {
    return explainQuery(await this.prepare(text, options), options);
  }

  async close(): Promise<void> {
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
