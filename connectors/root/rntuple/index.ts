/** The RNTuple connector: ROOT's columnar format (RNTuple 1.x) read through the ROOT file layer, as tables. */
export { type Anchor, readAnchor } from './anchor.js';
export { inspectWithRNTuples, readableObjects, readObject } from './objects.js';
export { type InspectedField, RNTUPLE_CLASS, RNTuple } from './rntuple.js';
export { openRNTupleTable, openRootOrRNTupleTable, RNTupleTable, rntuplePaths } from './table.js';
