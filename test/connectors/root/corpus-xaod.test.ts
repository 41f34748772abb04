/**
 * Opt-in (HEPQ_ROOT_CORPUS): ATLAS xAOD interface and metadata branches of scikit-hep-testdata's
 * uproot-issue-123b/798/951.root. uproot's tests on these files (test_0798, test_1114) check ElementLinks only;
 * uproot cannot read the interface containers (written member-wise) nor the empty bases, so the references here
 * are the files themselves (a container's size is its AuxDyn branches' length; the kernel's accepted events are
 * the events written), bookkeeping arithmetic and, for every readable branch, jsroot (corpus.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { openRoot } from '../../../connectors/root/index.js';
import { type Column, valueAt } from '../../../exec/batch/index.js';
import { CORPUS_DIR as DIR, HAVE_CORPUS as HAVE } from '../../helpers/corpus.js';

function lengths(c: Column): number[] {
  if (c.kind !== 'list') throw new Error(`not a list column: ${c.kind}`);
  return Array.from({ length: c.offsets.length - 1 }, (_, i) => c.offsets[i + 1]! - c.offsets[i]!);
}

interface Bookkeepers {
  name: string[];
  nAcceptedEvents: (number | bigint)[];
  sumOfEventWeights: number[];
  sumOfEventWeightsSquared: number[];
}

describe.skipIf(!HAVE)('scikit-hep-testdata: ATLAS xAOD interface and metadata branches', () => {
  it('split CutBookkeeper Aux stores read without their empty AuxContainerBase: one event count for every weight (uproot-issue-951.root)', async () => {
    const f = await openRoot(`${DIR}uproot-issue-951.root`);
    try {
      const events = (await f.tree('CollectionTree')).entries;
      const t = await f.tree('MetaData');
      const names = t.branches
        .map((b) => b.name)
        .filter((n) => /^CutBookkeepers(_weight_\d+)?Aux\.$/.test(n));
      expect(names.length).toBeGreaterThan(100);
      for (const name of names) {
        const base = `${name}/${name}xAOD::AuxContainerBase`;
        expect(t.refused().find((r) => r.name === base)?.reason, base).toMatch(
          /holds no data of its own: base class xAOD::AuxContainerBase has no data members/,
        );
        const book = valueAt(await t.readBranch(name), 0) as unknown as Bookkeepers;
        expect(book.name).toEqual(['AllExecutedEvents', 'PHYSLITEKernel']);
        // Every weight variation counts the same events: all executed, all accepted by the kernel, all written.
        expect(book.nAcceptedEvents.map(Number)).toEqual([events, events]);
        book.sumOfEventWeights.forEach((w, i) => {
          // Cauchy–Schwarz: (Σw)² ≤ n·Σw².
          expect(w * w).toBeLessThanOrEqual(events * book.sumOfEventWeightsSquared[i]! * (1 + 1e-12));
          expect(book.sumOfEventWeightsSquared[i]).toBeGreaterThan(0);
        });
        // The record is its member branches.
        const member = await t.readBranch(`${name}/${name}sumOfEventWeights`);
        expect(valueAt(member, 0)).toEqual(book.sumOfEventWeights);
      }
    } finally {
      await f.close();
    }
  });

  it('DataVector<xAOD::CaloCluster_v1>: as many clusters as the aux store in every event (uproot-issue-798/951.root)', async () => {
    for (const [file, names] of [
      ['uproot-issue-798.root', ['egammaClusters', 'CaloCalTopoClusters']],
      ['uproot-issue-951.root', ['egammaClusters']],
    ] as const) {
      const f = await openRoot(DIR + file);
      try {
        const t = await f.tree('CollectionTree');
        for (const name of names) {
          const clusters = await t.readBranch(name);
          expect(lengths(clusters), `${file} ${name}`).toEqual(
            lengths(await t.readBranch(`${name}AuxDyn.calE`)),
          );
          expect(t.readable().some((b) => b.name === name)).toBe(false);
        }
      } finally {
        await f.close();
      }
    }
  });

  it('interface containers whose streamer the file lacks are refused alone; the rest of the tree reads (uproot-issue-123b.root)', async () => {
    const f = await openRoot(`${DIR}uproot-issue-123b.root`);
    try {
      const t = await f.tree('CollectionTree');
      expect(t.refused().find((r) => r.name === 'AnalysisElectrons')?.reason).toBe(
        'not supported yet: DataVector<xAOD::Electron_v1> in branch AnalysisElectrons (no streamer for DataVector<xAOD::Electron_v1> in the file)',
      );
      const all = await f.read('CollectionTree');
      expect(all.length).toBe(t.entries);
      expect(all.schema.fields.length).toBe(t.readable().length);
      expect(all.schema.fields.some((x) => x.name === 'AnalysisElectronsAuxDyn.pt')).toBe(true);
    } finally {
      await f.close();
    }
  });
});
