import { describe, expect, it } from 'vitest';
import { batchRows } from '../../exec/index.js';
import { analyzePlan } from '../../planner/analyze/index.js';
import { parseQuery } from '../../query/index.js';
import { FunctionRegistry } from '../../udfs/api.js';
import { deltaR, fourVector, registerHepFunctions } from '../../udfs/hep/index.js';
import { executePlan } from '../helpers/bound-exec.js';
import { HAVE_ADL, loadAdlEvents } from './adl-events.js';

const registry = registerHepFunctions(new FunctionRegistry());

async function rows(text: string) {
  const table = loadAdlEvents();
  const plan = parseQuery(text);
  analyzePlan(plan, table.schema(), { source: text, functions: registry });
  const r = await executePlan(plan, table, { functions: registry });
  if (r.kind !== 'rows') throw new Error('expected rows');
  return r.batches.flatMap((b) => batchRows(b, r.shape)) as Record<string, number>[];
}

describe.skipIf(!HAVE_ADL)('generated code agrees with the udfs/hep reference functions', () => {
  it('ΔR inline, ΔR of four-vectors and udfs deltaR agree on every jet', async () => {
    const out = await rows(`ds.SelectMany(lambda e: e.Jet.Select(lambda j: {'eta': j.eta, 'phi': j.phi,
        'inline': DeltaR(j.eta, j.phi, 0.5, 3.0),
        'p4': j.ToFourMomentum().deltaR({'pt': 1.0, 'eta': 0.5, 'phi': 3.0}.ToFourMomentum())}))`);
    expect(out.length).toBeGreaterThan(1000);
    for (const r of out) {
      const ref = deltaR(r.eta!, r.phi!, 0.5, 3.0);
      expect(Math.abs(r.inline! - ref)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(r.p4! - ref)).toBeLessThanOrEqual(1e-12);
    }
  });

  it('a registered InvariantMass2 matches the four-vector sum of muon pairs', async () => {
    const out = await rows(`ds.Where(lambda e: e.nMuon >= 2).Select(lambda e: {
        'udf': InvariantMass2(e.Muon_pt[0], e.Muon_eta[0], e.Muon_phi[0], e.Muon_mass[0],
                              e.Muon_pt[1], e.Muon_eta[1], e.Muon_phi[1], e.Muon_mass[1]),
        'p4': (e.Muon[0].ToFourMomentum() + e.Muon[1].ToFourMomentum()).mass,
        'pt0': e.Muon_pt[0], 'eta0': e.Muon_eta[0], 'phi0': e.Muon_phi[0], 'm0': e.Muon_mass[0],
        'pt1': e.Muon_pt[1], 'eta1': e.Muon_eta[1], 'phi1': e.Muon_phi[1], 'm1': e.Muon_mass[1]})`);
    expect(out.length).toBeGreaterThan(50);
    for (const r of out) {
      const ref = fourVector.invariantMass(
        [r.pt0!, r.pt1!],
        [r.eta0!, r.eta1!],
        [r.phi0!, r.phi1!],
        [r.m0!, r.m1!],
      );
      expect(Math.abs(r.udf! - ref)).toBeLessThanOrEqual(1e-9 * Math.max(1, ref));
      expect(Math.abs(r.p4! - ref)).toBeLessThanOrEqual(1e-9 * Math.max(1, ref));
    }
  });

  it('an unknown function suggests a registered one', () => {
    const text = 'ds.Select(lambda e: InvariantMas2(1, 2, 3, 4, 5, 6, 7, 8))';
    expect(() =>
      analyzePlan(parseQuery(text), loadAdlEvents().schema(), { source: text, functions: registry }),
    ).toThrow(/unknown function InvariantMas2/);
  });
});
