/** Compares every readable branch of a ROOT file's trees with jsroot's values, entry by entry. */

import { openRoot } from '../../connectors/root/index.js';
import { valueAt } from '../../exec/batch/index.js';
import { openJsrootTree } from './jsroot-reference.js';

/** jsroot gives typed arrays, booleans as numbers, 64-bit integers as numbers or bigints; bring both sides to one form. */
export function normalise(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<unknown>, normalise);
  if (Array.isArray(v)) return v.map(normalise);
  if (v instanceof Map) return [...v].map(([k, x]) => ({ first: normalise(k), second: normalise(x) }));
  if (v instanceof Set) return [...v].map(normalise);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (v !== null && typeof v === 'object') {
    // jsroot's TRefArray {name, fLast, fLowerBound, fUIDs}; hepq reads it as uproot's model: {fName, fSize, refs}.
    const o = v as { _typename?: string; name?: string; fUIDs?: ArrayLike<number>; fUniqueID?: number };
    // jsroot's TRef {fUniqueID, fBits, fPID}; hepq reads the referenced object's unique id (uproot's `ref`).
    if (o._typename === 'TRef') return o.fUniqueID;
    // jsroot unpacks a TMatrixTSym's elements to the full n×n; hepq keeps the packed upper triangle (uproot's
    // model). A symmetric jsroot matrix is packed to compare; an asymmetric one is left to differ.
    if (o._typename === 'TMatrixTSym<double>') return normalise(packSymmetric(v as Record<string, unknown>));
    // jsroot keeps a class that is a collection (ATLAS's DataVector<X>, std::bitset) as its streamer's one
    // member `This`; hepq reads it as the collection itself. (An RVec's `{This: null}` is jsroot failing.)
    const own = Object.keys(v).filter((k) => k !== '_typename');
    const items = (v as { This?: unknown }).This;
    if (own.length === 1 && own[0] === 'This' && (Array.isArray(items) || ArrayBuffer.isView(items)))
      return normalise(items);
    if (o._typename === 'TRefArray' && o.fUIDs)
      return { fName: o.name, fSize: o.fUIDs.length, refs: Array.from(o.fUIDs, Number) };
    const keys = Object.keys(v);
    if (keys.every((k, i) => k === String(i)))
      return keys.map((k) => normalise((v as Record<string, unknown>)[k]));
    // jsroot's objects carry their class name and TObject members; hepq's records keep the data members only,
    // and leave out members that are collections of arbitrary objects (a histogram's fFunctions, an axis's
    // fLabels and fModLabs: TList / THashList, or null pointers to them).
    const tobject = '_typename' in v;
    const lists = (k: string, x: unknown) => {
      if (x === null) return o._typename === 'TAxis' && (k === 'fLabels' || k === 'fModLabs');
      if (typeof x !== 'object') return false;
      const kind =
        (x as { $kind?: string; _typename?: string }).$kind ?? (x as { _typename?: string })._typename;
      return kind === 'TList' || kind === 'THashList';
    };
    return Object.fromEntries(
      keys
        .filter((k) => !(k === '_typename' || (tobject && (k === 'fUniqueID' || k === 'fBits'))))
        .filter((k) => !(tobject && lists(k, (v as Record<string, unknown>)[k])))
        .map((k) => [k, normalise((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

function packSymmetric(m: Record<string, unknown>): Record<string, unknown> {
  const n = m.fNrows as number;
  const e = Array.from(m.fElements as ArrayLike<number>);
  if (e.length !== n * n) return m;
  const packed: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      if (e[i * n + j] !== e[j * n + i]) return m;
      packed.push(e[i * n + j]!);
    }
  const { _typename, ...rest } = m;
  return { ...rest, _typename: `${_typename} (packed)`, fElements: packed };
}

export function sameValue(a: unknown, b: unknown, relTol: number): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) && Number.isNaN(b)) return true;
    if (a === b) return true;
    return Math.abs(a - b) <= relTol * Math.max(Math.abs(a), Math.abs(b));
  }
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i], relTol));
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length &&
      ka.every((k) => sameValue((a as never)[k], (b as never)[k], relTol))
    );
  }
  return a === b;
}

/**
 * Nested records as one record of dotted names (jsroot nests some split members and not others, and keeps
 * base classes as nested records where hepq spreads their members: `GMAD::BeamBase.particle` is `particle`).
 */
function dotted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dotted);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  const put = (k: string, x: unknown) => {
    const key = k.replace(/^([^.]*::[^.]*\.)+/, '');
    if (!key.startsWith('TObject.')) out[key] = x;
  };
  for (const [k, x] of Object.entries(v)) {
    const d = dotted(x);
    if (d !== null && typeof d === 'object' && !Array.isArray(d))
      for (const [k2, y] of Object.entries(d)) put(`${k}.${k2}`, y);
    else put(k, d);
  }
  return out;
}

/** Fixed multi-dimensional arrays flattened (also inside records), as jsroot gives them. */
function flatArrays(v: unknown): unknown {
  if (Array.isArray(v)) return v.flat(Number.POSITIVE_INFINITY);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, flatArrays(x)]));
  return v;
}

export interface BranchComparison {
  readonly tree: string;
  readonly branch: string;
  readonly rootType: string;
  /** same: equal at every entry; differ: first differing entry in `detail`; noref: jsroot cannot read it. */
  readonly outcome: 'same' | 'differ' | 'noref' | 'error';
  readonly detail?: string;
}

export interface FileComparison {
  readonly trees: number;
  readonly emptyTrees: number;
  readonly branches: BranchComparison[];
  /** Branches listed as refused (not readable) by hepq, with their ROOT type. */
  readonly refused: { tree: string; branch: string; rootType: string }[];
}

/**
 * Compare the first `maxEntries` entries of every readable branch of every tree in `path` with jsroot.
 * `noJsroot(tree, branch)`: branches jsroot must not be asked for (its reader aborts the process on them); they
 * count as `noref` and are checked against another reference by the caller.
 */
export async function compareWithJsroot(
  path: string,
  maxEntries = 2000,
  noJsroot: (tree: string, branch: string) => boolean = () => false,
): Promise<FileComparison> {
  const file = await openRoot(path);
  const branches: BranchComparison[] = [];
  const refused: FileComparison['refused'] = [];
  let emptyTrees = 0;
  const trees = await file.trees();
  try {
    for (const t of trees) {
      const tree = await file.tree(t);
      const ref = await openJsrootTree(path, t);
      if (tree.entries !== ref.entries)
        throw new Error(`${path}:${t}: ${tree.entries} entries but jsroot says ${ref.entries}`);
      for (const b of tree.branches)
        if (!b.interpretation.type)
          refused.push({ tree: t, branch: b.name, rootType: b.interpretation.rootType });
      const stop = Math.min(tree.entries, maxEntries);
      if (stop === 0) {
        emptyTrees++;
        continue;
      }
      for (const b of tree.branches.filter((x) => x.interpretation.type)) {
        const rootType = b.interpretation.rootType;
        if (noJsroot(t, b.name)) {
          branches.push({ tree: t, branch: b.name, rootType, outcome: 'noref' });
          continue;
        }
        // A path two branches share (uproot-issue513.root's two `Particle` collections): the nth of that path on
        // both sides (by path alone, jsroot gives the first; ours names the second `Particle;2`).
        const path = b.branch.path;
        const nth = tree.branches.filter((x) => x.branch.path === path).indexOf(b);
        const theirs = await ref.read(path, stop, nth);
        if (theirs === undefined || theirs.length !== stop) {
          branches.push({ tree: t, branch: b.name, rootType, outcome: 'noref' });
          continue;
        }
        let col: Awaited<ReturnType<typeof tree.readBranch>>;
        try {
          col = await tree.readBranch(b, { stop });
        } catch (e) {
          // Refused when its data is read (a container written member-wise): refused, not misread.
          if ((e as { code?: string }).code === 'root/unsupported')
            refused.push({ tree: t, branch: b.name, rootType });
          else
            branches.push({
              tree: t,
              branch: b.name,
              rootType,
              outcome: 'error',
              detail: (e as Error).message,
            });
          continue;
        }
        // jsroot reads int8 arrays as C strings, which end at the first NUL.
        const charArray = /^int8_t\[\d/.test(rootType);
        const packed = (x: typeof b): boolean =>
          /^(std::vector<)*(Double32|Float16)/.test(x.interpretation.rootType) ||
          (x.interpretation.interp.kind === 'split' &&
            x.interpretation.interp.plan.members.some((m) =>
              packed(tree.branches.find((y) => y.branch === m.model)!),
            ));
        const tol = packed(b) ? 1e-6 : 0;
        let detail: string | undefined;
        for (let i = 0; i < stop && detail === undefined; i++) {
          let ours = normalise(valueAt(col, i));
          if (charArray && Array.isArray(ours)) {
            const nul = ours.indexOf(0);
            ours = nul < 0 ? ours : ours.slice(0, nul);
          }
          const v = theirs[i];
          // jsroot flattens fixed multi-dimensional arrays (x[15][2]) and gives a bool's raw byte.
          if (/\[\d+\]\[\d+\]/.test(rootType)) ours = flatArrays(ours);
          const want = normalise(
            typeof v === 'string' && charArray ? Array.from(v, (ch) => (ch.charCodeAt(0) << 24) >> 24) : v,
          );
          const wantBool =
            /^bool\b/.test(rootType) && Array.isArray(want) ? want.map((x) => (x ? 1 : 0)) : want;
          const flat = /\[\d+\]\[\d+\]/.test(rootType) ? flatArrays : (x: unknown) => x;
          if (!sameValue(dotted(ours), dotted(flat(wantBool)), tol))
            detail = `entry ${i}: hepq ${JSON.stringify(ours)?.slice(0, 200)} jsroot ${JSON.stringify(want)?.slice(0, 200)}`;
        }
        branches.push({ tree: t, branch: b.name, rootType, outcome: detail ? 'differ' : 'same', detail });
      }
    }
  } finally {
    await file.close();
  }
  return { trees: trees.length, emptyTrees, branches, refused };
}
