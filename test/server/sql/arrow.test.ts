/** `read_arrow(file)`: Arrow IPC files as SQL tables (values, lists, structs, NULLs; the ADL sample via parquet-wasm). */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../../../server/session.js';
import { ADL_DIR, ADL_PARQUET, HAVE_ADL, lit } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'hepq-arrow-'));

describe('read_arrow', () => {
  const session = new Session();
  afterAll(() => session.close());

  it('reads flat, list, struct and NULL values as written by apache-arrow', async () => {
    const pt = arrow.vectorFromArray(
      [[1.5, 2.5], [], null, [7]],
      new arrow.List(new arrow.Field('item', new arrow.Float64(), true)),
    );
    const met = arrow.vectorFromArray(
      [{ pt: 10, phi: 0.5 }, { pt: 20, phi: -1 }, { pt: 30, phi: 2 }, null],
      new arrow.Struct([
        new arrow.Field('pt', new arrow.Float32()),
        new arrow.Field('phi', new arrow.Float32()),
      ]),
    );
    const table = new arrow.Table({
      event: arrow.vectorFromArray([1n, 2n, 3n, 4n], new arrow.Int64()),
      n: arrow.vectorFromArray([2, 0, null, 1], new arrow.Int32()),
      name: arrow.vectorFromArray(['a', 'b', null, 'd'], new arrow.Utf8()),
      pt,
      met,
    });
    const file = join(dir, 'small.arrow');
    writeFileSync(file, arrow.tableToIPC(table, 'file'));
    const r = await session.sql(
      `SELECT event, n, name, pt, met.pt AS met_pt, list_sum(pt) AS s FROM read_arrow(${lit(file)}) ORDER BY event`,
    );
    expect(r.columns[0]!.map(Number)).toEqual([1, 2, 3, 4]);
    expect(r.columns[1]).toEqual([2, 0, null, 1]);
    expect(r.columns[2]).toEqual(['a', 'b', null, 'd']);
    expect(r.columns[3]).toEqual([[1.5, 2.5], [], null, [7]]);
    expect(r.columns[4]).toEqual([10, 20, 30, null]);
    expect(r.columns[5]).toEqual([4, null, null, 7]);
  });

  it.skipIf(!HAVE_ADL)(
    'ADL task 1 over the sample converted to Arrow by parquet-wasm matches sql_ref',
    async () => {
      const pq = await import('parquet-wasm');
      const ipc = pq.readParquet(readFileSync(ADL_PARQUET)).intoIPCStream();
      const file = join(dir, 'adl.arrows');
      writeFileSync(file, ipc);
      const r = await session.sql(
        `SELECT hist_bin(MET.pt, 0, 2000, 100) AS x, count(*) AS y FROM read_arrow(${lit(file)}) GROUP BY x ORDER BY x`,
      );
      const ref = readFileSync(`${ADL_DIR}sql_ref_q1.csv`, 'utf8').trim().split('\n').slice(1);
      expect(r.columns[0]!.map((x, i) => `${Number(x).toFixed(1)},${r.columns[1]![i]}`)).toEqual(ref);
    },
  );

  it('a file that is not Arrow is a located error', async () => {
    const file = join(dir, 'not.arrow');
    writeFileSync(file, 'hello');
    await expect(session.sql(`SELECT * FROM read_arrow(${lit(file)})`)).rejects.toMatchObject({
      code: 'sql/bad-arrow',
      location: { file },
    });
  });
});
