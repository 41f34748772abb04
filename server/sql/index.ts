/**
 * SQL on an embedded DuckDB over HEP data: `root(file, tree)` for ROOT trees, Parquet straight to DuckDB,
 * `func_adl(query, file)`, the HEP functions and macros, and the stats table functions. The Session (CLI,
 * library) and the HTTP server build their engines here.
 */
import type { ConnectorTable } from '../../connectors/api.js';
import { SqlEngine } from '../../exec/duckdb/index.js';
import type { QueryResult } from '../../exec/index.js';
import type { FunctionRegistry } from '../../udfs/api.js';
import { registerExtraFunctions } from './extra-functions.js';
import { anyFile, confineTo, realRoots } from './files.js';
import { queryResultBatch } from './query-batch.js';

export {
  type RunOptions as SqlRunOptions,
  resultRows,
  type SqlChunk,
  SqlEngine,
  type SqlResult,
  type SqlStream,
  sqlResult,
} from '../../exec/duckdb/index.js';
export { encodeChunks, encodeResult, resultToArrow, SQL_FORMATS, type SqlFormat } from './encode.js';
export { confineTo, realRoots } from './files.js';
export { queryResultBatch } from './query-batch.js';

/** What the engine needs of a Session. */
export interface SqlHost {
  readonly functions: FunctionRegistry;
  open(file: string, options?: { tree?: string }): Promise<ConnectorTable>;
  query(
    text: string,
    options: { files?: readonly string[]; tree?: string; resolvePath?: (path: string) => string },
  ): Promise<QueryResult>;
}

export interface SqlEngineConfig {
  /** Confine every file SQL names to these directories, and run read-only statements only (server mode). */
  readonly dataRoots?: readonly string[];
  /** With `dataRoots`: http(s) URLs under these prefixes may be read too (the session holds redirects to them). */
  readonly urlPrefixes?: readonly string[];
  readonly threads?: number;
}

export function createSqlEngine(host: SqlHost, config: SqlEngineConfig = {}): Promise<SqlEngine> {
  const resolve = config.dataRoots ? confineTo(config.dataRoots, config.urlPrefixes) : anyFile;
  return SqlEngine.create({
    registry: host.functions,
    files: {
      resolve,
      openTable: (path, tree) => host.open(path, tree === undefined ? {} : { tree }),
    },
    extend: (con, context, deferred) =>
      registerExtraFunctions(
        con,
        {
          ...context,
          runQuery: async (query, files, tree, params) =>
            queryResultBatch(
              await host.query(query, {
                files,
                // a statistics stage's config file (`….Fit('config.json')`) is confined like the data files
                resolvePath: resolve,
                ...(tree !== undefined ? { tree } : {}),
                ...(params ? { params } : {}),
              }),
            ),
        },
        deferred,
      ),
    ...(config.dataRoots ? { sandbox: { allowedDirectories: realRoots(config.dataRoots) } } : {}),
    ...(config.threads ? { threads: config.threads } : {}),
  });
}
