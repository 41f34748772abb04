/**
 * Unsplit objects of classes that are not TObjects (ATLAS `_p` persistent classes, xAOD Aux containers) as ROOT
 * writes them in a top-level branch of type 0: the members alone, without the object's byte count and version;
 * string and container members of a member-wise vector under one shared header; empty interface bases
 * (`SG::IAuxStore`) as a header only. Values are checked against what the file says elsewhere (branch names,
 * the tree's entry count, the run number) and against jsroot; damaged copies give located errors.
 */
import { describe, expect, it } from 'vitest';
import { openRoot } from '../../../connectors/root/index.js';
import { decodeBasket } from '../../../connectors/root/interp/decode.js';
import { valueAt } from '../../../exec/batch/index.js';
import { normalise, sameValue } from '../../helpers/compare-jsroot.js';
import { decodeError, firstBasket } from '../../helpers/damaged-basket.js';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../helpers/shared-data.js';

const ATLAS = `${ROOT_DATA}uproot-issue-123a.root`;
const PHYSLITE = `${ROOT_DATA}PHYSLITE_example.root`;

async function rows(file: string, tree: string, branch: string): Promise<unknown[]> {
  const f = await openRoot(file);
  try {
    const t = await f.tree(tree);
    const col = await t.readBranch(branch);
    return Array.from({ length: t.entries }, (_, i) => valueAt(col, i));
  } finally {
    await f.close();
  }
}

async function expectJsroot(file: string, tree: string, branch: string, ours: unknown[]) {
  const theirs = await (await openJsrootTree(file, tree)).read(branch);
  expect(theirs).toHaveLength(ours.length);
  ours.forEach((v, i) => {
    expect(sameValue(normalise(v), normalise(theirs![i]), 0), `${branch} entry ${i}`).toBe(true);
  });
}

describe.skipIf(!HAVE_ROOT_DATA)('unsplit objects of non-TObject classes', () => {
  it('xAOD::TrigConfKeys_v1: each 12-byte entry is its three uint32 members, no header (uproot test_0637 test_05)', async () => {
    const keys = (await rows(PHYSLITE, 'CollectionTree', 'TrigConfKeys')) as Record<string, number>[];
    const { content } = await firstBasket(PHYSLITE, 'CollectionTree', 'TrigConfKeys');
    const view = new DataView(content.data.buffer, content.data.byteOffset);
    for (let i = 0; i < content.entries; i++) {
      const at = content.offsets![i]!;
      expect(content.offsets![i + 1]! - at).toBe(12);
      expect(keys[i]).toEqual({
        m_smk: view.getUint32(at),
        m_l1psk: view.getUint32(at + 4),
        m_hltpsk: view.getUint32(at + 8),
      });
    }
    await expectJsroot(PHYSLITE, 'CollectionTree', 'TrigConfKeys', keys);
  });

  it('EventStreamInfo_p3 counts the events and lists the stored branches; its EventType_p3s are member-wise', async () => {
    const [info] = (await rows(ATLAS, 'MetaData', 'StreamDAOD_PHYSLITE')) as {
      m_numberOfEvents: number;
      m_runNumbers: number[];
      m_processingTags: string[];
      m_itemList: { first: number; second: string }[];
      m_eventTypes: { m_user_type: string; m_mc_channel_number: number }[];
    }[];
    const f = await openRoot(ATLAS);
    const events = await f.tree('CollectionTree');
    await f.close();
    expect(info!.m_numberOfEvents).toBe(events.entries);
    expect(info!.m_processingTags).toEqual(['StreamDAOD_PHYSLITE']);
    // The item list names every container of CollectionTree (its top-level branches but the dynamic Aux
    // variables), and the stream's own entry in MetaData.
    const names = info!.m_itemList.map((x) => x.second).sort();
    const containers = events.model.branches.map((b) => b.name).filter((n) => !n.includes('AuxDyn.'));
    expect(names).toEqual([...containers, 'StreamDAOD_PHYSLITE'].sort());
    expect(info!.m_runNumbers).toEqual([310000]);
    expect(info!.m_eventTypes).toHaveLength(1);
    await expectJsroot(ATLAS, 'MetaData', 'StreamDAOD_PHYSLITE', [info]);
  });

  it('IOVMetaDataContainer_p1: folder names are the branch names; IOVs start at the stream’s run (nested member-wise vectors)', async () => {
    const f = await openRoot(ATLAS);
    const meta = await f.tree('MetaData');
    const iov = meta.branches.filter((b) => b.interpretation.rootType === 'IOVMetaDataContainer_p1');
    await f.close();
    expect(iov.length).toBeGreaterThan(10);
    for (const b of iov) {
      const [v] = (await rows(ATLAS, 'MetaData', b.name)) as {
        m_folderName: string;
        m_payload: { m_payloadVec: { m_start: bigint; m_attrLists: { m_lastIndex: number }[] }[] };
      }[];
      expect(v!.m_folderName.replaceAll('/', '_')).toBe(b.name);
      // An IOV time is (run << 32) | lumi block; these folders are valid from run 310000 (or from run 0).
      for (const p of v!.m_payload.m_payloadVec) expect([0n, 310000n]).toContain(p.m_start >> 32n);
    }
    const [tag] = (await rows(ATLAS, 'MetaData', '_TagInfo')) as {
      m_payload: { m_payloadVec: { m_start: bigint; m_attrLists: unknown[] }[] };
    }[];
    expect(tag!.m_payload.m_payloadVec[0]!.m_start).toBe(310000n << 32n);
    expect(tag!.m_payload.m_payloadVec[0]!.m_attrLists).toHaveLength(1);
    await expectJsroot(ATLAS, 'MetaData', '_TagInfo', [tag]);
  });

  it('DataHeader_p5: a member-wise vector whose string member has one header for all elements', async () => {
    const [dh] = (await rows(ATLAS, 'MetaDataHdr', 'DataHeader')) as {
      m_dataHeader: { m_token: string; m_oid2: number }[];
      m_dhFormToken: string;
    }[];
    expect(dh!.m_dataHeader).toHaveLength(38);
    // The token points at the DataHeaderForm branch of the MetaDataHdrForm tree of this same file.
    expect(dh!.m_dhFormToken).toContain('[CNT=MetaDataHdrForm(DataHeaderForm)]');
    await expectJsroot(ATLAS, 'MetaDataHdr', 'DataHeader', [dh]);
  });

  it('an xAOD Aux container whose bases are empty interfaces (SG::IAuxStore, ILockable) reads its own members', async () => {
    const books = (await rows(ATLAS, 'MetaData', 'CutBookkeepersAux.')) as Record<string, unknown[]>[];
    expect(Object.keys(books[0]!)).toContain('nAcceptedEvents');
    expect(Object.keys(books[0]!).some((k) => /Aux|Store|Lock/.test(k))).toBe(false);
    const n = books[0]!.name!.length;
    for (const v of Object.values(books[0]!)) expect(v).toHaveLength(n);
    await expectJsroot(ATLAS, 'MetaData', 'CutBookkeepersAux.', books);
  });

  it('a class with nothing but empty bases stays refused alone, with the reason', async () => {
    const f = await openRoot(PHYSLITE);
    try {
      const t = await f.tree('CollectionTree');
      expect(t.refused().find((r) => r.name === 'AnalysisMuonsAux.')?.reason).toContain(
        'xAOD::AuxContainerBase has no data members',
      );
      expect(t.readable().some((b) => b.name === 'TrigConfKeys')).toBe(true);
    } finally {
      await f.close();
    }
  });
});

describe.skipIf(!HAVE_ROOT_DATA)('damaged copies of these layouts', () => {
  it('a bare object cut short, or followed by stray bytes, is located', async () => {
    const { info, content } = await firstBasket(PHYSLITE, 'CollectionTree', 'TrigConfKeys');
    const short = content.offsets!.slice();
    short[1] = short[1]! - 4; // entry 0 loses m_hltpsk
    let e = decodeError(() => decodeBasket(info.interpretation.interp, { ...content, offsets: short }));
    expect(e.code).toBe('root/corrupt-entry');
    expect(e.message).toMatch(/^entry 0: entry data ends at \d+ but needs 4 bytes/);
    expect(e.location).toMatchObject({
      file: expect.stringContaining('PHYSLITE_example.root'),
      object: 'CollectionTree/TrigConfKeys (basket 0)',
    });
    const long = content.offsets!.slice();
    long[1] = long[1]! + 2; // entry 0 runs two bytes into entry 1
    e = decodeError(() => decodeBasket(info.interpretation.interp, { ...content, offsets: long }));
    expect(e.message).toMatch(/^entry 0: xAOD::TrigConfKeys_v1 ends at \d+, 2 bytes before the entry's end/);
  });

  it('a member-wise string member whose shared byte count is wrong is located', async () => {
    const { info, content } = await firstBasket(ATLAS, 'MetaDataHdr', 'DataHeader');
    const data = content.data.slice();
    const view = new DataView(data.buffer);
    // Entry 0: the vector's header (6), element version 0 and checksum (6), length (4), then the strings' header.
    const at = content.offsets![0]! + 16;
    expect(view.getUint32(at) & 0x40000000).not.toBe(0);
    view.setUint32(at, view.getUint32(at) - 1);
    const e = decodeError(() => decodeBasket(info.interpretation.interp, { ...content, data }));
    expect(e.message).toMatch(
      /^entry 0: DataHeaderElement_p5::m_token ends at \d+ but its byte count says \d+/,
    );
    expect(e.message).toContain(`at byte ${at} of the decompressed object`);
    expect(e.location?.object).toBe('MetaDataHdr/DataHeader (basket 0)');
  });

  it('an empty interface base with a wrong byte count is located', async () => {
    const { info, content } = await firstBasket(ATLAS, 'MetaData', 'CutBookkeepersAux.');
    const data = content.data.slice();
    const view = new DataView(data.buffer);
    // Entry 0 opens with the AuxContainerBase base's byte count; its first base, SG::IAuxStore, follows
    // after that header (6) and checksum (4).
    const at = content.offsets![0]! + 10;
    expect(view.getUint32(at) & 0x40000000).not.toBe(0);
    view.setUint32(at, view.getUint32(at) + 2);
    const e = decodeError(() => decodeBasket(info.interpretation.interp, { ...content, data }));
    expect(e.message).toMatch(/^entry 0: SG::IAuxStore ends at \d+ but its byte count says \d+/);
    expect(e.location?.object).toBe('MetaData/CutBookkeepersAux. (basket 0)');
  });
});
