/** The fields of each generated collection, in the order (and with the types) of the ADL benchmark's NanoAOD. */
import type { FieldSpec } from './collection.js';

export const MUON_FIELDS = [
  ['pt', 'float32'],
  ['eta', 'float32'],
  ['phi', 'float32'],
  ['mass', 'float32'],
  ['charge', 'int32'],
  ['pfRelIso03_all', 'float32'],
  ['pfRelIso04_all', 'float32'],
  ['tightId', 'bool'],
  ['softId', 'bool'],
  ['dxy', 'float32'],
  ['dxyErr', 'float32'],
  ['dz', 'float32'],
  ['dzErr', 'float32'],
  ['jetIdx', 'int32'],
  ['genPartIdx', 'int32'],
] as const satisfies readonly FieldSpec[];

export const ELECTRON_FIELDS = [
  ['pt', 'float32'],
  ['eta', 'float32'],
  ['phi', 'float32'],
  ['mass', 'float32'],
  ['charge', 'int32'],
  ['pfRelIso03_all', 'float32'],
  ['dxy', 'float32'],
  ['dxyErr', 'float32'],
  ['dz', 'float32'],
  ['dzErr', 'float32'],
  ['cutBasedId', 'bool'],
  ['pfId', 'bool'],
  ['jetIdx', 'int32'],
  ['genPartIdx', 'int32'],
] as const satisfies readonly FieldSpec[];

export const TAU_FIELDS = [
  ['pt', 'float32'],
  ['eta', 'float32'],
  ['phi', 'float32'],
  ['mass', 'float32'],
  ['charge', 'int32'],
  ['decayMode', 'int32'],
  ['relIso_all', 'float32'],
  ['jetIdx', 'int32'],
  ['genPartIdx', 'int32'],
  ['idDecayMode', 'bool'],
  ['idIsoRaw', 'float32'],
  ['idIsoVLoose', 'bool'],
  ['idIsoLoose', 'bool'],
  ['idIsoMedium', 'bool'],
  ['idIsoTight', 'bool'],
  ['idAntiEleLoose', 'bool'],
  ['idAntiEleMedium', 'bool'],
  ['idAntiEleTight', 'bool'],
  ['idAntiMuLoose', 'bool'],
  ['idAntiMuMedium', 'bool'],
  ['idAntiMuTight', 'bool'],
] as const satisfies readonly FieldSpec[];

export const PHOTON_FIELDS = [
  ['pt', 'float32'],
  ['eta', 'float32'],
  ['phi', 'float32'],
  ['mass', 'float32'],
  ['charge', 'int32'],
  ['pfRelIso03_all', 'float32'],
  ['jetIdx', 'int32'],
  ['genPartIdx', 'int32'],
] as const satisfies readonly FieldSpec[];

export const JET_FIELDS = [
  ['pt', 'float32'],
  ['eta', 'float32'],
  ['phi', 'float32'],
  ['mass', 'float32'],
  ['puId', 'bool'],
  ['btag', 'float32'],
] as const satisfies readonly FieldSpec[];
