/**
 * SQL results in the text formats (issue 15): the table and CSV as they were (JSON-ish text, float32 values as
 * their float64 digits) against DuckDB's own text (`duckdbText`: CAST(x AS VARCHAR) for every cell, DuckDB's CSV
 * quoting), on the same 1M-row result batches, interleaved; json/jsonl (unchanged) for scale.
 * Run: npx tsx bench/sql-text.ts [rows=1000000] [reps=5]
 */
import { encodeBatch } from '../server/output/encode.js';
import { Session } from '../server/session.js';
import { fmtRatio, interleaved, ratio } from './timing.mjs';

const rows = Number(process.argv[2] ?? 1_000_000);
const reps = Number(process.argv[3] ?? 5);
const QUERIES = {
  'int, double, int, float': `SELECT range AS i, range::DOUBLE / 3 AS d, (range % 1000)::INTEGER AS k, (range / 7)::FLOAT AS f FROM range(${rows})`,
  'varchar, date, decimal': `SELECT 'event ' || range AS s, DATE '2024-01-01' + (range % 1000)::INTEGER AS t, (range / 100)::DECIMAL(18,2) AS p FROM range(${rows})`,
  'list<double>, struct': `SELECT [range::DOUBLE / 3, range + 1.5] AS l, {'pt': (range / 7)::FLOAT, 'name': 'mu' || (range % 10)} AS m FROM range(${rows})`,
};
const BEFORE = { shortestFloat32: false } as const;
const AFTER = { shortestFloat32: false, duckdbText: true } as const;

const session = new Session();
for (const [name, sql] of Object.entries(QUERIES)) {
  const { batch } = await session.sql(sql);
  for (const format of ['table', 'csv'] as const) {
    const r = await interleaved(
      {
        before: async () => void (await encodeBatch(batch, format, BEFORE)),
        duckdb: async () => void (await encodeBatch(batch, format, AFTER)),
      },
      reps,
    );
    process.stdout.write(
      `${name} (${batch.length} rows) ${format}: before ${r.before!.median.toFixed(0)} ms, DuckDB text ${r.duckdb!.median.toFixed(0)} ms, ${fmtRatio(ratio(r, 'duckdb', 'before'))} (CPU ${fmtRatio(ratio(r, 'duckdb', 'before', 'cpu'))})\n`,
    );
  }
  const j = await interleaved(
    {
      jsonl: async () => void (await encodeBatch(batch, 'jsonl', AFTER)),
      json: async () => void (await encodeBatch(batch, 'json', AFTER)),
    },
    reps,
  );
  process.stdout.write(
    `${name} (${batch.length} rows): jsonl ${j.jsonl!.median.toFixed(0)} ms, json ${j.json!.median.toFixed(0)} ms (unchanged)\n`,
  );
}
await session.close();
