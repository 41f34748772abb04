/**
 * Distinct branch names where paths repeat (branch-names.ts), on hand-built trees: the corpus files that need it
 * (uproot-issue513.root, BDSIM) are opt-in, so the convention is pinned here too.
 */
import { describe, expect, it } from 'vitest';
import { branchNames } from '../../../connectors/root/branch-names.js';
import type { BranchModel } from '../../../connectors/root/model/tree.js';

type Node = [string, Node[]?];

/** The branches of a tree given as [name, members] in tree order, parents before members (as TreeModel.all). */
function tree(nodes: Node[]): BranchModel[] {
  const all: BranchModel[] = [];
  const add = (n: Node, parent?: BranchModel) => {
    const b = { name: n[0], path: parent ? `${parent.path}/${n[0]}` : n[0], parent } as BranchModel;
    all.push(b);
    for (const m of n[1] ?? []) add(m, b);
  };
  for (const n of nodes) add(n);
  return all;
}

const namesOf = (all: BranchModel[]) => {
  const { names } = branchNames(all);
  return all.map((b) => names.get(b));
};

describe('branch names where two branches share a path', () => {
  it('the first keeps its path; a later one is ;2, and its members are named under it', () => {
    const all = tree([
      ['Particle', [['Particle.PT'], ['Particle.Eta']]],
      ['Particle_size'],
      ['Particle', [['Particle.PT'], ['Particle.TrimmedP4[5]']]],
      ['Particle_size'],
      ['Particle_size'],
    ]);
    expect(namesOf(all)).toEqual([
      'Particle',
      'Particle/Particle.PT',
      'Particle/Particle.Eta',
      'Particle_size',
      'Particle;2',
      'Particle;2/Particle.PT',
      'Particle;2/Particle.TrimmedP4[5]',
      'Particle_size;2',
      'Particle_size;3',
    ]);
    expect([...branchNames(all).shared].sort()).toEqual([
      'Particle',
      'Particle/Particle.PT',
      'Particle_size',
    ]);
  });

  it('a tree without repeats keeps every path, and a generated name never takes a real one', () => {
    expect(namesOf(tree([['a', [['a.x']]], ['b']]))).toEqual(['a', 'a/a.x', 'b']);
    // A branch really named `x;2`: the second `x` becomes `x;3`.
    expect(namesOf(tree([['x'], ['x;2'], ['x']]))).toEqual(['x', 'x;2', 'x;3']);
    expect(namesOf(tree([['x'], ['x'], ['x;2']]))).toEqual(['x', 'x;3', 'x;2']);
  });
});
