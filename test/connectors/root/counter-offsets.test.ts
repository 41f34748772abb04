/**
 * `RootTree.read` builds the offsets of leaf-count arrays (`Jet_pt[nJet]`) from the counter branch instead of
 * each basket's entry-offset array. On every shared TTree (and on a generated many-basket file) it must give
 * exactly what `readBranch` gives basket by basket — the path checked against jsroot in root-vs-jsroot.test.
 */
import { describe, expect, it } from 'vitest';
import { openRoot, openRootTable } from '../../../connectors/root/index.js';
import { type Column, valueAt } from '../../../exec/batch/index.js';
import { HAVE_ROOT_DATA, ROOT_DATA, SHARED, ttreeFiles } from '../../helpers/shared-data.js';

const rows = (c: Column, n: number) => Array.from({ length: n }, (_, i) => valueAt(c, i));

describe.skipIf(!HAVE_ROOT_DATA)('leaf-count arrays read through their counters', () => {
  it('equal the basket-by-basket reading on every shared TTree', async () => {
    let checked = 0;
    for (const file of ttreeFiles()) {
      const h = await openRoot(`${ROOT_DATA}${file}`);
      for (const path of [...new Set(await h.trees())]) {
        const tree = await h.tree(path);
        const jagged = tree
          .readable()
          .filter((b) => b.interpretation.interp.kind === 'jagged' && b.branch.leaves[0]?.countLeaf)
          .map((b) => b.name);
        if (!jagged.length) continue;
        const batch = await tree.read(jagged);
        for (const [i, name] of jagged.entries()) {
          const one = await tree.readBranch(name);
          expect(rows(batch.columns[i]!, batch.length), `${file} ${path} ${name}`).toEqual(
            rows(one, batch.length),
          );
          checked++;
        }
      }
      await h.close();
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('equal it batch by batch in a scan of the ADL sample', async () => {
    const file = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
    const t = await openRootTable(file);
    const names = ['Muon_pt', 'Muon_charge', 'Jet_btag', 'Electron_eta'];
    const whole = await t.tree.read(names);
    let at = 0;
    for await (const b of t.scan({ columns: names, batchSize: 100 })) {
      for (const [i, name] of names.entries()) {
        const one = await t.tree.readBranch(name, { start: at, stop: at + b.length });
        expect(rows(b.columns[i]!, b.length), name).toEqual(rows(one, b.length));
      }
      at += b.length;
    }
    expect(at).toBe(whole.length);
    await t.close();
  });
});
