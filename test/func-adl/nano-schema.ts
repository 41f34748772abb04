/** A NanoAOD-like schema (as the ROOT connector would expose it) and PHYSLITE-like branches, for tests. */
import type { DataType, Field, Schema } from '../../exec/batch/index.js';

const f32: DataType = { kind: 'primitive', type: 'float32' };
const i32: DataType = { kind: 'primitive', type: 'int32' };
const u32: DataType = { kind: 'primitive', type: 'uint32' };
const b: DataType = { kind: 'primitive', type: 'bool' };
const list = (item: DataType): DataType => ({ kind: 'list', item });

const fields: Field[] = [
  { name: 'run', type: u32 },
  { name: 'MET_pt', type: f32 },
  { name: 'MET_phi', type: f32 },
  { name: 'MET_sumet', type: f32 },
];
for (const c of ['Muon', 'Electron', 'Jet']) {
  fields.push({ name: `n${c}`, type: u32 });
  for (const v of ['pt', 'eta', 'phi', 'mass']) fields.push({ name: `${c}_${v}`, type: list(f32) });
  if (c !== 'Jet') fields.push({ name: `${c}_charge`, type: list(i32) });
}
fields.push({ name: 'Jet_btag', type: list(f32) }, { name: 'Jet_puId', type: list(b) });
fields.push(
  { name: 'AnalysisJetsAuxDyn.pt', type: list(f32) },
  { name: 'AnalysisJetsAuxDyn.eta', type: list(f32) },
  { name: 'EventInfoAuxDyn.runNumber', type: u32 },
);

export const NANO_SCHEMA: Schema = { fields };
