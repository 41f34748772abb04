/** The layouts a generated cluster is presented in: the ADL benchmark's, NanoAOD-like, and ATLAS PHYSLITE-like. */
import type { Batch, Column, DataType, Field, PrimitiveType, TypedArray } from '../../exec/batch/index.js';
import type { ClusterColumns } from './event-model.js';

export type SyntheticSchema = 'adl' | 'nanoaod' | 'physlite';
export const SYNTHETIC_SCHEMAS: readonly SyntheticSchema[] = ['adl', 'nanoaod', 'physlite'];

/** How each layout is best stored in ROOT: tree name and whether lists are std::vector<T> (PHYSLITE). */
export const ROOT_LAYOUT: Record<SyntheticSchema, { readonly tree: string; readonly vectors: boolean }> = {
  adl: { tree: 'Events', vectors: false },
  nanoaod: { tree: 'Events', vectors: false },
  physlite: { tree: 'CollectionTree', vectors: true },
};

/**
 * Column order of each layout's columnar files where it differs from the ROOT branch order: the ADL
 * benchmark's native Parquet puts MET first and Tau last.
 */
export const COLUMNAR_ORDER: Partial<Record<SyntheticSchema, readonly string[]>> = {
  adl: ['run', 'luminosityBlock', 'event', 'MET', 'HLT', 'PV', 'Muon', 'Electron', 'Photon', 'Jet', 'Tau'],
};

/** The batch with its columns in `order` (names not listed keep their place after the listed ones). */
export function reorder(batch: Batch, order: readonly string[]): Batch {
  const names = batch.schema.fields.map((f) => f.name);
  const idx = [...order.map((n) => names.indexOf(n)).filter((i) => i >= 0)];
  for (let i = 0; i < names.length; i++) if (!idx.includes(i)) idx.push(i);
  return {
    ...batch,
    schema: { fields: idx.map((i) => batch.schema.fields[i]!) },
    columns: idx.map((i) => batch.columns[i]!),
  };
}

type Entry = [name: string, column: Column];

const prim = (type: PrimitiveType, values: TypedArray): Column => ({ kind: 'primitive', type, values });

function struct(entries: Entry[], length: number): Column {
  return { kind: 'struct', names: entries.map((e) => e[0]), children: entries.map((e) => e[1]), length };
}

function typeOf(c: Column): DataType {
  switch (c.kind) {
    case 'primitive':
      return { kind: 'primitive', type: c.type };
    case 'list':
      return { kind: 'list', item: typeOf(c.child) };
    case 'struct':
      return { kind: 'struct', fields: c.names.map((name, i) => ({ name, type: typeOf(c.children[i]!) })) };
    default:
      throw new Error(`unexpected ${c.kind} column in a generated batch`);
  }
}

function batch(entries: Entry[], length: number): Batch {
  const fields: Field[] = entries.map(([name, col]) => ({ name, type: typeOf(col) }));
  return { schema: { fields }, columns: entries.map((e) => e[1]), length };
}

/** A list<struct> column keeping only `pick` fields (renamed `[from, to]`), values optionally scaled. */
function subset(
  c: Column,
  pick: readonly (string | [string, string])[],
  scale?: Record<string, number>,
): Column {
  if (c.kind !== 'list' || c.child.kind !== 'struct') throw new Error('expected a list of structs');
  const s = c.child;
  const entries: Entry[] = pick.map((p) => {
    const [from, to] = typeof p === 'string' ? [p, p] : p;
    let col = s.children[s.names.indexOf(from)]!;
    const k = scale?.[from];
    if (k !== undefined && col.kind === 'primitive') {
      const v = new Float32Array(col.values.length);
      for (let i = 0; i < v.length; i++) v[i] = Number(col.values[i]) * k;
      col = prim('float32', v);
    }
    return [to, col];
  });
  return { kind: 'list', offsets: c.offsets, child: struct(entries, s.length) };
}

/** The ADL benchmark layout (CMS Run2012B SingleMu): nested here; ROOT flattens it to NanoAOD names. */
function adl(c: ClusterColumns): Batch {
  const n = c.events;
  return batch(
    [
      ['run', prim('int32', c.run)],
      ['luminosityBlock', prim('uint32', c.luminosityBlock)],
      ['event', prim('uint64', c.event)],
      [
        'HLT',
        struct(
          [
            ['IsoMu24_eta2p1', prim('bool', c.hlt.IsoMu24_eta2p1)],
            ['IsoMu24', prim('bool', c.hlt.IsoMu24)],
            ['IsoMu17_eta2p1_LooseIsoPFTau20', prim('bool', c.hlt.IsoMu17_eta2p1_LooseIsoPFTau20)],
          ],
          n,
        ),
      ],
      [
        'PV',
        struct(
          [
            ['npvs', prim('int32', c.pv.npvs)],
            ['x', prim('float32', c.pv.x)],
            ['y', prim('float32', c.pv.y)],
            ['z', prim('float32', c.pv.z)],
          ],
          n,
        ),
      ],
      ['Muon', c.muon.column()],
      ['Electron', c.electron.column()],
      ['Tau', c.tau.column()],
      ['Photon', c.photon.column()],
      [
        'MET',
        struct(
          (['pt', 'phi', 'sumet', 'significance', 'CovXX', 'CovXY', 'CovYY'] as const).map(
            (k): Entry => [k, prim('float32', c.met[k])],
          ),
          n,
        ),
      ],
      ['Jet', c.jet.column()],
    ],
    n,
  );
}

/** A NanoAOD-like layout with today's names (btagDeepFlavB, sumEt) and fewer branches. */
function nanoaod(c: ClusterColumns): Batch {
  const n = c.events;
  return batch(
    [
      ['run', prim('uint32', new Uint32Array(c.run.buffer, c.run.byteOffset, n))],
      ['luminosityBlock', prim('uint32', c.luminosityBlock)],
      ['event', prim('uint64', c.event)],
      ['HLT', struct([['IsoMu24', prim('bool', c.hlt.IsoMu24)]], n)],
      [
        'PV',
        struct(
          [
            ['npvs', prim('int32', c.pv.npvs)],
            ['z', prim('float32', c.pv.z)],
          ],
          n,
        ),
      ],
      [
        'MET',
        struct(
          [
            ['pt', prim('float32', c.met.pt)],
            ['phi', prim('float32', c.met.phi)],
            ['sumEt', prim('float32', c.met.sumet)],
          ],
          n,
        ),
      ],
      [
        'Muon',
        subset(c.muon.column(), [
          'pt',
          'eta',
          'phi',
          'mass',
          'charge',
          'pfRelIso04_all',
          'tightId',
          'softId',
          'dxy',
          'dz',
        ]),
      ],
      ['Electron', subset(c.electron.column(), ['pt', 'eta', 'phi', 'mass', 'charge', 'pfRelIso03_all'])],
      ['Tau', subset(c.tau.column(), ['pt', 'eta', 'phi', 'mass', 'charge', 'decayMode'])],
      ['Photon', subset(c.photon.column(), ['pt', 'eta', 'phi'])],
      ['Jet', subset(c.jet.column(), ['pt', 'eta', 'phi', 'mass', ['btag', 'btagDeepFlavB'], 'puId'])],
    ],
    n,
  );
}

/** An ATLAS PHYSLITE-like layout: AuxDyn containers in MeV, written to ROOT as std::vector<float> branches. */
function physlite(c: ClusterColumns): Batch {
  const n = c.events;
  const mev = { pt: 1000, mass: 1000 };
  const asFloat = { charge: 1 };
  return batch(
    [
      [
        'EventInfoAuxDyn',
        struct(
          [
            ['runNumber', prim('uint32', new Uint32Array(c.run.buffer, c.run.byteOffset, n))],
            ['eventNumber', prim('uint64', c.event)],
          ],
          n,
        ),
      ],
      [
        'AnalysisMuonsAuxDyn',
        subset(c.muon.column(), ['pt', 'eta', 'phi', 'charge'], { ...mev, ...asFloat }),
      ],
      [
        'AnalysisElectronsAuxDyn',
        subset(c.electron.column(), ['pt', 'eta', 'phi', ['mass', 'm'], 'charge'], { ...mev, ...asFloat }),
      ],
      ['AnalysisJetsAuxDyn', subset(c.jet.column(), ['pt', 'eta', 'phi', ['mass', 'm']], mev)],
    ],
    n,
  );
}

export const LAYOUTS: Record<SyntheticSchema, (c: ClusterColumns) => Batch> = { adl, nanoaod, physlite };
