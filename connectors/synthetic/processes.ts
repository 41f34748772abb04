/**
 * Single-process samples (`hepq generate --process …`), the samples of the Analysis Grand Challenge's tt̄
 * analysis: the hard scatter of each process (prompt leptons, neutrinos, quarks and hard ISR partons that
 * become jets) with its cross section, so a sample can be normalised as σ · L / N.
 */
import { fromPtEtaPhiM, fromPtYPhiM, type P4, twoBody } from './kinematics.js';
import type { Rng } from './rng.js';

export type SyntheticProcess =
  | 'ttbar'
  | 'single_top_s'
  | 'single_top_t'
  | 'single_top_tW'
  | 'wjets'
  | 'dy'
  | 'qcd';

export interface ProcessInfo {
  /** The truth label written to every event (`truth_process`). */
  readonly code: number;
  /** Cross section in pb (13 TeV; the values the AGC tt̄ analysis normalises its samples with). */
  readonly xsec: number;
  readonly description: string;
}

/** The processes, their truth codes (0 QCD, 1 Z, 2 W, 3 tt̄, as the mixture labels them) and cross sections. */
export const PROCESSES: Readonly<Record<SyntheticProcess, ProcessInfo>> = {
  ttbar: { code: 3, xsec: 729.84, description: 'tt̄, all decays (t→bW)' },
  single_top_s: { code: 4, xsec: 2.0268 + 1.2676, description: 'single top, s-channel (t b̄)' },
  single_top_t: { code: 5, xsec: (36.993 + 22.175) / 0.252, description: 'single top, t-channel (t q)' },
  single_top_tW: { code: 6, xsec: 37.936 + 37.906, description: 'single top, tW' },
  wjets: { code: 2, xsec: 61457 * 0.252, description: 'W(→ℓν) + jets' },
  dy: { code: 1, xsec: 6077.22, description: 'Drell–Yan Z/γ*(→ℓℓ) + jets, m > 50 GeV' },
  qcd: { code: 0, xsec: 302672.16, description: 'QCD multijet, muon-enriched (σ × filter efficiency)' },
};

export const SYNTHETIC_PROCESSES = Object.keys(PROCESSES) as readonly SyntheticProcess[];

export const TOP_MASS = 172.5;
const TOP_WIDTH = 1.42;
const W_MASS = 80.379;
const W_WIDTH = 2.085;
const Z_MASS = 91.1876;
const Z_WIDTH = 2.4952;
const B_MASS = 4.7;
const MUON_MASS = 0.105658;
const ELECTRON_MASS = 0.000511;
const TWO_PI = 2 * Math.PI;

/** What one hard scatter leaves for the detector simulation of `event-model.ts`. */
export interface HardScatter {
  readonly muons: { p: P4; q: number }[];
  readonly electrons: { p: P4; q: number }[];
  readonly partons: { p: P4; b: boolean }[];
  nuX: number;
  nuY: number;
  bosonMass: number;
}

export function emptyHardScatter(): HardScatter {
  return { muons: [], electrons: [], partons: [], nuX: 0, nuY: 0, bosonMass: 0 };
}

/** W → ℓν (ℓ = e or μ, equally) or → qq̄′ (with `hadronic` probability), from a W four-momentum. */
function decayW(rng: Rng, w: P4, q: number, hadronic: number, out: HardScatter): void {
  if (rng.chance(hadronic)) {
    const [q1, q2] = twoBody(rng, w, 0.3, 0.3);
    out.partons.push({ p: q1, b: false }, { p: q2, b: false });
    return;
  }
  const electron = rng.chance(0.5);
  const [l, nu] = twoBody(rng, w, electron ? ELECTRON_MASS : MUON_MASS, 0);
  (electron ? out.electrons : out.muons).push({ p: l, q });
  out.nuX += nu.px;
  out.nuY += nu.py;
}

/** A top quark of the given transverse-momentum scale, decayed t → bW. */
function top(rng: Rng, ptScale: number, q: number, hadronic: number, out: HardScatter): void {
  const t = fromPtYPhiM(
    rng.exponential(ptScale),
    rng.normal(0, 1.1),
    TWO_PI * rng.uniform(),
    rng.breitWigner(TOP_MASS, TOP_WIDTH, 160, 185),
  );
  const [b, w] = twoBody(rng, t, B_MASS, rng.breitWigner(W_MASS, W_WIDTH, 70, 90));
  out.partons.push({ p: b, b: true });
  decayW(rng, w, q, hadronic, out);
}

/** Hard initial-state radiation: a Poisson number of partons, pt ∝ pt^-3 above `ptMin`, some b quarks. */
function isr(rng: Rng, mean: number, ptMin: number, heavy: number, out: HardScatter): void {
  const n = rng.poisson(mean);
  for (let k = 0; k < n; k++)
    out.partons.push({
      p: fromPtEtaPhiM(Math.min(2000, rng.powerLaw(ptMin, 3)), rng.normal(0, 1.6), TWO_PI * rng.uniform(), 5),
      b: rng.chance(heavy),
    });
}

/** A vector boson of mass `m` with a recoil spectrum. */
function boson(rng: Rng, m: number): P4 {
  return fromPtYPhiM(rng.exponential(12) + rng.exponential(6), rng.normal(0, 1.7), TWO_PI * rng.uniform(), m);
}

/** Generate the hard scatter of one event of `process` into `out` (which must be empty). */
export function hardScatter(rng: Rng, process: SyntheticProcess, out: HardScatter): void {
  switch (process) {
    case 'ttbar': {
      // W → qq̄′ in 67.6% of decays: lepton+jets, dilepton and all-hadronic in their natural proportions.
      top(rng, 90, 1, 0.676, out);
      top(rng, 90, -1, 0.676, out);
      isr(rng, 0.9, 25, 0.03, out);
      return;
    }
    case 'single_top_s': {
      top(rng, 45, rng.sign(), 0.676, out);
      out.partons.push({
        p: fromPtEtaPhiM(20 + rng.exponential(40), rng.normal(0, 1.3), TWO_PI * rng.uniform(), B_MASS),
        b: true,
      });
      isr(rng, 0.8, 25, 0.03, out);
      return;
    }
    case 'single_top_t': {
      top(rng, 40, rng.sign(), 0.676, out);
      // The spectator quark goes forward.
      out.partons.push({
        p: fromPtEtaPhiM(15 + rng.exponential(35), rng.normal(0, 2.4), TWO_PI * rng.uniform(), 0.3),
        b: false,
      });
      isr(rng, 0.9, 25, 0.06, out);
      return;
    }
    case 'single_top_tW': {
      const q = rng.sign();
      top(rng, 50, q, 0.676, out);
      decayW(rng, boson(rng, rng.breitWigner(W_MASS, W_WIDTH, 50, 150)), -q, 0.676, out);
      isr(rng, 0.8, 25, 0.03, out);
      return;
    }
    case 'wjets': {
      const m = rng.breitWigner(W_MASS, W_WIDTH, 50, 150);
      out.bosonMass = m;
      decayW(rng, boson(rng, m), rng.chance(0.58) ? 1 : -1, 0, out);
      isr(rng, 0.8, 22, 0.04, out);
      return;
    }
    case 'dy': {
      const m = rng.breitWigner(Z_MASS, Z_WIDTH, 50, 150);
      out.bosonMass = m;
      const electron = rng.chance(0.5);
      const ml = electron ? ELECTRON_MASS : MUON_MASS;
      const [a, b] = twoBody(rng, boson(rng, m), ml, ml);
      const q = rng.sign();
      (electron ? out.electrons : out.muons).push({ p: a, q }, { p: b, q: -q });
      isr(rng, 0.8, 22, 0.04, out);
      return;
    }
    case 'qcd': {
      // A hard dijet plus radiation; the non-prompt muon of a muon-enriched sample comes from event-model.ts.
      const ptHat = rng.powerLaw(30, 4);
      const phi = TWO_PI * rng.uniform();
      const bb = rng.chance(0.1);
      out.partons.push(
        { p: fromPtEtaPhiM(ptHat, rng.normal(0, 1.8), phi, 5), b: bb },
        { p: fromPtEtaPhiM(ptHat * rng.range(0.6, 1), rng.normal(0, 1.8), phi + Math.PI, 5), b: bb },
      );
      isr(rng, 1.5, 22, 0.04, out);
      return;
    }
  }
}
