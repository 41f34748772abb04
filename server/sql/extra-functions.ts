/**
 * Table functions whose rows come from async JS work, made callable from SQL: the registry's table
 * functions (HistFactory `histfactory_fit`, `hypotest`, `upper_limit` over a workspace file or JSON), and
 * `func_adl(query, files)` (a path or a glob), the rows of a func_adl/qastle query. The work runs before the statement (see
 * deferred.ts) and its rows are kept by arguments for the session.
 */

import {
  DOUBLE,
  type DuckDBConnection,
  DuckDBTableFunction,
  type DuckDBTableFunctionBindInfo,
  type DuckDBType,
  VARCHAR,
} from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import type { MetadataValue } from '../../connectors/index.js';
import { type Batch, type BatchStream, type Column, HepqError, type Schema } from '../../exec/batch/index.js';
import type { FileAccess } from '../../exec/duckdb/index.js';
import { type DeferredWork, duckType, PENDING, writeColumn } from '../../exec/duckdb/index.js';
import { buildWorkspace, type StatsFunctionArgs } from '../../stats/index.js';
import type { FunctionRegistry } from '../../udfs/api.js';
import { resultBatch } from '../output/encode.js';
import { expandGlob } from '../transform/dataset.js';
import { builderConfigArg, filesetRows, histogramRowsOf, paramsArg, type Rows } from './analysis-args.js';
import { STATS_WORKER_AVAILABLE, statsOffThread } from './stats-job.js';

export interface ExtraFunctions {
  /** Scalar functions become SQL functions, table functions SQL table functions. */
  readonly registry: FunctionRegistry;
  /** Run a func_adl or qastle query over files: its rows as one batch (no selection). */
  readonly runQuery?: (
    query: string,
    files: readonly string[],
    tree?: string,
    params?: Readonly<Record<string, MetadataValue>>,
  ) => Promise<Batch>;
  /** Run a SQL query on the calling statement's connection (between its attempts): its rows as objects. */
  readonly runSql?: (connection: number, sql: string) => Promise<Array<Record<string, unknown>>>;
  readonly files: FileAccess;
  /** A server's sandbox: `cluster :=` (a queue URL the server would connect to) is refused. */
  readonly sandboxed?: boolean;
}

const MAX_CACHED = 64;

class RowsCache {
  private readonly rows = new Map<string, Rows>();
  get(key: string): Rows | undefined {
    return this.rows.get(key);
  }
  delete(key: string): void {
    this.rows.delete(key);
  }
  set(key: string, rows: Rows): void {
    if (this.rows.size >= MAX_CACHED) this.rows.delete(this.rows.keys().next().value!);
    this.rows.set(key, rows);
  }
}

async function collect(stream: BatchStream): Promise<Rows> {
  const batches: Batch[] = [];
  for await (const b of stream) batches.push(b);
  return resultBatch(stream.schema, batches);
}

interface Spec {
  readonly name: string;
  readonly parameters: readonly DuckDBType[];
  readonly named?: Readonly<Record<string, DuckDBType>>;
  /** The cache key and, when known before running, the output schema. */
  bind(info: DuckDBTableFunctionBindInfo): {
    key: string;
    schema?: Schema;
    compute: (signal?: AbortSignal) => Promise<Rows>;
  };
  /** Rows depend on tables that may change: computed for one statement, dropped from the cache once read. */
  readonly oneShot?: boolean;
}

interface BindData {
  readonly key: string;
  readonly schema: Schema;
  readonly connection: number;
  readonly compute: (signal?: AbortSignal) => Promise<Rows>;
}

interface State {
  next: number;
  readonly rows: Rows;
  readonly indexes: readonly number[];
}

function rowsFunction(spec: Spec, cache: RowsCache, deferred: DeferredWork): DuckDBTableFunction {
  return DuckDBTableFunction.create({
    name: spec.name,
    parameterTypes: spec.parameters,
    ...(spec.named ? { namedParameterTypes: spec.named } : {}),
    supportsProjectionPushdown: true,
    bindFunction: (info) => {
      const connection = info.clientContext.connectionId;
      let bound: ReturnType<Spec['bind']>;
      try {
        bound = spec.bind(info);
      } catch (e) {
        if (e instanceof Error) deferred.fail(connection, e);
        info.setError(e instanceof Error ? e.message : String(e));
        return;
      }
      const { key, compute } = bound;
      const schema = bound.schema ?? cache.get(key)?.schema;
      if (!schema) {
        deferred.add(connection, key, async (signal) => cache.set(key, await compute(signal)));
        info.setError(PENDING);
        return;
      }
      for (const f of schema.fields) info.addResultColumn(f.name, duckType(f.type));
      info.setBindData({ key, schema, connection, compute } satisfies BindData);
    },
    initFunction: (info) => {
      const { key, connection, compute } = info.bindData as BindData;
      const rows = cache.get(key);
      if (!rows) {
        deferred.add(connection, key, async (signal) => cache.set(key, await compute(signal)));
        info.setError(PENDING);
        return;
      }
      if (spec.oneShot) cache.delete(key);
      info.setMaxThreads(1);
      info.setInitData({ next: 0, rows, indexes: info.getColumnIndexes() } satisfies State);
    },
    mainFunction: (info, output) => {
      const state = info.initData as State;
      const count = Math.max(0, Math.min(2048, state.rows.length - state.next));
      duckdb.data_chunk_set_size(output.chunk, count);
      if (count === 0) return;
      state.indexes.forEach((c, k) => {
        const v = duckdb.data_chunk_get_vector(output.chunk, k);
        writeColumn(v, state.rows.columns[c]!, state.rows.schema.fields[c]!.type, state.next, count);
      });
      state.next += count;
    },
  });
}

const str = (info: DuckDBTableFunctionBindInfo, name: string): string | undefined => {
  const v = info.getNamedParameter(name);
  return v === null ? undefined : String(v);
};
const num = (info: DuckDBTableFunctionBindInfo, name: string): number | undefined => {
  const v = info.getNamedParameter(name);
  return v === null ? undefined : Number(v);
};

/** Register the registry's scalar and table functions and `func_adl` on a connection (they are global). */
export function registerExtraFunctions(
  con: DuckDBConnection,
  extra: ExtraFunctions,
  deferred: DeferredWork,
): void {
  const cache = new RowsCache();
  const files = extra.files;
  for (const name of ['histfactory_fit', 'hypotest', 'upper_limit']) {
    let tf: ReturnType<FunctionRegistry['table']>;
    try {
      tf = extra.registry.table(name);
    } catch {
      continue;
    }
    const spec: Spec = {
      name,
      parameters: [VARCHAR],
      named: { mu: DOUBLE, level: DOUBLE, patch: VARCHAR, patch_name: VARCHAR, test_stat: VARCHAR },
      bind(info) {
        const ws = String(info.getParameter(0));
        const workspace = ws.trimStart().startsWith('{') ? ws : files.resolve(ws);
        const patchArg = str(info, 'patch');
        const patch =
          patchArg === undefined
            ? undefined
            : patchArg.trimStart().startsWith('[')
              ? JSON.parse(patchArg)
              : files.resolve(patchArg);
        const testStat = str(info, 'test_stat');
        if (testStat !== undefined && testStat !== 'q' && testStat !== 'qtilde')
          throw new HepqError(
            'sql/bad-argument',
            `${name}: test_stat must be 'q' or 'qtilde', not '${testStat}'`,
          );
        const args = {
          workspace,
          ...(patch !== undefined ? { patch } : {}),
          ...(str(info, 'patch_name') !== undefined ? { patchName: str(info, 'patch_name') } : {}),
          ...(num(info, 'mu') !== undefined ? { mu: num(info, 'mu') } : {}),
          ...(num(info, 'level') !== undefined ? { level: num(info, 'level') } : {}),
          ...(testStat !== undefined ? { testStat } : {}),
        };
        const empty: BatchStream = { schema: { fields: [] }, async *[Symbol.asyncIterator]() {} };
        const schema = tf.bind(args, empty.schema);
        return {
          key: `${name}:${JSON.stringify(args)}`,
          schema,
          // A fit can take seconds: on a worker thread, stopped with the statement.
          compute: (signal) =>
            STATS_WORKER_AVAILABLE
              ? statsOffThread(name, args as StatsFunctionArgs, signal)
              : collect(tf.execute(args, empty, signal)),
        };
      },
    };
    con.registerTableFunction(rowsFunction(spec, cache, deferred));
  }
  const runSql = extra.runSql;
  if (runSql)
    for (const [name, base] of [
      ['histfactory_fit_from', 'histfactory_fit'],
      ['hypotest_from', 'hypotest'],
      ['upper_limit_from', 'upper_limit'],
    ] as const) {
      let tf: ReturnType<FunctionRegistry['table']>;
      try {
        tf = extra.registry.table(base);
      } catch {
        continue;
      }
      const spec: Spec = {
        name,
        parameters: [VARCHAR, VARCHAR],
        named: { mu: DOUBLE, level: DOUBLE, test_stat: VARCHAR },
        oneShot: true,
        bind(info) {
          const query = String(info.getParameter(0));
          const config = builderConfigArg(name, String(info.getParameter(1)), files);
          const connection = info.clientContext.connectionId;
          const testStat = str(info, 'test_stat');
          const args = {
            ...(num(info, 'mu') !== undefined ? { mu: num(info, 'mu') } : {}),
            ...(num(info, 'level') !== undefined ? { level: num(info, 'level') } : {}),
            ...(testStat !== undefined ? { testStat } : {}),
          };
          return {
            key: `${name}:${connection}:${JSON.stringify([query, config, args])}`,
            compute: async (signal) => {
              const rows = histogramRowsOf(name, await runSql(connection, query));
              const ws = buildWorkspace(config, rows);
              const full = { workspace: JSON.stringify(ws.spec), ...args };
              const empty: BatchStream = { schema: { fields: [] }, async *[Symbol.asyncIterator]() {} };
              tf.bind(full, empty.schema);
              // the fit itself off this thread, as the stats table functions run
              return STATS_WORKER_AVAILABLE
                ? statsOffThread(base, full as StatsFunctionArgs, signal)
                : collect(tf.execute(full, empty, signal));
            },
          };
        },
      };
      con.registerTableFunction(rowsFunction(spec, cache, deferred));
    }
  const filesetSpec: Spec = {
    name: 'fileset',
    parameters: [VARCHAR],
    oneShot: true,
    bind(info) {
      const path = files.resolve(String(info.getParameter(0)));
      const rows = filesetRows(path);
      return { key: `fileset:${path}`, schema: rows.schema, compute: async () => rows };
    },
  };
  con.registerTableFunction(rowsFunction(filesetSpec, cache, deferred));
  const runQuery = extra.runQuery;
  if (runQuery) {
    const spec: Spec = {
      name: 'func_adl',
      parameters: [VARCHAR, VARCHAR],
      named: { tree: VARCHAR, params: VARCHAR },
      bind(info) {
        const query = String(info.getParameter(0));
        const inputs = resolveInputs(String(info.getParameter(1)), files);
        const tree = str(info, 'tree');
        const params = paramsArg(str(info, 'params'));
        return {
          key: `func_adl:${JSON.stringify([query, inputs, tree ?? null, params ?? null])}`,
          compute: async () => {
            const b = await runQuery(query, inputs, tree, params);
            return { schema: b.schema, columns: b.columns, length: b.length };
          },
        };
      },
    };
    con.registerTableFunction(rowsFunction(spec, cache, deferred));
  }
  con.registerTableFunction(rowsFunction(patchsetSpec(files, extra.sandboxed === true), cache, deferred));
}

/**
 * The files of `func_adl(query, files)`: one path, or a glob (`data/*.root`) read as one tree over the matching
 * files in name order, each confined like any other input.
 */
function resolveInputs(spec: string, files: FileAccess): string[] {
  if (!/[*?]/.test(spec)) return [files.resolve(spec)];
  const slash = spec.lastIndexOf('/', spec.search(/[*?]/));
  const dir = files.resolve(slash < 0 ? '.' : spec.slice(0, slash) || '/');
  const matched = expandGlob(`${dir}/${spec.slice(slash + 1)}`).map((f) => files.resolve(f));
  if (!matched.length)
    throw new HepqError('sql/no-such-file', `no file matches '${spec}'`, {
      hint: "a glob names files under the data roots, e.g. func_adl(query, 'data/*.root')",
    });
  return matched;
}

/**
 * `hypotest_patchset(workspace, patchset, mu := 1.0, test_stat := 'qtilde', cluster := 'redis://…')`: asymptotic
 * CLs of every patch (an exclusion contour), one row each, on worker threads or on a cluster's workers.
 */
function patchsetSpec(files: FileAccess, sandboxed: boolean): Spec {
  const f64 = { kind: 'primitive', type: 'float64' } as const;
  const schema: Schema = {
    fields: [
      { name: 'patch', type: { kind: 'utf8' } },
      { name: 'cls_obs', type: f64 },
      ...['m2', 'm1', 'median', 'p1', 'p2'].map((k) => ({ name: `cls_exp_${k}`, type: f64 })),
      { name: 'converged', type: { kind: 'primitive', type: 'bool' } },
    ],
  };
  return {
    name: 'hypotest_patchset',
    parameters: [VARCHAR, VARCHAR],
    named: { mu: DOUBLE, test_stat: VARCHAR, cluster: VARCHAR },
    bind(info) {
      const cluster = str(info, 'cluster');
      if (cluster !== undefined && sandboxed)
        throw new HepqError(
          'sql/forbidden-function',
          'hypotest_patchset: cluster := is not available on this server',
          {
            kind: 'resource',
            hint: 'run the scan with hepq sql or hepq cls --cluster on a machine that reaches the queue',
          },
        );
      const workspace = files.resolve(String(info.getParameter(0)));
      const patchset = files.resolve(String(info.getParameter(1)));
      const mu = num(info, 'mu') ?? 1;
      const testStat = str(info, 'test_stat') ?? 'qtilde';
      if (testStat !== 'q' && testStat !== 'qtilde')
        throw new HepqError(
          'sql/bad-argument',
          `hypotest_patchset: test_stat must be 'q' or 'qtilde', not '${testStat}'`,
        );
      return {
        key: `hypotest_patchset:${JSON.stringify([workspace, patchset, mu, testStat, cluster ?? null])}`,
        schema,
        compute: async () => {
          const { hypotestPatchset, Patchset, readJsonFile, Workspace } = await import(
            '../../stats/index.js'
          );
          const bkg = Workspace.fromFile(workspace);
          const ps = Patchset.fromJSON(readJsonFile(patchset), patchset);
          const client = cluster
            ? new (await import('../cluster/index.js')).ClusterClient(cluster)
            : undefined;
          const rows = await hypotestPatchset(bkg, ps, {
            mu,
            testStat,
            ...(client ? { runJobs: (i, j, r) => client.runStats(i, j, r) } : {}),
          }).finally(() => client?.close());
          const col = (xs: number[]): Column => ({
            kind: 'primitive',
            type: 'float64',
            values: Float64Array.from(xs),
          });
          const enc = new TextEncoder();
          const names = rows.map((r) => enc.encode(r.patch));
          const offsets = new Int32Array(names.length + 1);
          names.forEach((b, i) => {
            offsets[i + 1] = offsets[i]! + b.length;
          });
          const bytes = new Uint8Array(offsets[names.length]!);
          names.forEach((b, i) => {
            bytes.set(b, offsets[i]!);
          });
          return {
            schema,
            columns: [
              { kind: 'utf8', offsets, bytes },
              col(rows.map((r) => r.result.clsObs)),
              ...[0, 1, 2, 3, 4].map((k) => col(rows.map((r) => r.result.clsExp[k]!))),
              {
                kind: 'primitive',
                type: 'bool',
                values: Uint8Array.from(rows.map((r) => (r.result.converged ? 1 : 0))),
              },
            ],
            length: rows.length,
          };
        },
      };
    },
  };
}
