import { describe, expect, it } from 'vitest';
import { FunctionRegistry } from '../../../udfs/api.js';
import { deltaPhi, deltaR, fourVector, HEP_SCALARS, registerHepFunctions } from '../../../udfs/hep/index.js';

const { add, eta, fromPtEtaPhiM, invariantMass, mass, phi, pt, transverseMass } = fourVector;

describe('angles', () => {
  it('wraps Δφ into [−π, π)', () => {
    // 3 − (−3) = 6 rad, one turn too many: 6 − 2π.
    expect(deltaPhi(3, -3)).toBeCloseTo(6 - 2 * Math.PI, 15);
    expect(deltaPhi(-3, 3)).toBeCloseTo(2 * Math.PI - 6, 15);
    expect(deltaPhi(Math.PI, 0)).toBeCloseTo(-Math.PI, 15);
    expect(deltaPhi(0.5, 0.25)).toBe(0.25);
    expect(deltaPhi(10 * Math.PI + 0.1, 0)).toBeCloseTo(0.1, 12);
  });

  it('ΔR is a 3-4-5 triangle in (η, φ)', () => {
    expect(deltaR(0, 0.3, 0.4, 0)).toBeCloseTo(0.5, 15);
    // Across the φ = ±π seam: Δφ = 0.2, Δη = 0.
    expect(deltaR(1, Math.PI - 0.1, 1, -Math.PI + 0.1)).toBeCloseTo(0.2, 12);
  });
});

describe('four-vectors', () => {
  it('builds components from (pt, η, φ, m)', () => {
    // pt = 3 along φ = 0, η = 0, m = 4: p = (3, 0, 0), E = √(9 + 16) = 5.
    const v = fromPtEtaPhiM(3, 0, 0, 4);
    expect(v).toEqual({ px: 3, py: 0, pz: 0, e: 5 });
    expect(mass(v)).toBe(4);
    // η = asinh(pz / pt): pt = 1 at η = asinh(1) has pz = 1.
    const w = fromPtEtaPhiM(1, Math.asinh(1), Math.PI / 2, 0);
    expect(w.pz).toBeCloseTo(1, 15);
    expect(eta(w)).toBeCloseTo(Math.asinh(1), 15);
    expect(phi(w)).toBeCloseTo(Math.PI / 2, 15);
    expect(pt(w)).toBeCloseTo(1, 15);
  });

  it('gives invariant masses derived by hand', () => {
    // Two massless 50 GeV objects back to back in the transverse plane: m = 100.
    expect(mass(add(fromPtEtaPhiM(50, 0, 0, 0), fromPtEtaPhiM(50, 0, Math.PI, 0)))).toBeCloseTo(100, 12);
    // 30 GeV at φ = 0 and 20 GeV at φ = π: p = 10, E = 50, m = √(2500 − 100) = √2400.
    expect(invariantMass([30, 20], [0, 0], [0, Math.PI], [0, 0])).toBeCloseTo(Math.sqrt(2400), 12);
    // Massless, η = 0, at right angles: m² = 2 pt₁ pt₂ (cosh Δη − cos Δφ) = 2·45·45.
    expect(invariantMass([45, 45], [0, 0], [0, Math.PI / 2], [0, 0])).toBeCloseTo(Math.sqrt(4050), 12);
    // A single object's mass is its own.
    expect(invariantMass([12], [1.3], [-2], [7])).toBeCloseTo(7, 12);
  });

  it('gives the transverse mass', () => {
    // Back to back: 1 − cos π = 2, so mT = √(2·40·30·2) = √4800.
    expect(transverseMass(40, 0, 30, Math.PI)).toBeCloseTo(Math.sqrt(4800), 12);
    expect(transverseMass(40, 1, 30, 1)).toBe(0);
  });
});

describe('registry', () => {
  it('registers the built-ins and refuses a silent override', () => {
    const r = registerHepFunctions(new FunctionRegistry());
    expect(r.scalar('DeltaR')!.fn(0, 0.3, 0.4, 0)).toBeCloseTo(0.5, 15);
    expect(r.scalar('InvariantMass2')!.fn(50, 0, 0, 0, 50, 0, Math.PI, 0)).toBeCloseTo(100, 12);
    expect(() => r.registerScalar(HEP_SCALARS[0]!)).toThrow(/already registered/);
    expect(() => r.registerScalar(HEP_SCALARS[0]!, { replace: true })).not.toThrow();
    expect(() => r.table('Fitt')).toThrow(/no table function/);
  });
});
