/** hepq's library API: open ROOT files and read trees as columns or Arrow tables. */
export {
  type InspectedBranch,
  type InspectedObject,
  type Inspection,
  openRoot,
  type ReadOptions,
  RootHandle,
  RootTree,
} from '../connectors/root/index.js';
export type { Batch, Column, DataType, Field, Schema } from '../exec/batch/index.js';
export { batchToArrow, HepqError, valueAt } from '../exec/batch/index.js';
