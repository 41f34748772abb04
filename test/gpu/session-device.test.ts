/**
 * The Session's device choice on the real ADL sample: forced onto the GPU (llvmpipe here, a real adapter
 * elsewhere) every ADL task still reproduces the reference histogram, explain says where it runs and why, and
 * `auto` keeps a small query on the CPU without opening a device.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../../server/session.js';
import { asReference, referenceRecord } from '../func-adl/adl-events.js';
import { ADL_TASKS } from '../func-adl/adl-tasks.js';
import { SHARED } from '../helpers/shared-data.js';

const FILE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;

describe('Session device placement', () => {
  const gpu = new Session({ device: 'gpu', threads: 1 });
  const auto = new Session({ threads: 1 });
  afterAll(async () => {
    await gpu.close();
    await auto.close();
  });

  for (const t of ADL_TASKS)
    it(`task ${t.name} forced onto the GPU matches the reference`, async () => {
      const text = `${t.query}.Hist(lambda x: x, bins=100, range=(${t.lo}, ${t.hi}))`;
      expect(await gpu.explain(text, { files: [FILE] })).toMatch(/^ {2}Target: GPU .* — /m);
      const r = await gpu.query(text, { files: [FILE] });
      if (r.kind !== 'histogram') throw new Error('expected a histogram');
      const ref = referenceRecord(t.name);
      expect(asReference(r.histogram, t.lo, t.hi)).toEqual(ref);
    });

  it('explains the device: GPU when forced, CPU under auto for a small query', async () => {
    const q = 'Select(lambda e: e.MET_pt).Hist(lambda x: x, bins=100, range=(0, 2000))';
    expect(await gpu.explain(q, { files: [FILE] })).toMatch(/^ {2}Target: GPU .* — /m);
    expect(await auto.explain(q, { files: [FILE] })).toMatch(
      /^ {4}GPU: not consulted: the CPU side \(≈ [0-9.]+ ms\) is under the 250 ms it takes to open a device$/m,
    );
    expect(await auto.explain(q, { files: [FILE], device: 'cpu' })).toMatch(
      /^ {4}GPU: not considered: device cpu/m,
    );
  });
});
