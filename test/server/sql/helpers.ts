/** Shared inputs of the SQL tests: the ADL benchmark sample in ROOT and nested Parquet. */
import { existsSync } from 'node:fs';
import { SHARED } from '../../helpers/shared-data.js';

export const ADL_DIR = `${SHARED}conformance-data/adl-benchmark/`;
export const ADL_PARQUET = `${ADL_DIR}Run2012B_SingleMu_1000_native.parquet`;
export const ADL_ROOT = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
export const HAVE_ADL = existsSync(ADL_PARQUET) && existsSync(ADL_ROOT);
export const STATS_DIR = `${SHARED}data/stats/`;

if (!HAVE_ADL)
  process.stderr.write('\n*** ../shared/conformance-data is absent: SQL tests are SKIPPED ***\n\n');

/** SQL string literal. */
export const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
