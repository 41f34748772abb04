/**
 * Opt-in corpus cases (HEPQ_ROOT_CORPUS): uproot-mc10events.root's baconhep records (`Info`, the `Muon`, `Electron`,
 * ... TClonesArrays), whose std::bitset members ROOT wrote without bytes: the records read without them, the
 * bitsets are refused alone.
 */
import { describe, expect, it } from 'vitest';
import { openRoot } from '../../../connectors/root/index.js';
import { CORPUS_DIR as DIR, HAVE_CORPUS as HAVE, corpusRows as rows } from '../../helpers/corpus.js';
import { firstBasket } from '../../helpers/damaged-basket.js';

const COLLECTIONS = [
  'Electron',
  'Muon',
  'Tau',
  'Photon',
  'AK4CHS',
  'AK8CHS',
  'CA15CHS',
  'AK4Puppi',
  'CA8Puppi',
  'CA15Puppi',
];

describe.skipIf(!HAVE)('scikit-hep-testdata: baconhep records with bitsets written without bytes', () => {
  const FILE = 'uproot-mc10events.root';

  it('Muon has the per-event counts of test_0438', async () => {
    const muons = (await rows(FILE, 'Events', 'Muon')) as unknown[][];
    expect(muons.map((m) => m.length)).toEqual([1, 0, 3, 3, 0, 1, 5, 0, 1, 0]);
  });

  it("every collection's lengths are its TClonesArray's counts, its records its member branches", async () => {
    for (const coll of COLLECTIONS) {
      // The counts as the TClonesArray's own branch stores them: one int32 per entry.
      const { content } = await firstBasket(DIR + FILE, 'Events', coll);
      const view = new DataView(content.data.buffer, content.data.byteOffset, content.data.byteLength);
      const counts = Array.from({ length: 10 }, (_, i) => view.getInt32(content.offsets![i]!));
      const records = (await rows(FILE, 'Events', coll)) as Record<string, unknown>[][];
      expect(
        records.map((r) => r.length),
        coll,
      ).toEqual(counts);
      const pt = (await rows(FILE, 'Events', `${coll}/${coll}.pt`)) as number[][];
      expect(
        records.map((r) => r.map((x) => x.pt)),
        coll,
      ).toEqual(pt);
      for (const r of records.flat()) expect(r, coll).not.toHaveProperty('hltMatchBits');
    }
  });

  it('Info reads without its triggerBits: evtNum as test_1477 gives it', async () => {
    const info = (await rows(FILE, 'Events', 'Info')) as { evtNum: number }[];
    expect(info.map((i) => i.evtNum)).toEqual([
      135353219, 135353222, 135353225, 135353230, 135353239, 135353242, 135353244, 135353247, 135353252,
      135353256,
    ]);
    expect(info[0]).not.toHaveProperty('triggerBits');
  });

  it('the bitsets alone are refused, with the reason', async () => {
    const f = await openRoot(DIR + FILE);
    try {
      const refused = await f.refused('Events');
      expect(refused.map((b) => b.name).sort()).toEqual(
        ['Info/triggerBits', ...COLLECTIONS.map((c) => `${c}/${c}.hltMatchBits`)].sort(),
      );
      for (const b of refused)
        expect(b.reason).toMatch(/bitset<256> member of a split object .*\(written without bytes\)/);
    } finally {
      await f.close();
    }
  });
});
