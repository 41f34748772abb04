/**
 * What a branch interpretation is (interpretation.ts decides it): the `Interpretation` layouts, the
 * `BranchInterpretation` with its ROOT and column type names, and the refusals (not supported, no data of its own).
 */
import type { DataType } from '../../../exec/batch/index.js';
import type { SplitPlan } from '../split-objects.js';
import type { Item } from './items.js';
import type { Content } from './object-type.js';

export type Interpretation =
  /** `inner` values per entry (fixed dimensions `dims`, empty for scalars). */
  | { readonly kind: 'flat'; readonly item: Item; readonly dims: readonly number[] }
  /** Entry-delimited values (leaf-count arrays): `headerBytes` skipped at the start of each entry. */
  | {
      readonly kind: 'jagged';
      readonly item: Item;
      readonly dims: readonly number[];
      readonly headerBytes: number;
    }
  /** std::vector<T> of a fixed-width T (the common case, decoded without per-entry builders). */
  | { readonly kind: 'vector'; readonly item: Item; readonly header: boolean }
  /** One string per entry (char*, TString, std::string). */
  | { readonly kind: 'string'; readonly header: boolean }
  /**
   * Any composition of STL containers, strings and streamer-described classes, read entry by entry. `bare`: each
   * entry is a class's members without the object's own byte count and version.
   */
  | {
      readonly kind: 'object';
      readonly content: Content;
      readonly repeated?: boolean;
      readonly bare?: boolean;
    }
  /** A leaf list (`x/D:n/I`): a record of fixed-size fields per entry. */
  | {
      readonly kind: 'leaflist';
      readonly fields: readonly { name: string; item: Item; dims: readonly number[] }[];
    }
  /** A whole split object: read from its member branches (the tree reader assembles it; no baskets of its own). */
  | { readonly kind: 'split'; readonly plan: SplitPlan }
  /**
   * `noData`: the branch holds no data of its own (an empty base class, an xAOD interface object, a std::bitset
   * member of a split object whose entries hold no bytes): left out of the split record it belongs to.
   */
  | { readonly kind: 'unsupported'; readonly reason: string; readonly noData?: true };

export interface BranchInterpretation {
  readonly interp: Interpretation;
  /** ROOT's name for the type, e.g. `float`, `float[]`, `std::vector<float>`, `char*`. */
  readonly rootType: string;
  /** Our column type (undefined when unsupported). */
  readonly type?: DataType;
  /**
   * Read when asked for by name, left out of a read of the whole tree: an xAOD interface container
   * (`egammaClusters`, a `DataVector<xAOD::CaloCluster_v1>`), whose name func_adl and SQL give to the
   * container's auxiliary-store branches (`egammaClustersAuxDyn.*`).
   */
  readonly byName?: true;
}

export const unsupported = (rootType: string, reason: string): BranchInterpretation => ({
  interp: { kind: 'unsupported', reason },
  rootType,
});

/**
 * A branch that holds no data of its own, with why: `${rootType} in branch ${path} holds no data of its own: why`
 * (ATLAS keeps an xAOD object's data in its auxiliary store, `XAux.` and `XAuxDyn.*`).
 */
export function noDataOfItsOwn(rootType: string, path: string, why: string): BranchInterpretation {
  return {
    interp: {
      kind: 'unsupported',
      reason: `${rootType} in branch ${path} holds no data of its own: ${why}`,
      noData: true,
    },
    rootType,
  };
}

/** Where an xAOD interface branch's data are: `X` → `XAux.`, `XAuxDyn.*`; `XAux.` → `XAuxDyn.*`. */
export function auxStore(path: string, type: string): string {
  if (path.includes('/') || !/xAOD::|DataVector</.test(type)) return '';
  const base = path.endsWith('Aux.') ? path.slice(0, -4) : path;
  const stores = path.endsWith('Aux.') ? [`${base}AuxDyn.*`] : [`${base}Aux.`, `${base}AuxDyn.*`];
  return ` (its data, if any, are in other branches: ATLAS's auxiliary store ${stores.join(', ')})`;
}
