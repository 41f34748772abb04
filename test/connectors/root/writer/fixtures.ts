/** Test batches covering every branch kind the ROOT writer makes, and the values each branch must read back as. */
import {
  type Batch,
  type Column,
  type DataType,
  type PrimitiveType,
  typedArrayFor,
} from '../../../../exec/batch/index.js';

export const PRIMITIVES: PrimitiveType[] = [
  'bool',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'float32',
  'float64',
];

/** A deterministic value of type `t` for index `i`, including each type's extremes and float specials. */
export function fixtureValue(t: PrimitiveType, i: number): number | bigint {
  const k = i % 97;
  switch (t) {
    case 'bool':
      return (i * 7) % 3 === 0 ? 1 : 0;
    case 'int8':
      return k === 0 ? -128 : k === 1 ? 127 : (i % 256) - 128;
    case 'uint8':
      return k === 0 ? 255 : i % 256;
    case 'int16':
      return k === 0 ? -32768 : k === 1 ? 32767 : ((i * 37) % 65536) - 32768;
    case 'uint16':
      return k === 0 ? 65535 : (i * 41) % 65536;
    case 'int32':
      return k === 0 ? -2147483648 : k === 1 ? 2147483647 : i * 1009 - 500000;
    case 'uint32':
      return k === 0 ? 4294967295 : i * 7919;
    case 'int64':
      return k === 0 ? -(2n ** 52n) : BigInt(i) * 1234567n - 99n;
    case 'uint64':
      return k === 0 ? 2n ** 53n : BigInt(i) * 7654321n;
    case 'float32':
      return Math.fround(k === 0 ? -0 : k === 1 ? 3.4e38 : k === 2 ? 1e-40 : Math.sin(i) * 1000);
    case 'float64':
      return k === 0 ? Number.NaN : k === 1 ? Number.POSITIVE_INFINITY : k === 2 ? 5e-324 : Math.cos(i) * 1e6;
  }
}

function fill(t: PrimitiveType, n: number, start: number): Column {
  const a = new (typedArrayFor(t))(n);
  for (let i = 0; i < n; i++) (a as unknown as (number | bigint)[])[i] = fixtureValue(t, start + i) as never;
  return { kind: 'primitive', type: t, values: a };
}

const prim = (type: PrimitiveType): DataType => ({ kind: 'primitive', type });

/** Lengths of the jagged collections of entry `e` (0..4 jets, 0..2 muons, 0..6 vector elements). */
export const jets = (e: number) => (e * 13) % 5;
export const muons = (e: number) => (e * 7) % 3;
export const vecLen = (e: number) => (e * 5) % 7;

function offsetsOf(
  len: (e: number) => number,
  e0: number,
  n: number,
): { offsets: Int32Array; first: number } {
  const offsets = new Int32Array(n + 1);
  let first = 0;
  for (let e = 0; e < e0; e++) first += len(e);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + len(e0 + i);
  return { offsets, first };
}

/** The schema of the test batches. */
export function fixtureFields(): { name: string; type: DataType }[] {
  return [
    ...PRIMITIVES.map((t) => ({ name: `s_${t}`, type: prim(t) })),
    { name: 'pos', type: { kind: 'fixed-list', item: prim('float32'), size: 3 } },
    {
      name: 'MET',
      type: {
        kind: 'struct',
        fields: [
          { name: 'pt', type: prim('float32') },
          { name: 'phi', type: prim('float64') },
        ],
      },
    },
    { name: 'nJet', type: prim('int32') },
    { name: 'Jet_pt', type: { kind: 'list', item: prim('float32') } },
    { name: 'Jet_flag', type: { kind: 'list', item: prim('uint16') } },
    {
      name: 'Muon',
      type: {
        kind: 'list',
        item: {
          kind: 'struct',
          fields: [
            { name: 'pt', type: prim('float32') },
            { name: 'charge', type: prim('int8') },
            { name: 'tight', type: prim('bool') },
            { name: 'id', type: prim('int64') },
          ],
        },
      },
    },
    ...PRIMITIVES.map((t) => ({ name: `v_${t}`, type: { kind: 'list', item: prim(t) } as DataType })),
  ];
}

/** Entries [e0, e0 + n) of the fixture as one batch. */
export function fixtureBatch(e0: number, n: number): Batch {
  const jet = offsetsOf(jets, e0, n);
  const mu = offsetsOf(muons, e0, n);
  const vec = offsetsOf(vecLen, e0, n);
  const nJet = new Int32Array(n);
  for (let i = 0; i < n; i++) nJet[i] = jets(e0 + i);
  const nm = mu.offsets[n]!;
  const columns: Column[] = [
    ...PRIMITIVES.map((t) => fill(t, n, e0)),
    { kind: 'fixed-list', size: 3, child: fill('float32', 3 * n, 3 * e0 + 11) },
    {
      kind: 'struct',
      names: ['pt', 'phi'],
      children: [fill('float32', n, e0 + 5), fill('float64', n, e0 + 3)],
      length: n,
    },
    { kind: 'primitive', type: 'int32', values: nJet },
    { kind: 'list', offsets: jet.offsets, child: fill('float32', jet.offsets[n]!, jet.first + 17) },
    { kind: 'list', offsets: jet.offsets, child: fill('uint16', jet.offsets[n]!, jet.first + 19) },
    {
      kind: 'list',
      offsets: mu.offsets,
      child: {
        kind: 'struct',
        names: ['pt', 'charge', 'tight', 'id'],
        children: [
          fill('float32', nm, mu.first),
          fill('int8', nm, mu.first + 1),
          fill('bool', nm, mu.first + 2),
          fill('int64', nm, mu.first + 3),
        ],
        length: nm,
      },
    },
    ...PRIMITIVES.map(
      (t): Column => ({
        kind: 'list',
        offsets: vec.offsets,
        child: fill(t, vec.offsets[n]!, vec.first + 29),
      }),
    ),
  ];
  return { schema: { fields: fixtureFields() }, columns, length: n };
}

/** What entry `e` of each branch must read back as (numbers; 64-bit integers as bigint). */
export function expectedEntry(branch: string, e: number): unknown {
  const firsts = (len: (e: number) => number) => {
    let s = 0;
    for (let k = 0; k < e; k++) s += len(k);
    return s;
  };
  const range = (t: PrimitiveType, start: number, n: number) =>
    Array.from({ length: n }, (_, i) => fixtureValue(t, start + i));
  let m = /^s_(\w+)$/.exec(branch);
  if (m) return fixtureValue(m[1] as PrimitiveType, e);
  if (branch === 'pos') return range('float32', 3 * e + 11, 3);
  if (branch === 'MET_pt') return fixtureValue('float32', e + 5);
  if (branch === 'MET_phi') return fixtureValue('float64', e + 3);
  if (branch === 'nJet') return jets(e);
  if (branch === 'Jet_pt') return range('float32', firsts(jets) + 17, jets(e));
  if (branch === 'Jet_flag') return range('uint16', firsts(jets) + 19, jets(e));
  if (branch === 'nMuon') return muons(e);
  const muon: Record<string, [PrimitiveType, number]> = {
    Muon_pt: ['float32', 0],
    Muon_charge: ['int8', 1],
    Muon_tight: ['bool', 2],
    Muon_id: ['int64', 3],
  };
  if (muon[branch]) return range(muon[branch][0], firsts(muons) + muon[branch][1], muons(e));
  m = /^v_(\w+)$/.exec(branch);
  if (m) return range(m[1] as PrimitiveType, firsts(vecLen) + 29, vecLen(e));
  throw new Error(`no expectation for ${branch}`);
}

/** The branches (and their ROOT types as our reader names them) the fixture must become. */
export const EXPECTED_BRANCHES: Record<string, string> = {
  s_bool: 'bool',
  s_int8: 'int8_t',
  s_uint8: 'uint8_t',
  s_int16: 'int16_t',
  s_uint16: 'uint16_t',
  s_int32: 'int32_t',
  s_uint32: 'uint32_t',
  s_int64: 'int64_t',
  s_uint64: 'uint64_t',
  s_float32: 'float',
  s_float64: 'double',
  pos: 'float[3]',
  MET_pt: 'float',
  MET_phi: 'double',
  nJet: 'int32_t',
  Jet_pt: 'float[]',
  Jet_flag: 'uint16_t[]',
  nMuon: 'uint32_t',
  Muon_pt: 'float[]',
  Muon_charge: 'int8_t[]',
  Muon_tight: 'bool[]',
  Muon_id: 'int64_t[]',
  v_bool: 'std::vector<bool>',
  v_int8: 'std::vector<int8_t>',
  v_uint8: 'std::vector<uint8_t>',
  v_int16: 'std::vector<int16_t>',
  v_uint16: 'std::vector<uint16_t>',
  v_int32: 'std::vector<int32_t>',
  v_uint32: 'std::vector<uint32_t>',
  v_int64: 'std::vector<int64_t>',
  v_uint64: 'std::vector<uint64_t>',
  v_float32: 'std::vector<float>',
  v_float64: 'std::vector<double>',
};
