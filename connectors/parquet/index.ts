/** The Parquet connector: row groups read directly (or with parquet-wasm), columns presented as a flat NanoAOD-like event; the appender joins separately encoded chunks into one file. */

export { ParquetAppender } from './appender.js';
export { columnFromArrow, typeFromArrow } from './from-arrow.js';
export { openParquetTable, type ParquetOpenOptions, ParquetTable } from './parquet-table.js';
