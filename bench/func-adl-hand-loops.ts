// Hand-written loops for ADL tasks over the memory table's typed arrays: the floor the engine is measured against.
import type { MemoryTable } from '../connectors/memory/index.js';
import type { Batch } from '../exec/batch/index.js';
import { Histogram1D } from '../exec/sinks/histogram.js';

type Loop = (t: MemoryTable, lo: number, hi: number) => Promise<unknown>;

function arr(b: Batch, name: string): Float32Array | Int32Array {
  const k = b.schema.fields.findIndex((f) => f.name === name);
  const c = b.columns[k]!;
  return (
    c.kind === 'list' ? (c.child as { values: Float32Array }).values : (c as { values: Float32Array }).values
  ) as Float32Array;
}
function off(b: Batch, name: string): Int32Array {
  const k = b.schema.fields.findIndex((f) => f.name === name);
  return (b.columns[k] as { offsets: Int32Array }).offsets;
}

export const HAND_LOOPS: Partial<Record<string, Loop>> = {
  async q1(t, lo, hi) {
    const h = new Histogram1D(100, lo, hi);
    for await (const b of t.scan({ columns: ['MET_pt'], batchSize: 65536 })) {
      const met = arr(b, 'MET_pt');
      for (let i = 0; i < b.length; i++) h.fill(met[i]!, 1);
    }
    return h;
  },
  async q2(t, lo, hi) {
    const h = new Histogram1D(100, lo, hi);
    for await (const b of t.scan({ columns: ['Jet_pt'], batchSize: 65536 })) {
      const pt = arr(b, 'Jet_pt');
      const o = off(b, 'Jet_pt');
      for (let k = o[0]!; k < o[b.length]!; k++) h.fill(pt[k]!, 1);
    }
    return h;
  },
  async q3(t, lo, hi) {
    const h = new Histogram1D(100, lo, hi);
    for await (const b of t.scan({ columns: ['Jet_pt', 'Jet_eta'], batchSize: 65536 })) {
      const pt = arr(b, 'Jet_pt');
      const eta = arr(b, 'Jet_eta');
      const o = off(b, 'Jet_pt');
      for (let k = o[0]!; k < o[b.length]!; k++) if (Math.abs(eta[k]!) < 1) h.fill(pt[k]!, 1);
    }
    return h;
  },
  async q4(t, lo, hi) {
    const h = new Histogram1D(100, lo, hi);
    for await (const b of t.scan({ columns: ['MET_pt', 'Jet_pt'], batchSize: 65536 })) {
      const met = arr(b, 'MET_pt');
      const pt = arr(b, 'Jet_pt');
      const o = off(b, 'Jet_pt');
      for (let i = 0; i < b.length; i++) {
        let n = 0;
        for (let k = o[i]!; k < o[i + 1]!; k++) if (pt[k]! > 40) n++;
        if (n >= 2) h.fill(met[i]!, 1);
      }
    }
    return h;
  },
  async q5(t, lo, hi) {
    const h = new Histogram1D(100, lo, hi);
    const cols = ['MET_pt', 'Muon_pt', 'Muon_eta', 'Muon_phi', 'Muon_mass', 'Muon_charge'];
    for await (const b of t.scan({ columns: cols, batchSize: 65536 })) {
      const met = arr(b, 'MET_pt');
      const [pt, eta, phi, m] = ['Muon_pt', 'Muon_eta', 'Muon_phi', 'Muon_mass'].map((c) =>
        arr(b, c),
      ) as Float32Array[];
      const q = arr(b, 'Muon_charge');
      const o = off(b, 'Muon_pt');
      for (let i = 0; i < b.length; i++) {
        let ok = false;
        for (let a = o[i]!; a < o[i + 1]! && !ok; a++)
          for (let c = a + 1; c < o[i + 1]! && !ok; c++) {
            if (q[a] === q[c]) continue;
            const px = pt![a]! * Math.cos(phi![a]!) + pt![c]! * Math.cos(phi![c]!);
            const py = pt![a]! * Math.sin(phi![a]!) + pt![c]! * Math.sin(phi![c]!);
            const pza = pt![a]! * Math.sinh(eta![a]!);
            const pzc = pt![c]! * Math.sinh(eta![c]!);
            const ea = Math.sqrt(pt![a]! ** 2 + pza ** 2 + m![a]! ** 2);
            const ec = Math.sqrt(pt![c]! ** 2 + pzc ** 2 + m![c]! ** 2);
            const mass = Math.sqrt((ea + ec) ** 2 - px * px - py * py - (pza + pzc) ** 2);
            if (mass > 60 && mass < 120) ok = true;
          }
        if (ok) h.fill(met[i]!, 1);
      }
    }
    return h;
  },
  'q6-1': (t, lo, hi) => trijet(t, lo, hi, 'pt'),
  'q6-2': (t, lo, hi) => trijet(t, lo, hi, 'btag'),
  async q7(t, lo, hi) {
    const h = new Histogram1D(100, lo, hi);
    const cols = [
      'Jet_pt',
      'Jet_eta',
      'Jet_phi',
      'Electron_pt',
      'Electron_eta',
      'Electron_phi',
      'Muon_pt',
      'Muon_eta',
      'Muon_phi',
    ];
    const leta = new Float64Array(256);
    const lphi = new Float64Array(256);
    for await (const b of t.scan({ columns: cols, batchSize: 65536 })) {
      const [jpt, jeta, jphi, ept, eeta, ephi, mpt, meta, mphi] = cols.map((c) =>
        arr(b, c),
      ) as Float32Array[];
      const jo = off(b, 'Jet_pt');
      const eo = off(b, 'Electron_pt');
      const mo = off(b, 'Muon_pt');
      for (let i = 0; i < b.length; i++) {
        let nl = 0;
        for (let k = eo[i]!; k < eo[i + 1]!; k++)
          if (ept![k]! > 10) {
            leta[nl] = eeta![k]!;
            lphi[nl++] = ephi![k]!;
          }
        for (let k = mo[i]!; k < mo[i + 1]!; k++)
          if (mpt![k]! > 10) {
            leta[nl] = meta![k]!;
            lphi[nl++] = mphi![k]!;
          }
        let sum = 0;
        let any = false;
        for (let k = jo[i]!; k < jo[i + 1]!; k++) {
          if (!(jpt![k]! > 30)) continue;
          let near = false;
          for (let l = 0; l < nl && !near; l++) {
            let dphi = jphi![k]! - lphi[l]!;
            if (dphi >= Math.PI || dphi < -Math.PI)
              dphi -= 2 * Math.PI * Math.floor((dphi + Math.PI) / (2 * Math.PI));
            const deta = jeta![k]! - leta[l]!;
            if (Math.sqrt(deta * deta + dphi * dphi) < 0.4) near = true;
          }
          if (!near) {
            sum += jpt![k]!;
            any = true;
          }
        }
        if (any) h.fill(sum, 1);
      }
    }
    return h;
  },
  async q8(t, lo, hi) {
    const h = new Histogram1D(100, lo, hi);
    const fields = ['pt', 'eta', 'phi', 'mass', 'charge'];
    const cols = [
      ...fields.map((f) => `Electron_${f}`),
      ...fields.map((f) => `Muon_${f}`),
      'MET_pt',
      'MET_phi',
    ];
    const N = 256;
    const [lpt, lphi, lq, lfl, px, py, pz, en] = [0, 0, 0, 0, 0, 0, 0, 0].map(
      () => new Float64Array(N),
    ) as Float64Array[];
    for await (const b of t.scan({ columns: cols, batchSize: 65536 })) {
      const el = fields.map((f) => arr(b, `Electron_${f}`));
      const mu = fields.map((f) => arr(b, `Muon_${f}`));
      const eo = off(b, 'Electron_pt');
      const mo = off(b, 'Muon_pt');
      const met = arr(b, 'MET_pt');
      const metPhi = arr(b, 'MET_phi');
      for (let i = 0; i < b.length; i++) {
        let n = 0;
        for (let f = 0; f < 2; f++) {
          const src = f === 0 ? el : mu;
          const o = f === 0 ? eo : mo;
          for (let k = o[i]!; k < o[i + 1]!; k++, n++) {
            const pt = src[0]![k]!;
            const eta = src[1]![k]!;
            const phi = src[2]![k]!;
            const m = src[3]![k]!;
            lpt![n] = pt;
            lphi![n] = phi;
            lq![n] = src[4]![k]!;
            lfl![n] = f;
            px![n] = pt * Math.cos(phi);
            py![n] = pt * Math.sin(phi);
            pz![n] = pt * Math.sinh(eta);
            en![n] = Math.sqrt(px![n]! ** 2 + py![n]! ** 2 + pz![n]! ** 2 + m * m);
          }
        }
        if (n < 3) continue;
        let best = Number.POSITIVE_INFINITY;
        let ba = -1;
        let bb = -1;
        for (let a = 0; a < n; a++)
          for (let c = a + 1; c < n; c++) {
            if (lfl![a] !== lfl![c] || lq![a] === lq![c]) continue;
            const e = en![a]! + en![c]!;
            const x = px![a]! + px![c]!;
            const y = py![a]! + py![c]!;
            const z = pz![a]! + pz![c]!;
            const m2 = e * e - x * x - y * y - z * z;
            const d = Math.abs((m2 < 0 ? -Math.sqrt(-m2) : Math.sqrt(m2)) - 91.2);
            if (d < best) {
              best = d;
              ba = a;
              bb = c;
            }
          }
        if (ba < 0) continue;
        let lead = -1;
        for (let k = 0; k < n; k++) {
          if (lpt![k] === lpt![ba] || lpt![k] === lpt![bb]) continue;
          if (lead < 0 || lpt![k]! > lpt![lead]!) lead = k;
        }
        if (lead < 0) throw new Error('First() of an empty collection');
        let dphi = lphi![lead]! - metPhi[i]!;
        if (dphi >= Math.PI || dphi < -Math.PI)
          dphi -= 2 * Math.PI * Math.floor((dphi + Math.PI) / (2 * Math.PI));
        h.fill(Math.sqrt(2 * lpt![lead]! * met[i]! * (1 - Math.cos(dphi))), 1);
      }
    }
    return h;
  },
};

/** ADL task 6: the trijet with mass closest to 172.5 GeV; its pT or its largest b-tag. */
async function trijet(t: MemoryTable, lo: number, hi: number, what: 'pt' | 'btag') {
  const h = new Histogram1D(100, lo, hi);
  const cols = ['Jet_pt', 'Jet_eta', 'Jet_phi', 'Jet_mass', 'Jet_btag'];
  let px = new Float64Array(64);
  let py = new Float64Array(64);
  let pz = new Float64Array(64);
  let en = new Float64Array(64);
  for await (const b of t.scan({ columns: cols, batchSize: 65536 })) {
    const [pt, eta, phi, m, btag] = cols.map((c) => arr(b, c)) as Float32Array[];
    const o = off(b, 'Jet_pt');
    for (let i = 0; i < b.length; i++) {
      const s = o[i]!;
      const n = o[i + 1]! - s;
      if (n < 3) continue;
      if (n > px.length) [px, py, pz, en] = [px, py, pz, en].map(() => new Float64Array(2 * n));
      for (let k = 0; k < n; k++) {
        const p = pt![s + k]!;
        px[k] = p * Math.cos(phi![s + k]!);
        py[k] = p * Math.sin(phi![s + k]!);
        pz[k] = p * Math.sinh(eta![s + k]!);
        en[k] = Math.sqrt(px[k]! ** 2 + py[k]! ** 2 + pz[k]! ** 2 + m![s + k]! ** 2);
      }
      let best = Number.POSITIVE_INFINITY;
      let bestPt = 0;
      let bestBtag = 0;
      for (let a = 0; a < n; a++)
        for (let c = a + 1; c < n; c++)
          for (let d = c + 1; d < n; d++) {
            const x = px[a]! + px[c]! + px[d]!;
            const y = py[a]! + py[c]! + py[d]!;
            const z = pz[a]! + pz[c]! + pz[d]!;
            const e = en[a]! + en[c]! + en[d]!;
            const m2 = e * e - x * x - y * y - z * z;
            const dm = Math.abs((m2 < 0 ? -Math.sqrt(-m2) : Math.sqrt(m2)) - 172.5);
            if (dm < best) {
              best = dm;
              bestPt = Math.hypot(x, y);
              bestBtag = Math.max(btag![s + a]!, btag![s + c]!, btag![s + d]!);
            }
          }
      h.fill(what === 'pt' ? bestPt : bestBtag, 1);
    }
  }
  return h;
}
