/**
 * Cost of the server's allow-list check (DuckDB's `json_serialize_sql` of each statement and a walk of it):
 * small queries on a sandboxed engine (server mode) and a plain one, alternating rounds in one run — the
 * same text again and again (the engine remembers texts that passed) and a new text each time (a comment
 * with a counter, so every query is checked). Run: npx tsx bench/sql-sandbox.ts [queries per round]
 */
import { Session } from '../server/session.js';
import { createSqlEngine } from '../server/sql/index.js';

const perRound = Number(process.argv[2] ?? 1000);
const session = new Session();
const plain = await createSqlEngine(session);
const sandboxed = await createSqlEngine(session, { dataRoots: [process.cwd()] });
const QUERIES = [
  'SELECT 42 AS answer',
  'WITH t AS (SELECT range AS x FROM range(100)) SELECT sum(x) AS s, avg(sqrt(x)) AS r FROM t WHERE x % 3 = 0',
];

let counter = 0;
async function round(engine: typeof plain, sql: string, unique: boolean): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < perRound; i++) await engine.run(unique ? `${sql} -- ${counter++}` : sql);
  return ((performance.now() - t) * 1000) / perRound; // µs per query
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const unique of [false, true])
  for (const sql of QUERIES) {
    await round(plain, sql, unique);
    await round(sandboxed, sql, unique);
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < 7; r++) {
      a.push(await round(plain, sql, unique));
      b.push(await round(sandboxed, sql, unique));
    }
    process.stdout.write(
      `${unique ? 'new text ' : 'same text'} ${sql.slice(0, 50)}: plain ${median(a).toFixed(0)} µs, sandboxed ${median(b).toFixed(0)} µs, ratio ${(median(b) / median(a)).toFixed(2)}\n`,
    );
  }
await plain.close();
await sandboxed.close();
await session.close();
