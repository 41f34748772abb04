/**
 * DuckDB scripts run on `hepq sql` as on DuckDB: a script may define macros named like hepq's helpers (they live in
 * the `hepq` schema, behind the user's own), the same script gives the same rows on a plain DuckDB; CREATE TABLE …
 * AS SELECT … FROM root(…) keeps its columns and rows; root(file) reads the default tree; func_adl(query, glob)
 * reads several files as one tree. Expected values from jsroot and from DuckDB itself.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../../../server/index.js';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';
import { SHARED } from '../../helpers/shared-data.js';

const FILE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
const plain = (v: unknown): unknown =>
  typeof v === 'bigint' ? Number(v) : Array.isArray(v) ? v.map(plain) : v;

/** A user's script: its own hist_bin and delta_r macros (names hepq also uses), a table built from a query. */
const SCRIPT = `
CREATE MACRO hist_bin(x, w) AS floor(x / w) * w;
CREATE MACRO delta_r(a, b) AS abs(a - b);
CREATE TABLE t AS SELECT range AS x, range * 0.37 AS y FROM range(50);
SELECT hist_bin(y, 5) AS b, count(*) AS n, sum(delta_r(x, y))::DOUBLE AS d FROM t GROUP BY ALL ORDER BY b;`;

describe('DuckDB scripts on hepq sql', () => {
  const session = new Session();
  const dir = mkdtempSync(join(tmpdir(), 'hepq-duckdb-scripts-'));
  afterAll(async () => {
    await session.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a script defining macros named like hepq's gives what plain DuckDB gives, and hepq's stay reachable", async () => {
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    for (const s of SCRIPT.split(';').slice(0, -1)) await con.run(s);
    const reference = (await con.runAndReadAll(SCRIPT.split(';').at(-2)!)).getRows().map(plain);
    con.closeSync();
    const ours = await session.sql(SCRIPT);
    const rows = ours.columns[0]!.map((_, i) => ours.columns.map((c) => plain(c[i])));
    expect(rows).toEqual(reference);
    expect(rows.length).toBeGreaterThan(2);
    const h = await session.sql('SELECT hepq.hist_bin(3.3, 0, 10, 10) AS b');
    expect(h.columns[0]).toEqual([3.5]); // bin 3 of [0, 10) in 10 bins: centre 3.5
  });

  it('CREATE TABLE AS SELECT from root() keeps the columns and the rows jsroot reads', async () => {
    const tree = await openJsrootTree(FILE, 'Events');
    const nMuon = (await tree.read('nMuon'))!.map(Number);
    const r = await session.sql(
      `CREATE TABLE muons AS SELECT nMuon, MET_pt FROM root('${FILE}', 'Events');
       SELECT count(*) AS n, sum(nMuon) AS m, count(MET_pt) AS k FROM muons`,
    );
    expect(r.names).toEqual(['n', 'm', 'k']);
    expect(r.columns.map((c) => plain(c[0]))).toEqual([
      tree.entries,
      nMuon.reduce((a, b) => a + b, 0),
      tree.entries,
    ]);
  });

  it('root(file) reads the default tree, as root(file, tree) does', async () => {
    const one = await session.sql(`SELECT count(*) AS n, sum(nJet) AS j FROM root('${FILE}')`);
    const two = await session.sql(`SELECT count(*) AS n, sum(nJet) AS j FROM root('${FILE}', 'Events')`);
    expect(one.columns).toEqual(two.columns);
    expect(plain(one.columns[0]![0])).toBe(1000);
  });

  it('func_adl(query, glob) reads every matching file as one tree, in name order', async () => {
    for (const n of ['a', 'b', 'c']) copyFileSync(FILE, join(dir, `${n}.root`));
    const r = await session.sql(
      `SELECT count(*) AS n FROM func_adl('Where(lambda e: e.nMuon >= 2).Select(lambda e: e.MET_pt)', '${dir}/*.root')`,
    );
    const one = await session.sql(
      `SELECT count(*) AS n FROM func_adl('Where(lambda e: e.nMuon >= 2).Select(lambda e: e.MET_pt)', '${FILE}')`,
    );
    expect(plain(r.columns[0]![0])).toBe(3 * (plain(one.columns[0]![0]) as number));
    await expect(
      session.sql(`SELECT * FROM func_adl('Select(lambda e: e.nMuon)', '${dir}/none*.root')`),
    ).rejects.toThrow(/no file matches/);
  });
});
