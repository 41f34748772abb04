/** The in-memory connector: tables of columns behind the connector contract (tests, benchmarks, query results). */
export { columnFromValues } from './column-from-values.js';
export { MemoryConnector, MemoryTable, type MemoryTableOptions } from './memory-connector.js';
