/**
 * A table's cluster boundaries (`alignedBoundaries`: the entries at which every branch asked for starts a basket)
 * and `basketStarts` (the basket starts without building a ref per basket), on every tree of the shared files,
 * against the definition spelled out here over `basketRefs`.
 */
import { describe, expect, it } from 'vitest';
import { alignedBoundaries, openRoot } from '../../../connectors/root/index.js';
import { basketRefs, basketStarts } from '../../../connectors/root/model/tree.js';
import { HAVE_ROOT_DATA, ROOT_DATA, ttreeFiles } from '../../helpers/shared-data.js';

/** 0, the entry count, and every entry at which each branch has a basket starting: a set intersection. */
function reference(refs: ReturnType<typeof basketRefs>[], n: number): number[] {
  let common: number[] | undefined;
  for (const r of refs) {
    const starts = [0, n, ...r.map((x) => x.firstEntry).filter((x) => x <= n)];
    common = common ? common.filter((x) => starts.includes(x)) : [...new Set(starts)];
  }
  return (common ?? [...new Set([0, n])]).sort((a, b) => a - b);
}

describe.skipIf(!HAVE_ROOT_DATA)('cluster boundaries', () => {
  it('agree with the definition on every tree of the shared files, all branches and each alone', async () => {
    let trees = 0;
    let multi = 0;
    for (const name of ttreeFiles()) {
      const f = await openRoot(ROOT_DATA + name);
      for (const t of new Set(await f.trees())) {
        const tree = await f.tree(t);
        const branches = tree.readable();
        for (const b of tree.branches)
          expect(basketStarts(b.branch), `${name}:${t}/${b.name}`).toEqual(
            basketRefs(b.branch).map((r) => r.firstEntry),
          );
        const names = branches.map((b) => b.name);
        const all = alignedBoundaries(tree, names);
        expect(all, `${name}:${t}`).toEqual(
          reference(
            branches.map((b) => basketRefs(b.branch)),
            tree.entries,
          ),
        );
        for (const b of branches.slice(0, 5))
          expect(alignedBoundaries(tree, [b.name]), `${name}:${t}/${b.name}`).toEqual(
            reference([basketRefs(b.branch)], tree.entries),
          );
        trees++;
        if (all.length > 2) multi++;
      }
      await f.close();
    }
    expect(trees).toBeGreaterThan(10);
    expect(multi).toBeGreaterThan(0); // some tree has clusters inside it
  });
});
