/**
 * The 9 ADL outputs in SQL (test/server/sql/adl/*.sql) over the nested Parquet sample (DuckDB's reader) and the
 * ROOT sample (root()): the first run (ROOT: branches read) and the median of 7 warm runs, per query.
 * Run: npx tsx bench/sql-adl.ts
 */
import { readFileSync } from 'node:fs';
import { Session } from '../server/session.js';

const D = new URL('../../shared/conformance-data/', import.meta.url).pathname;
const sqlFile = (n: string) =>
  readFileSync(new URL(`../test/server/sql/adl/${n}.sql`, import.meta.url), 'utf8');
const QUERIES = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6-1', 'q6-2', 'q7', 'q8'];
const INPUTS: Array<[string, string]> = [
  ['Parquet', `read_parquet('${D}adl-benchmark/Run2012B_SingleMu_1000_native.parquet')`],
  ['ROOT', `root('${D}func_adl_uproot/Run2012B_SingleMu_1000.root', 'Events')`],
];

const rows: string[] = [
  '| query | Parquet first ms | Parquet warm ms | ROOT first ms | ROOT warm ms |',
  '|---|---:|---:|---:|---:|',
];
const times = new Map<string, number[]>();
for (const [label, source] of INPUTS) {
  const session = new Session(); // a fresh session: the first run of each query reads what it needs
  await session.sql(`CREATE TEMP VIEW events AS SELECT * FROM ${source}`);
  await session.sql(sqlFile('trijet'));
  for (const q of QUERIES) {
    const text = sqlFile(q);
    let t = performance.now();
    await session.sql(text);
    const first = performance.now() - t;
    const warm: number[] = [];
    for (let i = 0; i < 7; i++) {
      t = performance.now();
      await session.sql(text);
      warm.push(performance.now() - t);
    }
    warm.sort((a, b) => a - b);
    times.set(`${label}:${q}`, [first, warm[3]!]);
  }
  await session.close();
}
for (const q of QUERIES) {
  const [pf, pw] = times.get(`Parquet:${q}`)!;
  const [rf, rw] = times.get(`ROOT:${q}`)!;
  rows.push(`| ${q} | ${pf!.toFixed(1)} | ${pw!.toFixed(1)} | ${rf!.toFixed(1)} | ${rw!.toFixed(1)} |`);
}
process.stdout.write(`${rows.join('\n')}\n`);
