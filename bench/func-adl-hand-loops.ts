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

export const HAND_LOOPS: Record<string, Loop> = {
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
};
