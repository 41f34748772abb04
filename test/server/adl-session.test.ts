/**
 * The 8 ADL benchmark tasks through the public Session on the real ROOT sample and its Parquet copy (lists of
 * structs), on one thread and as per-file morsels on worker threads: each reproduces the reference histogram
 * shipped in ../shared/conformance-data/adl-benchmark.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../../server/session.js';
import { asReference, referenceRecord } from '../func-adl/adl-events.js';
import { ADL_TASKS } from '../func-adl/adl-tasks.js';
import { SHARED } from '../helpers/shared-data.js';

const ROOT_FILE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
const PARQUET = `${SHARED}conformance-data/adl-benchmark/Run2012B_SingleMu_1000_native.parquet`;

describe('ADL tasks through the Session', () => {
  const serial = new Session({ threads: 1 });
  const parallel = new Session({ threads: 2, parallelMinBytes: 0 });
  afterAll(async () => {
    await serial.close();
    await parallel.close();
  });
  const cases = [
    ['ROOT', serial, [ROOT_FILE]],
    ['Parquet (lists of structs)', serial, [PARQUET]],
    ['ROOT ×2 on worker threads', parallel, [ROOT_FILE, ROOT_FILE]],
  ] as const;
  for (const [label, session, files] of cases)
    for (const t of ADL_TASKS)
      it(`task ${t.name} over ${label}`, async () => {
        const text = `${t.query}.Hist(lambda x: x, bins=100, range=(${t.lo}, ${t.hi}))`;
        const r = await session.query(text, { files });
        if (r.kind !== 'histogram') throw new Error('expected a histogram');
        const ref = referenceRecord(t.name);
        expect(asReference(r.histogram, t.lo, t.hi, files.length)).toEqual(ref);
      });

  it('explains a Parquet scan by row group with the columns cut from its structs', async () => {
    const text = await serial.explain('Where(lambda e: e.nMuon >= 2).Select(lambda e: e.Muon_pt)', {
      files: [PARQUET],
    });
    expect(text).toMatch(/Scan .*Run2012B_SingleMu_1000_native\.parquet.*1,000 entries/);
    expect(text).toMatch(/^\s+Muon_pt\s/m);
  });
});
