/**
 * Layouts hepq knows without (or instead of) the file's streamer, as uproot's built-in models: TRefArray,
 * TMatrixTSym<double>, and ATLAS's ElementLinkBase.
 */
import type { Item } from './items.js';
import type { Content } from './object-type.js';

const u32: Content = { kind: 'primitive', item: { disk: 'uint32', out: 'uint32', width: 4 } };
const i32: Item = { disk: 'int32', out: 'int32', width: 4 };

/**
 * TRefArray, whose custom Streamer writes other than its streamer says (read as uproot's built-in model does):
 * its TObject base, fName, fSize, then fLowerBound (int32) and the process id (uint16) skipped, then fSize
 * 32-bit unique ids — the record `{fName, fSize, refs}`.
 */
export const TREF_ARRAY: Content = {
  kind: 'class',
  name: 'TRefArray',
  version: -1,
  members: [
    { name: 'TObject', content: 'tobject' },
    { name: 'fName', content: { kind: 'string', header: false, cpp: 'TString' } },
    { name: 'fSize', content: { kind: 'primitive', item: i32 } },
    { name: 'refs', content: { kind: 'slice', item: i32, count: 'fSize', skip: 6 } },
  ],
  counts: new Set(['fSize']),
};

const f64: Item = { disk: 'float64', out: 'float64', width: 8 };

/**
 * TMatrixTSym<double>, which files carry no streamer for (uproot's built-in model, its version 5 being its
 * TMatrixTBase header): TObject, fNrows, fNcols, fRowLwb, fColLwb, fNelems, fNrowIndex, fTol — where that
 * header's byte count ends — then the upper triangle's fNrows(fNrows+1)/2 elements, with no marker byte.
 */
export const TMATRIX_SYM_D: Content = {
  kind: 'class',
  name: 'TMatrixTSym<double>',
  version: 5,
  members: [
    { name: 'TObject', content: 'tobject' },
    ...['fNrows', 'fNcols', 'fRowLwb', 'fColLwb', 'fNelems', 'fNrowIndex'].map((name) => ({
      name,
      content: { kind: 'primitive', item: i32 } as Content,
    })),
    { name: 'fTol', content: { kind: 'primitive', item: f64 } },
    {
      name: 'fElements',
      content: { kind: 'slice', item: f64, count: 'fNrows', skip: 0, triangle: true },
      outside: true,
    },
  ],
  counts: new Set(['fNrows']),
};

/** ATLAS xAOD's `ElementLinkBase`: the persistent part of every `ElementLink<T>`, {m_persKey, m_persIndex}. */
export const ELEMENT_LINK_BASE: Content = {
  kind: 'class',
  name: 'ElementLinkBase',
  version: -1,
  members: [
    { name: 'm_persKey', content: u32 },
    { name: 'm_persIndex', content: u32 },
  ],
};
