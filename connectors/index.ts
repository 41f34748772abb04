/** What every connector shares beyond the contract in api.ts: reading one table over many files. */

export {
  type Fileset,
  type FilesetDataset,
  loadFileset,
  type MetadataValue,
  parseFileset,
  parseYaml,
} from './fileset.js';
export { UnionTable } from './union-table.js';
