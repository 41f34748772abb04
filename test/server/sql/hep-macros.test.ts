/**
 * The SQL ΔR and Δφ macros, printed from the shared formulas (planner/ir/formulas.ts), against the registry's
 * scalar functions (udfs/hep, a second implementation in plain JS) over every leading muon pair of the real
 * Run2012B_SingleMu_1000.root, bit for bit, and Δφ on hand-derived values.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../../../server/session.js';
import { ADL_ROOT, HAVE_ADL, lit } from './helpers.js';

describe.skipIf(!HAVE_ADL)('HEP macros printed from the shared formulas', () => {
  const session = new Session();
  afterAll(() => session.close());
  const ROOT = `root(${lit(ADL_ROOT)}, 'Events')`;

  it('delta_phi wraps into [−π, π) (hand-derived values)', async () => {
    const r = await session.sql(
      'SELECT delta_phi(3.0, -3.0) AS a, delta_phi(pi(), 0.0) AS b, delta_phi(-pi(), 0.0) AS c, delta_phi(0.5, 0.25) AS d',
    );
    expect(r.columns.map((c) => Number(c[0]))).toEqual([6 - 2 * Math.PI, -Math.PI, -Math.PI, 0.25]);
  });

  it('delta_r and delta_phi equal DeltaR and DeltaPhi on every leading muon pair', async () => {
    const r = await session.sql(`
      SELECT count(*) AS n,
        count(*) FILTER (WHERE delta_r(Muon[1], Muon[2]) IS DISTINCT FROM
                               DeltaR(Muon[1].eta, Muon[1].phi, Muon[2].eta, Muon[2].phi)) AS dr,
        count(*) FILTER (WHERE delta_phi(Muon[1].phi, Muon[2].phi) IS DISTINCT FROM
                               DeltaPhi(Muon[1].phi, Muon[2].phi)) AS dphi
      FROM ${ROOT} WHERE len(Muon) >= 2`);
    const [n, dr, dphi] = r.columns.map((c) => Number(c[0]));
    expect({ dr, dphi }).toEqual({ dr: 0, dphi: 0 });
    expect(n).toBeGreaterThan(100);
  });
});
