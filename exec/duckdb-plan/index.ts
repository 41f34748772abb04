/** func_adl → SQL: a logical plan as one DuckDB statement (or the reason it cannot be one), and its result back. */
export { columnFromValues, histogramResult, rowsResult, type SqlColumns, valueResult } from './result.js';
export { parquetSource, type RawColumn, rootSource } from './source.js';
export {
  type PlanSql,
  type PlanSqlOptions,
  planToSql,
  type SqlShape,
  type SqlSource,
  sqlStatement,
  type Translation,
} from './translate.js';
export { type Num, numOf, sqlType } from './values.js';
