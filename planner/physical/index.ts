/** Physical planning: `place()` lowers a prepared query to the physical plan the Session runs and explain prints. */
export {
  type ColumnRead,
  explainPhysical,
  type PhysicalPlan,
  type ScanNode,
  type SinkKind,
  type Target,
  type TargetEstimate,
  targetText,
} from './physical-plan.js';
export {
  CALIBRATE_ABOVE_S,
  DUCKDB_EVENT_S,
  DUCKDB_JS_CALL_S,
  DUCKDB_START_S,
  GPU_OPEN_S,
  MORSELS_PER_THREAD,
  type PlaceInput,
  place,
  WORKER_COLD_START_S,
  WORKER_WARM_START_S,
} from './place.js';
