/**
 * Histogram binning as planner/ir/binning.ts prints it: the JS evaluated and the SQL run in DuckDB, against
 * bins derived by hand (axes whose edges are exact in binary) and numpy's (np.histogram's assignment over
 * np.linspace edges, numpy 2.4.6, values below). Edge cases: x on an inner edge, x = lo, x = hi, just below
 * hi, NaN, ±∞, −0, variable edges. The GPU's printed WGSL is checked in test/exec/gpu/binning-targets.test.ts.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { binMacrosSql, compileBinMethod, regularEdges } from '../../../planner/ir/index.js';

const METHOD = compileBinMethod();
/** The printed JS bin method bound to an axis: regular (lo, hi) over numpy's edges, or the given edges. */
function compileBinJs(edges: Float64Array, regular?: { lo: number; hi: number }): (x: number) => number {
  const bins = edges.length - 1;
  const axis = {
    edges,
    bins,
    lo: edges[0]!,
    hi: edges[bins]!,
    scale: regular ? bins / (regular.hi - regular.lo) : 0,
    variable: !regular,
  };
  return (x) => METHOD.call(axis, x);
}

const NONE = -2; // the JS code for "no bin" (NaN); SQL gives NULL

/** [x, bin] on the regular axis (0, 10) with 5 bins: edges 0, 2, 4, 6, 8, 10, all exact. */
const REGULAR_0_10_5: Array<[number, number]> = [
  [-Infinity, -1],
  [-1e300, -1],
  [-0.5, -1],
  [-Number.MIN_VALUE, -1],
  [0, 0], // x = lo
  [-0, 0], // −0 = lo
  [1.999, 0],
  [2, 1], // on an inner edge: the bin it opens
  [3.9999999999999996, 1], // the double just below 4
  [4, 2],
  [8, 4],
  [9.999999999999998, 4], // the double just below hi
  [10, 5], // x = hi: overflow
  [10.000000000000002, 5],
  [1e300, 5],
  [Infinity, 5],
  [NaN, NONE],
];

/**
 * numpy's bins on (15, 60) with 100 bins, where numpy's linspace edges are not all lo + ((hi − lo)·k)/bins:
 * `np.searchsorted(np.linspace(15, 60, 101), x, side='right') - 1` (−1 below 15, 100 at or above 60) for
 * numpy's edges 1, 2, 3, 7, 29, 33, 50, 67, 99 and the double just below each, then lo, below lo, below hi, hi
 * and a few decimals.
 */
const NUMPY_15_60_100: Array<[number, number]> = [
  [15.45, 1],
  [15.449999999999998, 0],
  [15.9, 2],
  [15.899999999999999, 1],
  [16.35, 3],
  [16.349999999999998, 2],
  [18.15, 7],
  [18.149999999999995, 6],
  [28.05, 29],
  [28.049999999999997, 28],
  [29.85, 33],
  [29.849999999999998, 32],
  [37.5, 50],
  [37.49999999999999, 49],
  [45.150000000000006, 67],
  [45.15, 66],
  [59.550000000000004, 99],
  [59.55, 98],
  [15.0, 0],
  [14.999999999999998, -1],
  [59.99999999999999, 99],
  [60.0, 100],
  [17.25, 5],
  [33.3, 40],
  [36.45, 47],
];

/** [x, bin] over the variable edges 0, 1, 2.5, 5, 10 (4 bins, all exact). */
const EDGES = [0, 1, 2.5, 5, 10];
const VARIABLE: Array<[number, number]> = [
  [-Infinity, -1],
  [-0.001, -1],
  [0, 0],
  [-0, 0],
  [0.999, 0],
  [1, 1],
  [2.4999999999999996, 1],
  [2.5, 2],
  [4.999, 2],
  [5, 3],
  [9.999999999999998, 3],
  [10, 4],
  [Infinity, 4],
  [NaN, NONE],
];

describe('binning printed as JS', () => {
  it('a regular axis with exact edges: hand-derived bins, edge cases included', () => {
    const bin = compileBinJs(regularEdges(0, 10, 5), { lo: 0, hi: 10 });
    expect(REGULAR_0_10_5.map(([x]) => bin(x))).toEqual(REGULAR_0_10_5.map(([, b]) => b));
  });

  it("a regular axis with inexact edges: numpy's bins, on its edges and the doubles just below", () => {
    const bin = compileBinJs(regularEdges(15, 60, 100), { lo: 15, hi: 60 });
    expect(NUMPY_15_60_100.map(([x]) => bin(x))).toEqual(NUMPY_15_60_100.map(([, b]) => b));
  });

  it('variable edges by search', () => {
    const bin = compileBinJs(Float64Array.from(EDGES));
    expect(VARIABLE.map(([x]) => bin(x))).toEqual(VARIABLE.map(([, b]) => b));
  });
});

describe('binning printed as SQL, run in DuckDB', async () => {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  afterAll(() => {
    con.closeSync();
    db.closeSync();
  });
  await con.run('CREATE SCHEMA t');
  for (const [head, body] of Object.entries(binMacrosSql('t')))
    await con.run(`CREATE MACRO t.${head} AS ${body}`);

  const lit = (x: number) =>
    Number.isNaN(x)
      ? "'nan'::DOUBLE"
      : Number.isFinite(x)
        ? `${x}::DOUBLE`
        : `'${x > 0 ? 'inf' : '-inf'}'::DOUBLE`;
  /** The bins DuckDB gives for `call(x)`, row by row (NULL as null). */
  async function sqlBins(cases: Array<[number, number]>, call: string): Promise<Array<number | null>> {
    const values = cases
      .map(([x], i) => `(${i}, ${Object.is(x, -0) ? "'-0.0'::DOUBLE" : lit(x)})`)
      .join(', ');
    const r = await con.runAndReadAll(
      `SELECT ${call}::INTEGER AS b FROM (VALUES ${values}) v(i, x) ORDER BY i`,
    );
    return r.getRows().map((row) => (row[0] === null ? null : Number(row[0])));
  }
  const expected = (cases: Array<[number, number]>) => cases.map(([, b]) => (b === NONE ? null : b));

  it('a regular axis with exact edges: hand-derived bins, NULL for NaN', async () => {
    expect(await sqlBins(REGULAR_0_10_5, 't.hist_index(x, 0, 10, 5)')).toEqual(expected(REGULAR_0_10_5));
  });

  it("a regular axis with inexact edges: numpy's bins", async () => {
    expect(await sqlBins(NUMPY_15_60_100, 't.hist_index(x, 15, 60, 100)')).toEqual(expected(NUMPY_15_60_100));
  });

  it('variable edges (a list) by search', async () => {
    expect(await sqlBins(VARIABLE, `t.hist_index_edges(x, [${EDGES.join(', ')}]::DOUBLE[])`)).toEqual(
      expected(VARIABLE),
    );
  });

  it('NULL has no bin', async () => {
    const r = await con.runAndReadAll('SELECT t.hist_index(NULL::DOUBLE, 0, 10, 5) AS a');
    expect(r.getRows()[0]![0]).toBeNull();
  });
});
