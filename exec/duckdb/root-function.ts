/**
 * `root(file, tree)`: a ROOT tree as a DuckDB table function. Bind reports the columns (branches and
 * NanoAOD groups, see root-source.ts); DuckDB's projection pushdown tells init which columns the query
 * needs, and only their branches are read (by the engine, before the statement runs again — see
 * deferred.ts). The scan then copies whole vectors from the loaded columns.
 */

import { DuckDBTableFunction, VARCHAR } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import type { ConnectorTable } from '../../connectors/api.js';
import { type Column, type DataType, HepqError } from '../batch/index.js';
import { type DeferredWork, PENDING } from './deferred.js';
import { duckType, writeColumn } from './duck-types.js';
import { RootSource, type SqlColumn } from './root-source.js';

/** Where files come from: path checks (data roots) and the session's table cache. */
export interface FileAccess {
  /** The path to open for a file named in SQL; throws (a HepqError) for a file the caller may not read. */
  resolve(file: string): string;
  /** Open a tree of a ROOT file (or any table the session's connectors open). */
  openTable(path: string, tree?: string): Promise<ConnectorTable>;
}

interface BindData {
  readonly source: RootSource;
  readonly connection: number;
  readonly key: string;
}

interface ScanState {
  next: number;
  readonly columns: readonly Column[];
  readonly types: readonly DataType[];
}

const VECTOR = 2048;

/** Sources opened so far, by resolved path and tree; the least recently used go when their branches exceed the budget. */
export class RootSources {
  private readonly sources = new Map<string, RootSource>();

  constructor(private readonly maxBytes = 2 * 1024 ** 3) {}

  get(key: string): RootSource | undefined {
    const s = this.sources.get(key);
    if (s) {
      this.sources.delete(key);
      this.sources.set(key, s);
    }
    return s;
  }

  /** Forget least recently used sources (scans under way keep their columns) until the rest fit the budget. */
  trim(): void {
    let total = 0;
    for (const s of this.sources.values()) total += s.bytes();
    for (const [key, s] of this.sources) {
      if (total <= this.maxBytes || this.sources.size <= 1) break;
      total -= s.bytes();
      this.sources.delete(key);
    }
  }

  async open(key: string, path: string, tree: string | undefined, files: FileAccess): Promise<void> {
    if (this.sources.has(key)) return;
    const table = await files.openTable(path, tree);
    if (!this.sources.has(key)) this.sources.set(key, new RootSource(path, table));
  }

  clear(): void {
    this.sources.clear();
  }
}

export function rootTableFunction(
  files: FileAccess,
  sources: RootSources,
  deferred: DeferredWork,
): DuckDBTableFunction {
  return DuckDBTableFunction.create({
    // Called through the table macro hepq.root(file[, tree]) (HEP_MACROS), which gives the one-argument form.
    name: 'hepq_root',
    parameterTypes: [VARCHAR, VARCHAR],
    supportsProjectionPushdown: true,
    bindFunction: (info) => {
      const connection = info.clientContext.connectionId;
      const file = info.getParameter(0);
      const treeArg = info.getParameter(1);
      if (typeof file !== 'string' || file === '') {
        info.setError('root(file, tree): the file must be a non-empty string');
        return;
      }
      const tree = typeof treeArg === 'string' && treeArg !== '' ? treeArg : undefined;
      let path: string;
      try {
        path = files.resolve(file);
      } catch (e) {
        deferred.fail(connection, e as Error);
        info.setError((e as Error).message);
        return;
      }
      const key = `${path}\u0000${tree ?? ''}`;
      const source = sources.get(key);
      if (!source) {
        deferred.add(connection, `open:${key}`, () => sources.open(key, path, tree, files));
        info.setError(PENDING);
        return;
      }
      if (source.columns.length === 0) {
        const e = new HepqError(
          'sql/no-columns',
          `${file}: tree ${source.table.name} has no branch readable as a column`,
          {
            location: { file: path, object: source.table.name },
            hint: 'hepq inspect FILE lists the branches and their types',
          },
        );
        deferred.fail(connection, e);
        info.setError(e.message);
        return;
      }
      for (const c of source.columns) info.addResultColumn(c.name, duckType(c.type));
      info.setCardinality(source.entries, true);
      info.setBindData({ source, connection, key } satisfies BindData);
    },
    initFunction: (info) => {
      const { source, connection, key } = info.bindData as BindData;
      const wanted: SqlColumn[] = [];
      for (const i of info.getColumnIndexes()) {
        const c = source.columns[i];
        if (!c) {
          info.setError(`root(): DuckDB asked for column ${i}, which the tree does not have`);
          return;
        }
        wanted.push(c);
      }
      const missing = source.missing(wanted);
      if (missing.length) {
        deferred.add(connection, `read:${key}:${missing.join(',')}`, async (signal, progress) => {
          await source.load(missing, signal, progress);
          sources.trim();
        });
        info.setError(PENDING);
        return;
      }
      info.setMaxThreads(1);
      try {
        info.setInitData({
          next: 0,
          columns: source.entries === 0 ? [] : wanted.map((c) => source.column(c)),
          types: wanted.map((c) => c.type),
        } satisfies ScanState);
      } catch (e) {
        info.setError(e instanceof Error ? e.message : String(e));
      }
    },
    mainFunction: (info, output) => {
      const state = info.initData as ScanState;
      const { source } = info.bindData as BindData;
      const count = Math.max(0, Math.min(VECTOR, source.entries - state.next));
      duckdb.data_chunk_set_size(output.chunk, count);
      if (count === 0) return;
      state.columns.forEach((column, k) => {
        writeColumn(
          duckdb.data_chunk_get_vector(output.chunk, k),
          column,
          state.types[k]!,
          state.next,
          count,
        );
      });
      state.next += count;
    },
  });
}
