/** Four hand-made NanoAOD-style events whose query results are derived by hand in the logic tests. */
import { columnFromValues, MemoryTable } from '../../connectors/memory/index.js';
import type { DataType, Field } from '../../exec/batch/index.js';

const f32: DataType = { kind: 'primitive', type: 'float32' };
const i32: DataType = { kind: 'primitive', type: 'int32' };
const u32: DataType = { kind: 'primitive', type: 'uint32' };
const list = (item: DataType): DataType => ({ kind: 'list', item });

/** Values chosen to be exact in float32 (angles are 0 or ±π/2 … kept as float64 where it matters). */
export const SMALL_EVENTS = [
  {
    MET_pt: 10,
    MET_phi: 0,
    Jet_pt: [50, 20, 35],
    Jet_eta: [0.5, -2, 1.5],
    Jet_phi: [0, 1, -1],
    Jet_mass: [5, 4, 3],
    Jet_btag: [0.25, 0.75, 0.5],
    Muon_pt: [30, 20],
    Muon_eta: [0, 0],
    Muon_phi: [0, Math.PI],
    Muon_mass: [0, 0],
    Muon_charge: [1, -1],
  },
  {
    MET_pt: 20.5,
    MET_phi: 1,
    Jet_pt: [],
    Jet_eta: [],
    Jet_phi: [],
    Jet_mass: [],
    Jet_btag: [],
    Muon_pt: [5],
    Muon_eta: [1],
    Muon_phi: [2],
    Muon_mass: [0],
    Muon_charge: [1],
  },
  {
    MET_pt: 30,
    MET_phi: 2,
    Jet_pt: [45, 41],
    Jet_eta: [0.25, -0.25],
    Jet_phi: [0.5, 2.5],
    Jet_mass: [6, 7],
    Jet_btag: [0.125, 0.875],
    Muon_pt: [],
    Muon_eta: [],
    Muon_phi: [],
    Muon_mass: [],
    Muon_charge: [],
  },
  {
    MET_pt: 0,
    MET_phi: 0,
    Jet_pt: [100],
    Jet_eta: [0],
    Jet_phi: [0],
    Jet_mass: [10],
    Jet_btag: [1],
    Muon_pt: [10, 10, 10],
    Muon_eta: [0, 0, 0],
    Muon_phi: [0, 0, 0],
    Muon_mass: [0, 0, 0],
    Muon_charge: [1, 1, -1],
  },
];

export function smallEvents(batchSize = 3): MemoryTable {
  const first = SMALL_EVENTS[0]!;
  const fields: Field[] = [];
  for (const name of Object.keys(first)) {
    const v = (first as Record<string, unknown>)[name];
    const item = name.endsWith('charge') ? i32 : f32;
    fields.push({ name, type: Array.isArray(v) ? list(item) : item });
  }
  for (const c of ['Jet', 'Muon']) fields.push({ name: `n${c}`, type: u32 });
  const rows = SMALL_EVENTS.map(
    (e) => ({ ...e, nJet: e.Jet_pt.length, nMuon: e.Muon_pt.length }) as Record<string, unknown>,
  );
  const columns = fields.map((f) =>
    columnFromValues(
      f.type,
      rows.map((r) => r[f.name]),
    ),
  );
  return new MemoryTable('Events', { fields }, columns, { batchSize });
}

/** Three events with a list, a list of lists and a fixed-size array, for the nested-collection logic tests. */
export function nestedEvents(batchSize = 2): MemoryTable {
  const fields: Field[] = [
    { name: 'x', type: f32 },
    { name: 'v', type: list(f32) },
    { name: 'vv', type: list(list(i32)) },
    { name: 'fx', type: { kind: 'fixed-list', item: f32, size: 3 } },
  ];
  const rows: Record<string, unknown>[] = [
    { x: 1, v: [3, 1, 2], vv: [[1, 2], [], [3]], fx: [1, 2, 3] },
    { x: 2, v: [], vv: [], fx: [4, 5, 6] },
    { x: 3, v: [5, 4], vv: [[7]], fx: [7, 8, 9] },
  ];
  const columns = fields.map((f) =>
    columnFromValues(
      f.type,
      rows.map((r) => r[f.name]),
    ),
  );
  return new MemoryTable('Events', { fields }, columns, { batchSize });
}
