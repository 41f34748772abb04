/** Shared inputs of the SQL tests: the ADL benchmark sample in ROOT and nested Parquet. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll } from 'vitest';
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

/**
 * A second, independent DuckDB for a describe block (the reference hepq's SQL output is checked against), with a
 * scratch folder; `copyTo` writes a statement's rows with DuckDB's own writer (`COPY … TO`) and gives the path.
 */
export function referenceDuckdb(prefix: string) {
  let instance: DuckDBInstance | undefined;
  const ref = {
    con: undefined as unknown as DuckDBConnection,
    dir: '',
    async copyTo(sql: string, name: string, format = 'csv'): Promise<string> {
      const file = join(ref.dir, name);
      await ref.con.run(`COPY (${sql}) TO ${lit(file)} (FORMAT ${format})`);
      return file;
    },
  };
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    ref.con = await instance.connect();
    ref.dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    ref.con?.closeSync();
    instance?.closeSync();
    if (ref.dir) rmSync(ref.dir, { recursive: true, force: true });
  });
  return ref;
}
