/**
 * Distinct names for the branches of a tree. ROOT does not require branch names to be unique (Delphes trees may
 * hold two `Particle` collections, BDSIM files two `Primary.` samplers, flat trees two `hitEnd` branches); hepq
 * names every branch by its '/'-joined path, and a branch whose path an earlier branch already has gets `;2`
 * (`;3`, …) after its own name, as ROOT numbers a key's cycles: `Particle;2`. Branches under it are named under
 * that name (`Particle;2/Particle.PT`), so the bare name is always the first branch, as in uproot and jsroot.
 */
import type { BranchModel } from './model/tree.js';

export interface BranchNames {
  /** Every branch's distinct name. */
  readonly names: ReadonlyMap<BranchModel, string>;
  /** The plain paths that two or more branches share (`Particle_size`). */
  readonly shared: ReadonlySet<string>;
}

/** Distinct names for `all` (a tree's branches, parents before their members, in the tree's order). */
export function branchNames(all: readonly BranchModel[]): BranchNames {
  const paths = new Set<string>();
  const shared = new Set<string>();
  for (const b of all) {
    if (paths.has(b.path)) shared.add(b.path);
    paths.add(b.path);
  }
  const names = new Map<BranchModel, string>();
  const taken = new Set<string>();
  for (const b of all) {
    const parent = b.parent && names.get(b.parent);
    const base = parent === undefined ? b.path : `${parent}/${b.name}`;
    let name = base;
    // A name some branch really has (`x;2` written by hand) is never given to another one.
    for (let n = 2; taken.has(name) || (name !== base && paths.has(name)); n++) name = `${base};${n}`;
    taken.add(name);
    names.set(b, name);
  }
  return { names, shared };
}
