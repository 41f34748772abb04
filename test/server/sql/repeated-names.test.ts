/**
 * A SQL result whose column names repeat (`SELECT 1 AS a, 2 AS a`, `SELECT *` over a join) keeps every column
 * in every output format (issue 15: DuckDB scripts run unchanged). The reference is a separate DuckDB: its
 * result names (the table), the CSV file its `COPY … TO` writes (byte for byte), the Parquet file it writes
 * (names, types and rows, read back by DuckDB), and, since its JSON writer refuses repeated names, the JSON it
 * writes of the same rows under the names its Parquet file has.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { buildServer } from '../../../server/http/app.js';
import { Session, sqlRows } from '../../../server/index.js';
import { Repl } from '../../../server/repl/index.js';
import { runCli } from '../../helpers/cli.js';
import { SHARED } from '../../helpers/shared-data.js';
import { ADL_PARQUET, HAVE_ADL, lit, referenceDuckdb } from './helpers.js';

const P = lit(ADL_PARQUET);

/** Statements whose names repeat: literals (case and suffix clashes too), and joins over the ADL sample. */
const STATEMENTS: Record<string, string> = {
  literals: `SELECT 1 AS a, 2 AS a, 3 AS a_1, 4 AS A, 1.5::DECIMAL(4,1) AS a, 'x,y' AS "x,y", 'z' AS "x,y"`,
  joinOn: `SELECT * FROM (SELECT event, run, MET FROM ${P} ORDER BY event LIMIT 5) l
           JOIN (SELECT event, run, len(Muon) AS n FROM ${P}) r ON l.event = r.event ORDER BY l.event`,
  joinUsing: `SELECT * FROM (SELECT event, MET, Muon FROM ${P}) l
              JOIN (SELECT event, MET, PV FROM ${P}) r USING (event) ORDER BY event LIMIT 7`,
};

describe.skipIf(!HAVE_ADL)('repeated column names keep every column (as DuckDB writes them)', () => {
  const ref = referenceDuckdb('hepq-sql-names-');

  const duckFile = ref.copyTo;
  const describeFile = async (file: string) =>
    (await ref.con.runAndReadAll(`DESCRIBE SELECT * FROM ${lit(file)}`)).getRows().map((r) => [r[0], r[1]]);
  const rowsOf = async (file: string) =>
    (await ref.con.runAndReadAll(`SELECT * FROM ${lit(file)}`)).getRowsJson();
  /** DuckDB's JSON lines of a Parquet file's rows (its names, which no longer repeat). */
  const duckJson = async (parquet: string, name: string) =>
    readFileSync(await duckFile(`SELECT * FROM ${lit(parquet)}`, name, 'json'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));

  it("DuckDB's own JSON writer refuses repeated names (so JSON takes its Parquet names)", async () => {
    await expect(duckFile(STATEMENTS.literals!, 'refused.json', 'json')).rejects.toThrow(/Duplicate/);
  });

  for (const [key, sql] of Object.entries(STATEMENTS)) {
    it(`${key}: csv is DuckDB's COPY file byte for byte (its names: a, a_1), CLI and HTTP`, async () => {
      const want = readFileSync(await duckFile(sql, `${key}.csv`), 'utf8');
      const r = await runCli('sql', sql, '--format', 'csv');
      expect(r.err).toBe('');
      expect(r.out).toBe(want);
      const server = await buildServer({ dataRoots: [SHARED], token: 't0ken', maxRows: 100 });
      try {
        const res = await server.app.inject({
          method: 'POST',
          url: '/sql',
          headers: { authorization: 'Bearer t0ken' },
          payload: { sql, format: 'csv' },
        });
        expect(res.statusCode).toBe(200);
        expect(res.body).toBe(want);
      } finally {
        await server.app.close();
      }
    });

    it(`${key}: the table's header is DuckDB's own names, repeats and all`, async () => {
      const names = (await ref.con.runAndReadAll(sql)).columnNames();
      expect(new Set(names).size).toBeLessThan(names.length);
      const r = await runCli('sql', sql);
      expect(r.code).toBe(0);
      expect(
        r.out
          .split('\n')[0]!
          .split(' │ ')
          .map((h) => h.trim()),
      ).toEqual(names);
    });

    it(`${key}: parquet has DuckDB's Parquet names, types and rows (CLI and HTTP)`, async () => {
      const want = await duckFile(sql, `${key}.parquet`, 'parquet');
      const out = join(ref.dir, `${key}-hepq.parquet`);
      expect((await runCli('sql', sql, '--format', 'parquet', '--out', out)).code).toBe(0);
      expect(await describeFile(out)).toEqual(await describeFile(want));
      expect(await rowsOf(out)).toEqual(await rowsOf(want));
      const server = await buildServer({ dataRoots: [SHARED], token: 't0ken', maxRows: 100 });
      try {
        const res = await server.app.inject({
          method: 'POST',
          url: '/sql',
          headers: { authorization: 'Bearer t0ken' },
          payload: { sql, format: 'parquet' },
        });
        expect(res.statusCode).toBe(200);
        const http = join(ref.dir, `${key}-http.parquet`);
        writeFileSync(http, res.rawPayload);
        expect(await describeFile(http)).toEqual(await describeFile(want));
        expect(await rowsOf(http)).toEqual(await rowsOf(want));
      } finally {
        await server.app.close();
      }
    });

    it(`${key}: json and jsonl are DuckDB's JSON of those rows, every column kept (CLI and HTTP)`, async () => {
      const want = await duckJson(await duckFile(sql, `${key}-j.parquet`, 'parquet'), `${key}.json`);
      const json = await runCli('sql', sql, '--format', 'json');
      expect(JSON.parse(json.out)).toEqual(want);
      const jsonl = await runCli('sql', sql, '--format', 'jsonl');
      expect(
        jsonl.out
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l)),
      ).toEqual(want);
      const server = await buildServer({ dataRoots: [SHARED], token: 't0ken', maxRows: 100 });
      try {
        const res = await server.app.inject({
          method: 'POST',
          url: '/sql',
          headers: { authorization: 'Bearer t0ken' },
          payload: { sql, format: 'json' },
        });
        expect(res.statusCode).toBe(200);
        expect(JSON.parse(res.body)).toEqual(want);
      } finally {
        await server.app.close();
      }
    });

    it(`${key}: arrow (streamed) has a field per column, named as DuckDB's Parquet names them`, async () => {
      const want = await describeFile(await duckFile(sql, `${key}-a.parquet`, 'parquet'));
      const out = join(ref.dir, `${key}.arrow`);
      expect((await runCli('sql', sql, '--format', 'arrow', '--out', out)).code).toBe(0);
      const t = arrow.tableFromIPC(readFileSync(out));
      expect(t.schema.fields.map((f) => f.name)).toEqual(want.map((r) => r[0]));
    });
  }

  it("names as DuckDB's COPY names them: case, suffix clashes, quotes (the csv header, every pattern)", async () => {
    const PATTERNS: readonly (readonly string[])[] = [
      ['a', 'a', 'a'],
      ['a', 'a_1', 'a'],
      ['a_1', 'a', 'a'],
      ['a', 'A', 'a_1', 'A_1'],
      ['É', 'é', 'É'],
      ['x y', 'X Y', 'x"y', 'x"y', 'x,y', 'x,y'],
      ['b_2', 'b', 'b', 'b', 'B_1'],
    ];
    for (const [k, names] of PATTERNS.entries()) {
      const sql = `SELECT ${names.map((n, i) => `${i} AS "${n.replace(/"/g, '""')}"`).join(', ')}`;
      const want = readFileSync(await duckFile(sql, `names${k}.csv`), 'utf8');
      const r = await runCli('sql', sql, '--format', 'csv');
      expect(r.out).toBe(want);
    }
  });

  it('HTTP /sql streamed past its first chunks keeps both columns (csv and json as DuckDB writes them)', async () => {
    const sql = 'SELECT range AS a, range * 2 AS a FROM range(70000)';
    const want = readFileSync(await duckFile(sql, 'stream.csv'), 'utf8');
    const server = await buildServer({ dataRoots: [SHARED], token: 't0ken', maxRows: 100_000 });
    try {
      const post = (format: string) =>
        server.app.inject({
          method: 'POST',
          url: '/sql',
          headers: { authorization: 'Bearer t0ken' },
          payload: { sql, format },
        });
      const csv = await post('csv');
      expect(csv.statusCode).toBe(200);
      expect(csv.body).toBe(want);
      const json = JSON.parse((await post('json')).body) as Record<string, number>[];
      expect(json.length).toBe(70000);
      expect(json[69999]).toEqual({ a: 69999, a_1: 139998 });
    } finally {
      await server.app.close();
    }
  });

  it('arrow: each column keeps its own values and its own duckdb.type, by position', async () => {
    const sql = `SELECT 1 AS a, INTERVAL '1 day' AS a, 3 AS a, '10101'::BIT AS a`;
    const out = join(ref.dir, 'typed.arrow');
    expect((await runCli('sql', sql, '--format', 'arrow', '--out', out)).code).toBe(0);
    const t = arrow.tableFromIPC(readFileSync(out));
    expect(t.schema.fields.map((f) => f.name)).toEqual(['a', 'a_1', 'a_2', 'a_3']);
    expect(t.schema.fields.map((f) => f.metadata.get('duckdb.type'))).toEqual([
      undefined,
      'INTERVAL',
      undefined,
      'BIT',
    ]);
    const row = t.get(0)!.toJSON();
    expect([row.a, row.a_2, row.a_3]).toEqual([1, 3, '10101']);
  });

  it("the library: toArrow() and sqlRows keep both columns under DuckDB's COPY names", async () => {
    const session = new Session({ threads: 1 });
    try {
      const r = await session.sql('SELECT 1 AS a, 2 AS a');
      expect(r.names).toEqual(['a', 'a']);
      expect(r.toArrow().schema.fields.map((f) => f.name)).toEqual(['a', 'a_1']);
      expect(r.toArrow().get(0)!.toJSON()).toEqual({ a: 1, a_1: 2 });
      expect(sqlRows(r)).toEqual([{ a: 1, a_1: 2 }]);
    } finally {
      await session.close();
    }
  });

  it('the REPL shows both columns (the table under DuckDB names, json and csv as hepq sql writes them)', async () => {
    const sql = STATEMENTS.joinOn!;
    const names = (await ref.con.runAndReadAll(sql)).columnNames();
    const session = new Session({ threads: 1 });
    const output = Object.assign(new PassThrough(), { columns: 200 });
    let text = '';
    output.on('data', (d: Buffer) => {
      text += d.toString('utf8');
    });
    const repl = new Repl({ session, output, home: ref.dir });
    const run = async (statement: string) => {
      text = '';
      await repl.statement(statement);
      return text;
    };
    try {
      const table = (await run(`${sql};`)).split('\n');
      // the header: the row index's column, then DuckDB's names
      expect(table[0]!.trim().split(/\s+/)).toEqual(names);
      expect(table.find((l) => l.startsWith('(5 rows'))).toBe(`(5 rows, ${names.length} columns)`);
      await run('.format json');
      const want = await duckJson(await duckFile(sql, 'repl.parquet', 'parquet'), 'repl.json');
      expect(JSON.parse(await run(`${sql};`))).toEqual(want);
      await run('.format csv');
      expect(await run(`${sql};`)).toBe(readFileSync(await duckFile(sql, 'repl.csv'), 'utf8'));
    } finally {
      await session.close();
    }
  });
});
