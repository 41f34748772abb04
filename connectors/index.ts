/** What every connector shares beyond the contract in api.ts: reading one table over many files. */
export { UnionTable } from './union-table.js';
