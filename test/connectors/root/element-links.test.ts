/**
 * ATLAS xAOD ElementLinks (`ElementLink<DataVector<…>>`, alone, in vectors and vectors of vectors, written
 * object-wise or member-wise, split into a base-class branch), read as records of their persistent fields
 * {m_persKey, m_persIndex} as uproot reads them. Expected values are uproot's own test values
 * (tests/test_0637_setup_tests_for_AwkwardForth.py, test_09) and bytes decoded by hand below; every ElementLink
 * branch of both files also equals jsroot's reading in root-vs-jsroot.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { openRoot } from '../../../connectors/root/index.js';
import { decodeBasket } from '../../../connectors/root/interp/decode.js';
import { contentOf, typeOfContent } from '../../../connectors/root/interp/object-type.js';
import { StreamerRegistry } from '../../../connectors/root/streamers/streamer-info.js';
import { valueAt } from '../../../exec/batch/index.js';
import { firstBasket as basketOf, decodeError } from '../../helpers/damaged-basket.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../helpers/shared-data.js';

const PHYSLITE = 'PHYSLITE_example.root';
const R21 = 'uproot-issue-123a.root';
const JET_LINK = 'METAssoc_AnalysisMETAux./METAssoc_AnalysisMETAux.jetLink';
const BTAG = 'AntiKt10UFOCSSKJetsAuxDyn.GhostVR30Rmax4Rmin02TrackJet_BTagging201903';

async function rows(file: string, branch: string, stop: number) {
  const f = await openRoot(ROOT_DATA + file);
  try {
    const t = await f.tree('CollectionTree');
    const col = await t.readBranch(branch, { stop });
    return { rows: Array.from({ length: stop }, (_, i) => valueAt(col, i)), info: t.info(branch) };
  } finally {
    await f.close();
  }
}

/** The decompressed first basket of a branch of a shared file's CollectionTree. */
const firstBasket = (file: string, branch: string) => basketOf(ROOT_DATA + file, 'CollectionTree', branch);

const link = (m_persKey: number, m_persIndex: number) => ({ m_persKey, m_persIndex });

describe.skipIf(!HAVE_ROOT_DATA)('ElementLink branches', () => {
  it('vector<vector<ElementLink>> written object-wise (uproot test_0637 test_09, and the bytes)', async () => {
    // Entry 0 of the basket, by hand: 40 00 00 46 | 00 09 (vector<vector<…>> byte count, version 9) | 00 00 00 02
    // (2 inner vectors) | 00 00 00 01 (1 link) | 40 00 00 18 00 00 67 bf b0 73 (ElementLink: byte count 24,
    // version 0 = a class without a ROOT version, then its checksum) | 40 00 00 0e 00 00 fe b3 df 9e (its base
    // ElementLinkBase, the same) | 15 00 4c 1d (m_persKey 352341021) | 00 00 00 00 (m_persIndex 0); the second
    // inner vector the same with m_persIndex 1.
    const { rows: r, info } = await rows(R21, BTAG, 2);
    expect((r[0] as { m_persKey: number }[][])[0]![0]!.m_persKey).toBe(352341021); // uproot's test_09
    expect(r[0]).toEqual([[link(352341021, 0)], [link(352341021, 1)]]);
    expect(r[1]).toEqual([[link(352341021, 0)], [link(352341021, 1), link(352341021, 2)], []]);
    expect(info.interpretation.type).toEqual({
      kind: 'list',
      item: {
        kind: 'list',
        item: {
          kind: 'struct',
          fields: [
            { name: 'm_persKey', type: { kind: 'primitive', type: 'uint32' } },
            { name: 'm_persIndex', type: { kind: 'primitive', type: 'uint32' } },
          ],
        },
      },
    });
  });

  it('vector<ElementLink> written member-wise (PHYSLITE, bytes decoded by hand)', async () => {
    // Entry 0: 40 00 00 54 | 40 09 (byte count 84; version 9 with kStreamedMemberWise, 0x4000) | 00 00 a7 06 70 0b
    // (the element class's version 0 and checksum) | 00 00 00 09 (9 links) | nine m_persKey: 1a fd 19 19
    // (452794649) eight times, 00 00 00 00 | nine m_persIndex: 0 … 7, ff ff ff ff (an invalid link).
    const { rows: r } = await rows(PHYSLITE, JET_LINK, 1);
    expect(r[0]).toEqual([...Array.from({ length: 8 }, (_, i) => link(452794649, i)), link(0, 4294967295)]);
  });

  it('a split ElementLink whose base-class branch holds whole ElementLinkBase objects', async () => {
    // Each entry of the member branch: 40 00 00 0e 00 00 fe b3 df 9e (ElementLinkBase, version 0 + checksum),
    // 37 d1 45 97 (m_persKey 936461719), 00 00 00 00 (m_persIndex 0).
    const { rows: r } = await rows(PHYSLITE, 'EventInfoAuxDyn.hardScatterVertexLink', 3);
    expect(r).toEqual([link(936461719, 0), link(936461719, 0), link(936461719, 0)]);
  });

  it('without any streamer in the file, the built-in ElementLink layout reads the same bytes the same', async () => {
    // The files here carry ElementLink streamers (uproot-issue-123a lacks only NeutralParticle_v1's, whose
    // vectors are all empty): decode real baskets with an empty streamer registry, where only hepq's own
    // knowledge of ElementLink<T> → ElementLinkBase {m_persKey, m_persIndex} applies.
    for (const [file, branch] of [
      [R21, BTAG],
      [PHYSLITE, JET_LINK],
      [PHYSLITE, 'AnalysisJetsAuxDyn.GhostTrack'],
    ] as const) {
      const { info, content } = await firstBasket(file, branch);
      const withStreamers = decodeBasket(info.interpretation.interp, content);
      const bare = contentOf(info.interpretation.rootType, true, new StreamerRegistry());
      if (!('content' in bare)) throw new Error(`${branch}: ${bare.refused}`);
      expect(typeOfContent(bare.content), `${file} ${branch}`).toEqual(info.interpretation.type);
      const builtIn = decodeBasket({ kind: 'object', content: bare.content }, content);
      expect(
        Array.from({ length: content.entries }, (_, i) => valueAt(builtIn, i)),
        `${file} ${branch}`,
      ).toEqual(Array.from({ length: content.entries }, (_, i) => valueAt(withStreamers, i)));
    }
  });

  it('an ElementLink with a wrong byte count is located (file, branch, basket, byte)', async () => {
    const { info, ref, content } = await firstBasket(R21, BTAG);
    const data = content.data.slice();
    // Entry 0: outer header (6), 2 (4), 1 (4), then the first ElementLink's byte count.
    const at = content.offsets![0]! + 14;
    const view = new DataView(data.buffer, data.byteOffset);
    view.setUint32(at, view.getUint32(at) + 4);
    const e = decodeError(() => decodeBasket(info.interpretation.interp, { ...content, data }));
    expect(e.code).toBe('root/corrupt-entry');
    expect(e.message).toMatch(
      /^entry 0: ElementLink<DataVector<xAOD::IParticle>> ends at \d+ but its byte count/,
    );
    expect(e.message).toContain(`at byte ${at} of the decompressed object`);
    expect(e.location).toMatchObject({
      file: expect.stringContaining(R21),
      object: `CollectionTree/${BTAG} (basket 0)`,
    });
    expect(e.location!.offset).toBeGreaterThan(ref.seek);
  });

  it('a member-wise vector whose length runs past its entry is located', async () => {
    const { info, content } = await firstBasket(PHYSLITE, JET_LINK);
    const data = content.data.slice();
    const at = content.offsets![0]! + 12; // after the header (6) and the class version + checksum (6)
    new DataView(data.buffer, data.byteOffset).setUint32(at, 1000);
    const e = decodeError(() => decodeBasket(info.interpretation.interp, { ...content, data }));
    expect(e.code).toBe('root/corrupt-entry');
    expect(e.message).toMatch(/^entry 0: container length 1000 does not fit in the \d+ bytes left/);
    expect(e.message).toContain(`at byte ${at} of the decompressed object`);
    expect(e.location?.object).toBe(`CollectionTree/${JET_LINK} (basket 0)`);
  });

  it('a member-wise vector cut short is located', async () => {
    const { info, content } = await firstBasket(PHYSLITE, JET_LINK);
    const offsets = content.offsets!.slice();
    offsets[1] = offsets[1]! - 4; // entry 0 loses its last m_persIndex
    const e = decodeError(() => decodeBasket(info.interpretation.interp, { ...content, offsets }));
    expect(e.code).toBe('root/corrupt-entry');
    expect(e.message).toMatch(/^entry 0: /);
    expect(e.location?.object).toBe(`CollectionTree/${JET_LINK} (basket 0)`);
  });
});
