/**
 * The Session's device choice on the real ADL sample: forced onto the GPU (llvmpipe here, a real adapter
 * elsewhere) every ADL task still reproduces the reference histogram, explain says where it runs and why, and
 * `auto` keeps a small query on the CPU without opening a device.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../../../server/session.js';
import { asReference, referenceRecord } from '../../func-adl/adl-events.js';
import { ADL_TASKS } from '../../func-adl/adl-tasks.js';
import { SHARED } from '../../helpers/shared-data.js';

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

  it('First()/Last() of an empty collection is None on the GPU as on the CPU (7 events of the file have no muon)', async () => {
    for (const pick of ['First', 'Last']) {
      const q = `Select(lambda e: e.Muon_pt.${pick}()).Hist(lambda x: x, bins=50, range=(0, 200))`;
      expect(await gpu.explain(q, { files: [FILE] })).toMatch(/^ {2}Target: GPU .* — /m);
      const r = await gpu.query(q, { files: [FILE] });
      const c = await auto.query(q, { files: [FILE], device: 'cpu' });
      expect(r).toEqual(c);
      if (c.kind !== 'histogram') throw new Error('expected a histogram');
      // Events without muons are None, which no bin counts (the JSONL copy of the sample has 7 such events).
      const n = c.histogram.counts.reduce((a, b) => a + b, 0) + c.histogram.underflow + c.histogram.overflow;
      expect(n).toBe(1000 - 7);
    }
  });

  it('a histogram of 1 or 2 bins fills the same bins on the GPU as on the CPU (edges past the last were read)', async () => {
    for (const bins of [1, 2]) {
      const q = `Select(lambda e: 1 if e.nJet == 2 else 0).Hist(lambda x: x, bins=${bins}, range=(0, 2))`;
      expect(await gpu.explain(q, { files: [FILE] })).toMatch(/^ {2}Target: GPU .* — /m);
      const c = await auto.query(q, { files: [FILE], device: 'cpu' });
      expect(await gpu.query(q, { files: [FILE] })).toEqual(c);
      if (c.kind !== 'histogram') throw new Error('expected a histogram');
      expect(c.histogram.overflow).toBe(0);
    }
  });

  it('two-axis histograms of file columns run on the GPU and fill the bins the CPU fills (2 bins a side too)', async () => {
    for (const bins of ['(20, 10)', '(2, 2)', '(30, 3)']) {
      const q = `Hist2D(lambda e: e.MET_pt, lambda e: e.nJet, bins=${bins}, range=((0, 100), (0, 10)))`;
      expect(await gpu.explain(q, { files: [FILE] })).toMatch(/^ {2}Target: GPU .* — /m);
      expect(await gpu.query(q, { files: [FILE] })).toEqual(
        await auto.query(q, { files: [FILE], device: 'cpu' }),
      );
    }
  });

  it('the GPU declines an operator it has no kernel for (Sum of four-vectors): the CPU runs it', async () => {
    const q =
      "Select(lambda e: Zip({'pt': e.Jet_pt, 'eta': e.Jet_eta, 'phi': e.Jet_phi, 'mass': e.Jet_mass}).ToFourMomenta().Sum().pt).Hist(lambda x: x, bins=50, range=(0, 200))";
    expect(await gpu.explain(q, { files: [FILE] })).not.toMatch(/^ {2}Target: GPU .* — /m);
    expect(await gpu.query(q, { files: [FILE] })).toEqual(
      await auto.query(q, { files: [FILE], device: 'cpu' }),
    );
  });

  it('a plan the fused compiler cannot take is placed on the CPU without opening a device', async () => {
    const fresh = new Session({ device: 'gpu', threads: 1 });
    const text = await fresh.explain("Select(lambda e: {'a': e.MET_pt, 'b': e.Jet_pt})", { files: [FILE] });
    expect(text).toMatch(/^ {2}Target: this thread/m);
    expect(text).toMatch(/^ {4}GPU: not offloadable: /m);
    expect((fresh as unknown as { gpu: { ctx?: unknown } }).gpu.ctx).toBeUndefined(); // no device was opened
    await fresh.close();
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
