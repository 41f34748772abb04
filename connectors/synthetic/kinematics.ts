/** Four-vectors for the event model: (pt, eta, phi, m) ↔ (px, py, pz, E), boosts and two-body decays. */
import type { Rng } from './rng.js';

export interface P4 {
  px: number;
  py: number;
  pz: number;
  e: number;
}

export function fromPtEtaPhiM(pt: number, eta: number, phi: number, m: number): P4 {
  const px = pt * Math.cos(phi);
  const py = pt * Math.sin(phi);
  const pz = pt * Math.sinh(eta);
  return { px, py, pz, e: Math.sqrt(px * px + py * py + pz * pz + m * m) };
}

/** A particle of mass `m` with transverse momentum `pt`, rapidity `y` and azimuth `phi`. */
export function fromPtYPhiM(pt: number, y: number, phi: number, m: number): P4 {
  const mt = Math.sqrt(m * m + pt * pt);
  return { px: pt * Math.cos(phi), py: pt * Math.sin(phi), pz: mt * Math.sinh(y), e: mt * Math.cosh(y) };
}

export const pt = (p: P4): number => Math.hypot(p.px, p.py);
export const phi = (p: P4): number => Math.atan2(p.py, p.px);
export function eta(p: P4): number {
  const t = pt(p);
  if (t === 0) return p.pz >= 0 ? 1e3 : -1e3;
  return Math.asinh(p.pz / t);
}
export function mass(p: P4): number {
  const m2 = p.e * p.e - p.px * p.px - p.py * p.py - p.pz * p.pz;
  return m2 > 0 ? Math.sqrt(m2) : 0;
}

/** Boost `p` (given in the rest frame of `parent`) into the frame where `parent` has its momentum. */
export function boost(p: P4, parent: P4): P4 {
  const m = mass(parent);
  const bx = parent.px / parent.e;
  const by = parent.py / parent.e;
  const bz = parent.pz / parent.e;
  const b2 = bx * bx + by * by + bz * bz;
  if (b2 === 0) return { ...p };
  const gamma = parent.e / m;
  const bp = bx * p.px + by * p.py + bz * p.pz;
  const g2 = (gamma - 1) / b2;
  return {
    px: p.px + g2 * bp * bx + gamma * bx * p.e,
    py: p.py + g2 * bp * by + gamma * by * p.e,
    pz: p.pz + g2 * bp * bz + gamma * bz * p.e,
    e: gamma * (p.e + bp),
  };
}

/** Isotropic two-body decay of `parent` into masses m1, m2, returned in the lab frame. */
export function twoBody(rng: Rng, parent: P4, m1: number, m2: number): [P4, P4] {
  const m = mass(parent);
  const p = Math.sqrt(Math.max(0, (m * m - (m1 + m2) ** 2) * (m * m - (m1 - m2) ** 2))) / (2 * m);
  const cos = 2 * rng.uniform() - 1;
  const sin = Math.sqrt(1 - cos * cos);
  const ph = 2 * Math.PI * rng.uniform();
  const dx = p * sin * Math.cos(ph);
  const dy = p * sin * Math.sin(ph);
  const dz = p * cos;
  const a = { px: dx, py: dy, pz: dz, e: Math.sqrt(p * p + m1 * m1) };
  const b = { px: -dx, py: -dy, pz: -dz, e: Math.sqrt(p * p + m2 * m2) };
  return [boost(a, parent), boost(b, parent)];
}
