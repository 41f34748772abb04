/**
 * The Parquet table reads only the struct / list-of-struct fields a scan asks for (leaf paths such as
 * `Muon.list.element.pt`). Each projection — a count alone, one struct field, fields of two collections — must
 * give the values jsroot reads from the ROOT copy of the same 1,000 events.
 */
import { describe, expect, it } from 'vitest';
import { openParquetTable } from '../../../connectors/parquet/index.js';
import { valueAt } from '../../../exec/batch/index.js';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';
import { SHARED } from '../../helpers/shared-data.js';

const PARQUET = `${SHARED}conformance-data/adl-benchmark/Run2012B_SingleMu_1000_native.parquet`;
const ROOT = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
const norm = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(norm) : typeof v === 'bigint' ? Number(v) : Number(v);

describe('Parquet column projection', () => {
  it.each([
    [['nMuon']],
    [['MET_pt']],
    [['Muon_pt', 'Jet_eta', 'nJet']],
    [['nElectron', 'Electron_charge', 'MET_phi']],
  ])('reads %j as jsroot reads the ROOT copy', async (columns) => {
    const table = await openParquetTable(PARQUET);
    const ref = await openJsrootTree(ROOT, 'Events');
    const got: unknown[][] = columns.map(() => []);
    for await (const b of table.scan({ columns }))
      for (const [k, c] of b.columns.entries())
        for (let i = 0; i < b.length; i++) got[k]!.push(norm(valueAt(c, i)));
    for (const [k, name] of columns.entries()) {
      const expected = ((await ref.read(name)) ?? []).map(norm);
      expect(expected.length, name).toBe(1000);
      // Floats as float32 on both sides (the Parquet copy stores the same single-precision values).
      expect(
        got[k]!.map((v) => JSON.stringify(v)),
        name,
      ).toEqual(expected.map((v) => JSON.stringify(v)));
    }
    await table.close();
  });
});
