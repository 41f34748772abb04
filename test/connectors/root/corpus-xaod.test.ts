/**
 * Opt-in (HEPQ_ROOT_CORPUS): ATLAS xAOD interface and metadata branches of scikit-hep-testdata's
 * uproot-issue-123b/798/951.root. uproot's tests on these files (test_0798, test_1114) check ElementLinks only;
 * uproot cannot read the interface containers (written member-wise) nor the empty bases, so the references here
 * are the files themselves (a container's size is its AuxDyn branches' length; the kernel's accepted events are
 * the events written; a bookkeeper's sum of weights is the events' MC weights summed), and, for every readable
 * branch, jsroot (corpus.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { openRoot } from '../../../connectors/root/index.js';
import { type Column, valueAt } from '../../../exec/batch/index.js';
import { CORPUS_DIR as DIR, HAVE_CORPUS as HAVE } from '../../helpers/corpus.js';
import { firstBasket } from '../../helpers/damaged-basket.js';

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
      const ct = await f.tree('CollectionTree');
      const events = ct.entries;
      const weights = await ct.readBranch('EventInfoAuxDyn.mcEventWeights');
      const perEvent = Array.from({ length: events }, (_, i) => valueAt(weights, i) as number[]);
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
        // The bookkeeper of weight k sums every event's k-th MC weight (the nominal one: weight 0), and its square.
        const k = Number(/_(\d+)Aux\.$/.exec(name)?.[1] ?? 0);
        const sum = perEvent.reduce((a, w) => a + w[k]!, 0);
        const sum2 = perEvent.reduce((a, w) => a + w[k]! * w[k]!, 0);
        expect(Math.abs(book.sumOfEventWeights[0]! - sum), name).toBeLessThanOrEqual(1e-9 * Math.abs(sum));
        expect(Math.abs(book.sumOfEventWeightsSquared[0]! - sum2), name).toBeLessThanOrEqual(1e-9 * sum2);
        // The record is its member branches.
        const member = await t.readBranch(`${name}/${name}sumOfEventWeights`);
        expect(valueAt(member, 0)).toEqual(book.sumOfEventWeights);
      }
    } finally {
      await f.close();
    }
  });

  it('split TriggerMenuJson Aux stores: JSON menus whose keys are the events’ TrigConfKeys (uproot-issue-951.root)', async () => {
    const f = await openRoot(`${DIR}uproot-issue-951.root`);
    try {
      const md = await f.tree('MetaData');
      const menu = async (kind: string) => {
        const v = valueAt(await md.readBranch(`TriggerMenuJson_${kind}Aux.`), 0) as {
          key: number[];
          name: string[];
          payload: string[];
        };
        expect(v.key).toHaveLength(1);
        const json = JSON.parse(v.payload[0]!) as { filetype: string; name: string };
        expect(json.name).toBe(v.name[0]);
        return { key: v.key[0]!, filetype: json.filetype };
      };
      const hlt = await menu('HLT');
      const l1 = await menu('L1');
      const l1ps = await menu('L1PS');
      const hltps = await menu('HLTPS');
      expect([hlt.filetype, l1.filetype, l1ps.filetype, hltps.filetype]).toEqual([
        'hltmenu',
        'l1menu',
        'l1prescale',
        'hltprescale',
      ]);
      expect(md.refused().find((r) => r.name === 'TriggerMenuJson_HLT')?.noData).toBe(true);
      // Every event names the menu and prescale sets the metadata holds.
      const events = await f.tree('CollectionTree');
      const keys = await events.readBranch('TrigConfKeys');
      for (let i = 0; i < events.entries; i++)
        expect(valueAt(keys, i)).toEqual({ m_smk: hlt.key, m_l1psk: l1ps.key, m_hltpsk: hltps.key });
      expect(l1.key).toBe(hlt.key);
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

  it('interface containers the file has no streamer for: a bare count per entry, said so; the rest of the tree reads (uproot-issue-123b.root)', async () => {
    const f = await openRoot(`${DIR}uproot-issue-123b.root`);
    try {
      const t = await f.tree('CollectionTree');
      const refused = new Map(t.refused().map((r) => [r.name, r]));
      expect(refused.get('AnalysisElectrons')?.reason).toMatch(
        /^DataVector<xAOD::Electron_v1> in branch AnalysisElectrons holds no data of its own: .* only its number of xAOD::Electron_v1 objects/,
      );
      // Here each entry is the bare 4-byte count: the aux store's electrons.
      const { content } = await firstBasket(
        `${DIR}uproot-issue-123b.root`,
        'CollectionTree',
        'AnalysisElectrons',
      );
      const pt = lengths(await t.readBranch('AnalysisElectronsAuxDyn.pt', { stop: content.entries }));
      const view = new DataView(content.data.buffer, content.data.byteOffset, content.data.byteLength);
      for (let i = 0; i < content.entries; i++) {
        expect(content.offsets![i + 1]! - content.offsets![i]!).toBe(4);
        expect(view.getUint32(content.offsets![i]!)).toBe(pt[i]);
      }
      // A typedef'd container names its element class only in the streamer the file lacks: refused for that.
      expect(refused.get('MET_Core_AnalysisMET')?.reason).toBe(
        'not supported yet: xAOD::MissingETContainer_v1 in branch MET_Core_AnalysisMET (no streamer for xAOD::MissingETContainer_v1 in the file)',
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
