/**
 * DuckDB's text of values (what `CAST(x AS VARCHAR)` prints) without DuckDB: DOUBLE and FLOAT as DuckDB's fmt
 * writes them, strings quoted inside nested values as DuckDB quotes them, and whole result columns (lists,
 * structs, MAP/UNION text carried by exec/duckdb). Pure: importing it loads no DuckDB.
 */
export { columnText, DUCKDB_TEXT, nestedString, structKey, withDuckdbText } from './column-text.js';
export { doubleText, floatText } from './float-text.js';
