/** Synthetic HEP events (a seeded physics mixture) as batch streams, in the ADL, NanoAOD and PHYSLITE layouts. */
export { type ClusterColumns, generateCluster, PROCESS_FRACTIONS, Z_MASS, Z_WIDTH } from './event-model.js';
export { type GenerateOptions, generateEvents, presentCluster } from './generate.js';
export {
  PROCESSES,
  type ProcessInfo,
  SYNTHETIC_PROCESSES,
  type SyntheticProcess,
  TOP_MASS,
} from './processes.js';
export { Rng } from './rng.js';
export {
  COLUMNAR_ORDER,
  LAYOUTS,
  ROOT_LAYOUT,
  reorder,
  SYNTHETIC_SCHEMAS,
  type SyntheticSchema,
} from './schemas.js';
export { parseSyntheticUrl, SYNTHETIC_PREFIX, SyntheticTable } from './table.js';
