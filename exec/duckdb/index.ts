/**
 * SQL on an embedded DuckDB — one of the executors: the engine (connections, retries, the server sandbox,
 * progress), `root(file, tree)` and `arrow(file)` as table functions, the HEP macros, the registry's scalar
 * functions, and DuckDB ⇄ column type mapping. The composition root (`server/sql`) adds what needs the upper
 * layers (the stats table functions, `func_adl(query, files)`) through `SqlEngineOptions.extend`.
 */
export { copyColumnNames, copyNamedBatch, copyNamedSchema } from './column-names.js';
export { type DeferredWork, PENDING } from './deferred.js';
export { duckType, writeColumn } from './duck-types.js';
export { type ExtensionContext, type RunOptions, SqlEngine, type SqlEngineOptions } from './engine.js';
export {
  resultChunks,
  resultRows,
  type SqlChunk,
  type SqlResult,
  type SqlStream,
  sqlChunk,
  sqlResult,
} from './result.js';
export { columnFromValues, sqlDataType, sqlSchema } from './result-batch.js';
export type { FileAccess } from './root-function.js';
export { splitStatements } from './split.js';
