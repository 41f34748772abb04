/**
 * The interpretation of a branch of leaves (TBranch, not an object branch): a number, a fixed or leaf-count
 * array of them (`x[3][2]`, `Jet_pt[nJet]`), a C string (TLeafC) or a leaf list as a record.
 */
import type { PrimitiveType } from '../../../exec/batch/index.js';
import type { BranchModel, LeafModel } from '../model/tree.js';
import { parseFloatRange } from '../streamers/streamer-info.js';
import { type BranchInterpretation, unsupported } from './branch-interpretation.js';
import { cppOfItem, type Item, item, typeOfItem } from './items.js';

const LEAF_TYPES: Record<string, [PrimitiveType, PrimitiveType]> = {
  TLeafO: ['bool', 'bool'],
  TLeafB: ['int8', 'uint8'],
  TLeafS: ['int16', 'uint16'],
  TLeafI: ['int32', 'uint32'],
  TLeafL: ['int64', 'uint64'],
  TLeafG: ['int64', 'uint64'],
  TLeafF: ['float32', 'float32'],
  TLeafD: ['float64', 'float64'],
};

function leafItem(leaf: LeafModel): Item | undefined {
  const t = LEAF_TYPES[leaf.className];
  if (t) return item(leaf.isUnsigned ? t[1] : t[0]);
  if (leaf.className === 'TLeafD32') return item('float32', 'float64', parseFloatRange(leaf.title, false));
  if (leaf.className === 'TLeafF16') return item('float32', 'float32', parseFloatRange(leaf.title, true));
  return undefined;
}

/** Dimensions from a leaf title such as `x[3][2]` or `Jet_pt[nJet]`: the variable one (if any) and the fixed ones. */
function leafDims(leaf: LeafModel): { variable: boolean; dims: number[] } {
  const dims: number[] = [];
  let variable = Boolean(leaf.countLeaf);
  const name = leaf.title.split('/')[0] ?? '';
  for (const m of name.matchAll(/\[([^\]]+)\]/g)) {
    const v = m[1]!.trim();
    if (/^\d+$/.test(v)) dims.push(Number(v));
    else if (!/^[-+.\d\s,eE]+$/.test(v) && !v.includes(',')) variable = true;
  }
  if (!variable && dims.length === 0 && leaf.len > 1) dims.push(leaf.len);
  return { variable, dims };
}

export function fromLeaves(b: BranchModel): BranchInterpretation {
  const leaves = b.leaves;
  if (leaves.length === 0) return unsupported('', `branch ${b.path} has no leaves`);
  if (leaves.length > 1) {
    const fields: { name: string; item: Item; dims: number[] }[] = [];
    for (const l of leaves) {
      const it = leafItem(l);
      const { variable, dims } = leafDims(l);
      if (!it || variable)
        return unsupported(
          'leaflist',
          `not supported yet: leaf list with ${l.className} ${l.title} in branch ${b.path}`,
        );
      fields.push({ name: l.name, item: it, dims });
    }
    return {
      interp: { kind: 'leaflist', fields },
      rootType: `struct{${fields.map((f) => `${cppOfItem(f.item)} ${f.name}${f.dims.map((d) => `[${d}]`).join('')}`).join('; ')}}`,
      type: {
        kind: 'struct',
        fields: fields.map((f) => ({ name: f.name, type: typeOfItem(f.item, f.dims) })),
      },
    };
  }
  const leaf = leaves[0]!;
  if (leaf.className === 'TLeafC')
    return { interp: { kind: 'string', header: false }, rootType: 'char*', type: { kind: 'utf8' } };
  const it = leafItem(leaf);
  if (!it) return unsupported(leaf.className, `not supported yet: ${leaf.className} in branch ${b.path}`);
  // Some writers leave the leaf's name and title empty: the branch title (`x[5]/D`, `y[N]/D`) then says it.
  const { variable, dims } = leafDims(leaf.title ? leaf : { ...leaf, title: b.title });
  const base = cppOfItem(it);
  if (variable) {
    return {
      interp: { kind: 'jagged', item: it, dims, headerBytes: 0 },
      rootType: `${base}[]${dims.map((d) => `[${d}]`).join('')}`,
      type: { kind: 'list', item: typeOfItem(it, dims) },
    };
  }
  return {
    interp: { kind: 'flat', item: it, dims },
    rootType: `${base}${dims.map((d) => `[${d}]`).join('')}`,
    type: typeOfItem(it, dims),
  };
}
