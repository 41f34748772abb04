/** The Parquet connector: row groups read with parquet-wasm, columns presented as a flat NanoAOD-like event. */
export { columnFromArrow, typeFromArrow } from './from-arrow.js';
export { openParquetTable, type ParquetOpenOptions, ParquetTable } from './parquet-table.js';
