/** Lorentz four-vectors from (pt, η, φ, m): construction, sums, components, invariant and transverse mass. */
import { deltaPhi } from './angles.js';

/** A four-vector in Cartesian components (energy last). */
export interface FourVector {
  readonly px: number;
  readonly py: number;
  readonly pz: number;
  readonly e: number;
}

export function fromPtEtaPhiM(pt: number, eta: number, phi: number, m: number): FourVector {
  const px = pt * Math.cos(phi);
  const py = pt * Math.sin(phi);
  const pz = pt * Math.sinh(eta);
  return { px, py, pz, e: Math.sqrt(px * px + py * py + pz * pz + m * m) };
}

export function add(...vs: readonly FourVector[]): FourVector {
  let px = 0;
  let py = 0;
  let pz = 0;
  let e = 0;
  for (const v of vs) {
    px += v.px;
    py += v.py;
    pz += v.pz;
    e += v.e;
  }
  return { px, py, pz, e };
}

export function pt(v: FourVector): number {
  return Math.hypot(v.px, v.py);
}

export function eta(v: FourVector): number {
  return Math.asinh(v.pz / pt(v));
}

export function phi(v: FourVector): number {
  return Math.atan2(v.py, v.px);
}

/** The invariant mass; a negative m² (rounding) gives −√|m²| as ROOT's TLorentzVector does. */
export function mass(v: FourVector): number {
  const m2 = v.e * v.e - v.px * v.px - v.py * v.py - v.pz * v.pz;
  return m2 < 0 ? -Math.sqrt(-m2) : Math.sqrt(m2);
}

/** Invariant mass of N objects given as parallel arrays of pt, η, φ, m. */
export function invariantMass(
  pts: ArrayLike<number>,
  etas: ArrayLike<number>,
  phis: ArrayLike<number>,
  ms: ArrayLike<number>,
): number {
  const vs: FourVector[] = [];
  for (let i = 0; i < pts.length; i++) vs.push(fromPtEtaPhiM(pts[i]!, etas[i]!, phis[i]!, ms[i]!));
  return mass(add(...vs));
}

/** Transverse mass of two objects (e.g. a lepton and MET): √(2 pt₁ pt₂ (1 − cos Δφ)). */
export function transverseMass(pt1: number, phi1: number, pt2: number, phi2: number): number {
  return Math.sqrt(2 * pt1 * pt2 * (1 - Math.cos(deltaPhi(phi1, phi2))));
}
