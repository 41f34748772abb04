/**
 * The event model: CMS-2012-like single-muon events as a mixture of processes — Z→μμ (Breit–Wigner line shape,
 * boosted, decayed isotropically), W→μν (the neutrino makes MET), tt̄ (t→bW, three-jet masses near 172.5 GeV,
 * b-tagged jets) and QCD (non-isolated muons in jets) — plus pile-up vertices, jets with a falling pt spectrum,
 * electrons, taus, photons, and MET from the invisible momentum plus a resolution that grows with ΣET.
 * One call fills one cluster of events column by column; it uses only its own random stream.
 */
import { Collection, fieldIndex } from './collection.js';
import { ELECTRON_FIELDS, JET_FIELDS, MUON_FIELDS, PHOTON_FIELDS, TAU_FIELDS } from './fields.js';
import { eta, fromPtEtaPhiM, fromPtYPhiM, type P4, phi, pt, twoBody } from './kinematics.js';
import {
  emptyHardScatter,
  type HardScatter,
  hardScatter,
  PROCESSES,
  type SyntheticProcess,
} from './processes.js';
import type { Rng } from './rng.js';

const MU = fieldIndex(MUON_FIELDS);
const EL = fieldIndex(ELECTRON_FIELDS);
const TA = fieldIndex(TAU_FIELDS);
const PH = fieldIndex(PHOTON_FIELDS);
const JE = fieldIndex(JET_FIELDS);

export const Z_MASS = 91.1876;
export const Z_WIDTH = 2.4952;
const W_MASS = 80.379;
const W_WIDTH = 2.085;
const TOP_MASS = 172.5;
const TOP_WIDTH = 1.42;
const MUON_MASS = 0.105658;
const ELECTRON_MASS = 0.000511;
const B_MASS = 4.7;

/** Process fractions of the mixture (the rest is QCD multijet with a non-prompt muon). */
export const PROCESS_FRACTIONS = { z: 0.1, w: 0.35, ttbar: 0.02 } as const;

/** One cluster of generated events, column by column. */
export interface ClusterColumns {
  readonly events: number;
  readonly run: Int32Array;
  readonly luminosityBlock: Uint32Array;
  readonly event: BigUint64Array;
  readonly hlt: {
    IsoMu24_eta2p1: Uint8Array;
    IsoMu24: Uint8Array;
    IsoMu17_eta2p1_LooseIsoPFTau20: Uint8Array;
  };
  readonly pv: { npvs: Int32Array; x: Float32Array; y: Float32Array; z: Float32Array };
  readonly met: {
    pt: Float32Array;
    phi: Float32Array;
    sumet: Float32Array;
    significance: Float32Array;
    CovXX: Float32Array;
    CovXY: Float32Array;
    CovYY: Float32Array;
  };
  readonly muon: Collection;
  readonly electron: Collection;
  readonly tau: Collection;
  readonly photon: Collection;
  readonly jet: Collection;
  /** Generator truth, for tests: the process of each event (0 QCD, 1 Z, 2 W, 3 tt̄) and the Z/W mass. */
  readonly process: Uint8Array;
  readonly bosonMass: Float32Array;
}

const clampEta = (x: number, lim: number) => (x > lim ? lim : x < -lim ? -lim : x);
const TWO_PI = 2 * Math.PI;

/** Generate `n` events whose global indices start at `first`: the mixture, or only `process` when given. */
export function generateCluster(
  rng: Rng,
  n: number,
  first: number,
  process?: SyntheticProcess,
): ClusterColumns {
  const c: ClusterColumns = {
    events: n,
    run: new Int32Array(n),
    luminosityBlock: new Uint32Array(n),
    event: new BigUint64Array(n),
    hlt: {
      IsoMu24_eta2p1: new Uint8Array(n),
      IsoMu24: new Uint8Array(n),
      IsoMu17_eta2p1_LooseIsoPFTau20: new Uint8Array(n),
    },
    pv: { npvs: new Int32Array(n), x: new Float32Array(n), y: new Float32Array(n), z: new Float32Array(n) },
    met: {
      pt: new Float32Array(n),
      phi: new Float32Array(n),
      sumet: new Float32Array(n),
      significance: new Float32Array(n),
      CovXX: new Float32Array(n),
      CovXY: new Float32Array(n),
      CovYY: new Float32Array(n),
    },
    muon: new Collection(MUON_FIELDS, n, 1.6),
    electron: new Collection(ELECTRON_FIELDS, n, 0.3),
    tau: new Collection(TAU_FIELDS, n, 1),
    photon: new Collection(PHOTON_FIELDS, n, 0.5),
    jet: new Collection(JET_FIELDS, n, 3.5),
    process: new Uint8Array(n),
    bosonMass: new Float32Array(n),
  };
  const prompt: P4[] = [];
  const promptCharge: number[] = [];
  const partons: { p: P4; b: boolean }[] = [];
  for (let i = 0; i < n; i++) {
    const g = first + i;
    c.run[i] = 194050 + Math.floor(g / 250000);
    c.luminosityBlock[i] = 1 + Math.floor((g % 250000) / 400);
    c.event[i] = BigInt(g + 1);
    const npv = 1 + rng.poisson(14);
    c.pv.npvs[i] = npv;
    c.pv.x[i] = rng.normal(0.0685, 0.012);
    c.pv.y[i] = rng.normal(0.0625, 0.012);
    c.pv.z[i] = rng.normal(0.4, 4.6);

    prompt.length = 0;
    promptCharge.length = 0;
    partons.length = 0;
    let nuX = 0;
    let nuY = 0;
    let proc = 0;
    let promptElectrons: HardScatter['electrons'] = [];
    if (process) {
      const h = emptyHardScatter();
      hardScatter(rng, process, h);
      proc = PROCESSES[process].code;
      c.bosonMass[i] = h.bosonMass;
      for (const m of h.muons) {
        prompt.push(m.p);
        promptCharge.push(m.q);
      }
      partons.push(...h.partons);
      nuX += h.nuX;
      nuY += h.nuY;
      promptElectrons = h.electrons;
    } else {
      const r = rng.uniform();
      if (r < PROCESS_FRACTIONS.z) {
        proc = 1;
        const m = rng.breitWigner(Z_MASS, Z_WIDTH, 50, 150);
        c.bosonMass[i] = m;
        const z = fromPtYPhiM(
          rng.exponential(9) + rng.exponential(3),
          rng.normal(0, 1.6),
          TWO_PI * rng.uniform(),
          m,
        );
        const [a, b] = twoBody(rng, z, MUON_MASS, MUON_MASS);
        prompt.push(a, b);
        const q = rng.sign();
        promptCharge.push(q, -q);
      } else if (r < PROCESS_FRACTIONS.z + PROCESS_FRACTIONS.w) {
        proc = 2;
        const m = rng.breitWigner(W_MASS, W_WIDTH, 50, 150);
        c.bosonMass[i] = m;
        const w = fromPtYPhiM(
          rng.exponential(7) + rng.exponential(2),
          rng.normal(0, 1.7),
          TWO_PI * rng.uniform(),
          m,
        );
        const [mu, nu] = twoBody(rng, w, MUON_MASS, 0);
        prompt.push(mu);
        promptCharge.push(rng.chance(0.58) ? 1 : -1);
        nuX += nu.px;
        nuY += nu.py;
      } else if (r < PROCESS_FRACTIONS.z + PROCESS_FRACTIONS.w + PROCESS_FRACTIONS.ttbar) {
        proc = 3;
        const leptonic = rng.int(2);
        for (let t = 0; t < 2; t++) {
          const top = fromPtYPhiM(
            rng.exponential(70),
            rng.normal(0, 1.1),
            TWO_PI * rng.uniform(),
            rng.breitWigner(TOP_MASS, TOP_WIDTH, 160, 185),
          );
          const [b, w] = twoBody(rng, top, B_MASS, rng.breitWigner(W_MASS, W_WIDTH, 70, 90));
          partons.push({ p: b, b: true });
          if (t === leptonic) {
            const [mu, nu] = twoBody(rng, w, MUON_MASS, 0);
            prompt.push(mu);
            promptCharge.push(t === 0 ? 1 : -1);
            nuX += nu.px;
            nuY += nu.py;
          } else {
            const [q1, q2] = twoBody(rng, w, 0.3, 0.3);
            partons.push({ p: q1, b: false }, { p: q2, b: false });
          }
        }
      }
    }
    c.process[i] = proc;

    // Jets: hard partons (smeared), then ISR / multijet / pile-up jets with a falling spectrum.
    const jet = c.jet;
    let sumJetPt = 0;
    let visX = 0;
    let visY = 0;
    for (const { p, b } of partons) {
      const jpt = pt(p) * rng.normal(1, 0.1);
      const jeta = eta(p);
      if (jpt < 15 || Math.abs(jeta) > 4.7) continue;
      const s = jet.add();
      if (s < 0) break;
      jet.set(s, JE.pt, jpt);
      jet.set(s, JE.eta, jeta);
      jet.set(s, JE.phi, phi(p));
      jet.set(s, JE.mass, Math.max(b ? B_MASS : 1, jpt * rng.range(0.06, 0.16)));
      jet.set(s, JE.puId, rng.chance(0.98) ? 1 : 0);
      jet.set(
        s,
        JE.btag,
        b ? (rng.chance(0.75) ? 1 - 0.35 * rng.uniform() ** 2 : rng.uniform()) : rng.uniform() ** 4 * 0.6,
      );
    }
    const extraJets = rng.poisson(proc === 0 ? 2.6 : proc === 3 ? 0.8 : 1.2) + Math.floor(npv / 12);
    for (let k = 0; k < extraJets; k++) {
      const s = jet.add();
      if (s < 0) break;
      const jpt = Math.min(3000, rng.powerLaw(15, 4.2));
      const heavy = rng.chance(0.05);
      jet.set(s, JE.pt, jpt);
      jet.set(s, JE.eta, clampEta(rng.normal(0, 2.0), 4.7));
      jet.set(s, JE.phi, TWO_PI * rng.uniform() - Math.PI);
      jet.set(s, JE.mass, jpt * rng.range(0.05, 0.18));
      jet.set(s, JE.puId, rng.chance(jpt > 30 ? 0.97 : 0.75) ? 1 : 0);
      jet.set(s, JE.btag, heavy ? 1 - 0.5 * rng.uniform() ** 2 : rng.uniform() ** 4 * 0.6);
    }
    for (let s = 0; s < jet.count; s++) {
      const jpt = jet.get(s, JE.pt);
      const ph = jet.get(s, JE.phi);
      sumJetPt += jpt;
      visX += jpt * Math.cos(ph);
      visY += jpt * Math.sin(ph);
    }
    const nJet = jet.count;
    jet.commit(JE.pt);

    // Muons: prompt ones inside the acceptance, then non-prompt (QCD) and soft muons in jets.
    const mu = c.muon;
    let leadIsoPt = 0;
    let leadIsoEta = 9;
    const addMuon = (p: P4, q: number, isPrompt: boolean) => {
      const mpt = pt(p) * rng.normal(1, 0.015);
      const meta = eta(p);
      if (mpt < 3 || Math.abs(meta) > 2.4) return;
      const s = mu.add();
      if (s < 0) return;
      const iso = isPrompt ? rng.exponential(0.04) : 0.05 + rng.exponential(0.6);
      mu.set(s, MU.pt, mpt);
      mu.set(s, MU.eta, meta);
      mu.set(s, MU.phi, phi(p));
      mu.set(s, MU.mass, MUON_MASS);
      mu.set(s, MU.charge, q);
      mu.set(s, MU.pfRelIso03_all, iso);
      mu.set(s, MU.pfRelIso04_all, iso * 1.3 + rng.exponential(0.01));
      mu.set(s, MU.tightId, rng.chance(isPrompt ? 0.95 : 0.6) ? 1 : 0);
      mu.set(s, MU.softId, rng.chance(isPrompt ? 0.97 : 0.85) ? 1 : 0);
      mu.set(s, MU.dxy, rng.normal(0, isPrompt ? 0.002 : 0.03));
      mu.set(s, MU.dxyErr, 0.001 + rng.exponential(0.002));
      mu.set(s, MU.dz, rng.normal(0, isPrompt ? 0.005 : 0.05));
      mu.set(s, MU.dzErr, 0.002 + rng.exponential(0.003));
      mu.set(s, MU.jetIdx, isPrompt || nJet === 0 ? -1 : rng.int(nJet));
      mu.set(s, MU.genPartIdx, -1);
      if (iso < 0.15 && mpt > leadIsoPt) {
        leadIsoPt = mpt;
        leadIsoEta = meta;
      }
    };
    for (const [k, p] of prompt.entries()) addMuon(p, promptCharge[k]!, true);
    if (proc === 0)
      addMuon(
        fromPtEtaPhiM(8 + rng.exponential(14), rng.normal(0, 1.3), TWO_PI * rng.uniform(), MUON_MASS),
        rng.sign(),
        false,
      );
    if (rng.chance(0.12))
      addMuon(
        fromPtEtaPhiM(3 + rng.exponential(4), rng.normal(0, 1.4), TWO_PI * rng.uniform(), MUON_MASS),
        rng.sign(),
        false,
      );
    let sumLepPt = 0;
    for (let s = 0; s < mu.count; s++) {
      const mpt = mu.get(s, MU.pt);
      const ph = mu.get(s, MU.phi);
      sumLepPt += mpt;
      visX += mpt * Math.cos(ph);
      visY += mpt * Math.sin(ph);
    }
    mu.commit(MU.pt);

    // Electrons (mostly fakes and conversions in a single-muon sample).
    const el = c.electron;
    for (const { p, q } of promptElectrons) {
      const ept = pt(p) * rng.normal(1, 0.02);
      const eeta = eta(p);
      if (ept < 5 || Math.abs(eeta) > 2.5) continue;
      const s = el.add();
      if (s < 0) break;
      sumLepPt += ept;
      el.set(s, EL.pt, ept);
      el.set(s, EL.eta, eeta);
      el.set(s, EL.phi, phi(p));
      el.set(s, EL.mass, ELECTRON_MASS);
      el.set(s, EL.charge, q);
      el.set(s, EL.pfRelIso03_all, rng.exponential(0.04));
      el.set(s, EL.dxy, rng.normal(0, 0.003));
      el.set(s, EL.dxyErr, 0.002 + rng.exponential(0.002));
      el.set(s, EL.dz, rng.normal(0, 0.006));
      el.set(s, EL.dzErr, 0.003 + rng.exponential(0.003));
      el.set(s, EL.cutBasedId, rng.chance(0.9) ? 1 : 0);
      el.set(s, EL.pfId, 1);
      el.set(s, EL.jetIdx, -1);
      el.set(s, EL.genPartIdx, -1);
    }
    const nEl = rng.poisson(0.22);
    for (let k = 0; k < nEl; k++) {
      const s = el.add();
      if (s < 0) break;
      const ept = 5 + rng.exponential(11);
      sumLepPt += ept;
      el.set(s, EL.pt, ept);
      el.set(s, EL.eta, clampEta(rng.normal(0, 1.2), 2.5));
      el.set(s, EL.phi, TWO_PI * rng.uniform() - Math.PI);
      el.set(s, EL.mass, ELECTRON_MASS * rng.range(0.5, 1.5));
      el.set(s, EL.charge, rng.sign());
      el.set(s, EL.pfRelIso03_all, rng.exponential(0.3));
      el.set(s, EL.dxy, rng.normal(0, 0.01));
      el.set(s, EL.dxyErr, 0.002 + rng.exponential(0.004));
      el.set(s, EL.dz, rng.normal(0, 0.02));
      el.set(s, EL.dzErr, 0.003 + rng.exponential(0.005));
      el.set(s, EL.cutBasedId, rng.chance(0.4) ? 1 : 0);
      el.set(s, EL.pfId, rng.chance(0.7) ? 1 : 0);
      el.set(s, EL.jetIdx, nJet && rng.chance(0.5) ? rng.int(nJet) : -1);
      el.set(s, EL.genPartIdx, -1);
    }
    el.commit(EL.pt);

    // Taus: loose candidates, with isolation and discriminators nested Loose ⊇ Medium ⊇ Tight.
    const ta = c.tau;
    const nTau = rng.poisson(0.9);
    let leadTauPt = 0;
    for (let k = 0; k < nTau; k++) {
      const s = ta.add();
      if (s < 0) break;
      const tpt = 18 + rng.exponential(12);
      const teta = clampEta(rng.normal(0, 1.3), 2.3);
      const dmr = rng.uniform();
      const dm = dmr < 0.25 ? 0 : dmr < 0.7 ? 1 : dmr < 0.8 ? 2 : 10;
      const raw = rng.exponential(4);
      const ae = rng.uniform();
      const am = rng.uniform();
      ta.set(s, TA.pt, tpt);
      ta.set(s, TA.eta, teta);
      ta.set(s, TA.phi, TWO_PI * rng.uniform() - Math.PI);
      ta.set(s, TA.mass, dm === 0 ? 0.13957 : rng.range(0.3, 1.4));
      ta.set(s, TA.charge, rng.sign());
      ta.set(s, TA.decayMode, dm);
      ta.set(s, TA.relIso_all, rng.exponential(2));
      ta.set(s, TA.jetIdx, nJet && rng.chance(0.8) ? rng.int(nJet) : -1);
      ta.set(s, TA.genPartIdx, -1);
      ta.set(s, TA.idDecayMode, rng.chance(0.85) ? 1 : 0);
      ta.set(s, TA.idIsoRaw, raw);
      ta.set(s, TA.idIsoVLoose, raw < 5 ? 1 : 0);
      ta.set(s, TA.idIsoLoose, raw < 3 ? 1 : 0);
      ta.set(s, TA.idIsoMedium, raw < 2 ? 1 : 0);
      ta.set(s, TA.idIsoTight, raw < 1.2 ? 1 : 0);
      ta.set(s, TA.idAntiEleLoose, ae > 0.2 ? 1 : 0);
      ta.set(s, TA.idAntiEleMedium, ae > 0.5 ? 1 : 0);
      ta.set(s, TA.idAntiEleTight, ae > 0.8 ? 1 : 0);
      ta.set(s, TA.idAntiMuLoose, am > 0.1 ? 1 : 0);
      ta.set(s, TA.idAntiMuMedium, am > 0.3 ? 1 : 0);
      ta.set(s, TA.idAntiMuTight, am > 0.6 ? 1 : 0);
      if (raw < 3 && Math.abs(teta) < 2.3 && tpt > leadTauPt) leadTauPt = tpt;
    }
    ta.commit(TA.pt);

    const ph = c.photon;
    const nPh = rng.poisson(0.45);
    for (let k = 0; k < nPh; k++) {
      const s = ph.add();
      if (s < 0) break;
      ph.set(s, PH.pt, 5 + rng.exponential(12));
      ph.set(s, PH.eta, clampEta(rng.normal(0, 1.2), 2.5));
      ph.set(s, PH.phi, TWO_PI * rng.uniform() - Math.PI);
      ph.set(s, PH.mass, 0);
      ph.set(s, PH.charge, 0);
      ph.set(s, PH.pfRelIso03_all, rng.exponential(0.5));
      ph.set(s, PH.jetIdx, nJet && rng.chance(0.3) ? rng.int(nJet) : -1);
      ph.set(s, PH.genPartIdx, -1);
    }
    ph.commit(PH.pt);

    // MET: the neutrinos plus a Gaussian resolution per component that grows with √ΣET.
    const sumet = 120 + 22 * npv + sumJetPt + sumLepPt + rng.exponential(60);
    const sigma = 0.55 * Math.sqrt(sumet);
    const mex = nuX + rng.normal(0, sigma) + 0.02 * visX;
    const mey = nuY + rng.normal(0, sigma) + 0.02 * visY;
    const s2 = sigma * sigma;
    const cxx = s2 * (1 + 0.1 * rng.normal());
    const cyy = s2 * (1 + 0.1 * rng.normal());
    c.met.pt[i] = Math.hypot(mex, mey);
    c.met.phi[i] = Math.atan2(mey, mex);
    c.met.sumet[i] = sumet;
    c.met.CovXX[i] = cxx;
    c.met.CovYY[i] = cyy;
    c.met.CovXY[i] = s2 * 0.05 * rng.normal();
    c.met.significance[i] = (mex * mex) / Math.abs(cxx) + (mey * mey) / Math.abs(cyy);

    // Triggers: an isolated muon above 24 GeV (in |η| < 2.1 for the eta2p1 path), ~93% efficient.
    const isoMu = leadIsoPt > 24 && rng.chance(0.93);
    c.hlt.IsoMu24[i] = isoMu ? 1 : 0;
    c.hlt.IsoMu24_eta2p1[i] = isoMu && Math.abs(leadIsoEta) < 2.1 ? 1 : 0;
    c.hlt.IsoMu17_eta2p1_LooseIsoPFTau20[i] =
      leadIsoPt > 17 && Math.abs(leadIsoEta) < 2.1 && leadTauPt > 20 && rng.chance(0.9) ? 1 : 0;
  }
  return c;
}
