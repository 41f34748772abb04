/**
 * Converting DuckDB result chunks: node-api's JS value converter (one JS value per cell, the conversion SQL
 * results had before issue 16) against `chunkColumns` (fixed-width vectors copied into typed arrays, validity
 * as a bitmap; other scalars as DuckDB's exact text since issue 15), on the same chunks, interleaved. Run: npx tsx bench/sql-result.ts [rows=1000000] [reps=9]
 */
import { type DuckDBDataChunk, DuckDBInstance, JSDuckDBValueConverter } from '@duckdb/node-api';
import { chunkColumns } from '../exec/duckdb/result-batch.js';
import { fmtRatio, interleaved, ratio } from './timing.mjs';

const rows = Number(process.argv[2] ?? 1_000_000);
const reps = Number(process.argv[3] ?? 9);
const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
const QUERIES = {
  numeric: `SELECT range AS i, range::DOUBLE / 3 AS d, (range % 1000)::INTEGER AS k, range::FLOAT AS f FROM range(${rows})`,
  'numeric, 1 in 7 NULL': `SELECT CASE WHEN range % 7 = 0 THEN NULL ELSE range::DOUBLE END AS d, CASE WHEN range % 7 = 1 THEN NULL ELSE range END AS i FROM range(${rows})`,
  'list<double>': `SELECT [range::DOUBLE, range + 1.5] AS l FROM range(${rows / 4})`,
  // DuckDB's exact text (issue 15) against node-api's double / JS Date
  'decimal, timestamp': `SELECT (range / 100)::DECIMAL(18,2) AS p, TIMESTAMP '2024-01-01' + to_microseconds(range) AS t FROM range(${rows / 4})`,
};
for (const [name, sql] of Object.entries(QUERIES)) {
  const result = await con.stream(sql);
  const chunks: DuckDBDataChunk[] = [];
  for (let c = await result.fetchChunk(); c && c.rowCount > 0; c = await result.fetchChunk()) chunks.push(c);
  const types = result.columnTypes();
  const n = chunks.reduce((a, c) => a + c.rowCount, 0);
  const r = await interleaved(
    {
      'JS values': () => {
        for (const c of chunks) c.convertColumns(JSDuckDBValueConverter);
      },
      columns: () => {
        for (const c of chunks) chunkColumns(c, types);
      },
    },
    reps,
  );
  process.stdout.write(
    `${name} (${n} rows): JS values ${r['JS values'].median.toFixed(1)} ms, columns ${r.columns.median.toFixed(1)} ms, ${fmtRatio(ratio(r, 'JS values', 'columns'))}\n`,
  );
}
con.closeSync();
instance.closeSync();
