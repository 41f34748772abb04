/**
 * Damaged copies of the object-branch and in-TBranch basket layouts give located errors (file, branch and
 * basket, byte offset), never a raw exception or a short column.
 */
import { describe, expect, it } from 'vitest';
import { openRoot } from '../../../connectors/root/index.js';
import { decodeBasket } from '../../../connectors/root/interp/decode.js';
import { type BranchModel, basketRefs } from '../../../connectors/root/model/tree.js';
import { firstBasket as basketOf, decodeError } from '../../helpers/damaged-basket.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../helpers/shared-data.js';

/** The decompressed first basket of a branch of a shared file. */
const firstBasket = (file: string, treePath: string, branch: string) =>
  basketOf(ROOT_DATA + file, treePath, branch);

describe.skipIf(!HAVE_ROOT_DATA)('damaged object layouts', () => {
  it('a map whose length runs past its entry names the file, branch, basket and offset', async () => {
    const { info, ref, content } = await firstBasket(
      'uproot-stl_containers.root',
      'tree',
      'map_int32_vector_int16',
    );
    const data = content.data.slice();
    // Entry 0: byte count + version (6), the member-wise header (6), then the 32-bit number of pairs.
    const at = content.offsets![0]! + 12;
    new DataView(data.buffer).setUint32(at, 0x10000);
    const e = decodeError(() => decodeBasket(info.interpretation.interp, { ...content, data }));
    expect(e.code).toBe('root/corrupt-entry');
    expect(e.message).toMatch(/entry 0: container length 65536 does not fit/);
    expect(e.message).toContain(`at byte ${at} of the decompressed object`);
    expect(e.location).toMatchObject({
      file: expect.stringContaining('uproot-stl_containers.root'),
      object: 'tree/map_int32_vector_int16 (basket 0)',
    });
    expect(e.location!.offset).toBeGreaterThan(ref.seek);
  });

  it('a truncated entry of std::vector<std::vector<std::string>> is located', async () => {
    const { info, content } = await firstBasket('uproot-stl_containers.root', 'tree', 'vector_vector_string');
    const offsets = content.offsets!.slice();
    offsets[5] = offsets[5]! - 3; // the last entry loses its last three bytes
    const e = decodeError(() => decodeBasket(info.interpretation.interp, { ...content, offsets }));
    expect(e.code).toBe('root/corrupt-entry');
    expect(e.message).toMatch(/^entry 4: /);
    expect(e.location?.object).toBe('tree/vector_vector_string (basket 0)');
  });

  it('a TLorentzVector with a wrong byte count is located', async () => {
    const { info, content } = await firstBasket('uproot-HZZ-objects.root', 'events', 'muonp4');
    const data = content.data.slice();
    // Entry 0: vector header (6) and length (4), then the first TLorentzVector's byte count.
    const at = content.offsets![0]! + 10;
    const view = new DataView(data.buffer);
    view.setUint32(at, view.getUint32(at) - 2);
    const e = decodeError(() => decodeBasket(info.interpretation.interp, { ...content, data }));
    expect(e.message).toMatch(/entry 0: TLorentzVector ends at \d+ but its byte count says \d+/);
    expect(e.location?.object).toBe('events/muonp4 (basket 0)');
  });
});

describe('baskets kept inside the TBranch', () => {
  // The layout of uproot-issue60.root's `nll` (scikit-hep-testdata): a tree never flushed, so fWriteBasket is 2,
  // every fBasketSeek is 0 and all three baskets are in the TBranch's fBaskets array.
  const embedded = (index: number, nevbuf: number) => ({
    index,
    keylen: 73,
    nevbuf,
    last: 73 + nevbuf * 8,
    data: new Uint8Array(nevbuf * 8),
  });
  const branch = {
    entries: 11535,
    writeBasket: 2,
    basketEntry: [0, 3990, 7980, 0],
    basketSeek: [0, 0, 0, 0],
    basketBytes: [0, 0, 0, 0],
    embedded: [embedded(0, 3990), embedded(1, 3990), embedded(2, 3555)],
  } as unknown as BranchModel;

  it('are all read, in entry order, when none was written to disk', () => {
    const refs = basketRefs(branch);
    expect(refs.map((r) => [r.firstEntry, r.stopEntry, Boolean(r.embedded)])).toEqual([
      [0, 3990, true],
      [3990, 7980, true],
      [7980, 11535, true],
    ]);
  });

  it('follow the on-disk ones of a flushed tree', () => {
    const flushed = {
      ...branch,
      basketSeek: [1000, 2000, 0, 0],
      basketBytes: [300, 300, 0, 0],
      embedded: [embedded(2, 3555)],
    } as unknown as BranchModel;
    expect(basketRefs(flushed).map((r) => [r.firstEntry, r.stopEntry, r.seek])).toEqual([
      [0, 3990, 1000],
      [3990, 7980, 2000],
      [7980, 11535, 0],
    ]);
  });
});

describe.skipIf(!HAVE_ROOT_DATA)('a basket missing from the TBranch', () => {
  it('is a located error, not a short column', async () => {
    const f = await openRoot(`${ROOT_DATA}uproot-HZZ-zlib.root`);
    const tree = await f.tree('events');
    const info = tree.branches.find((x) => x.branch.writeBasket >= 2)!;
    (info.branch.basketSeek as number[])[1] = 0; // as if the second basket's record were lost
    await expect(tree.readBranch(info.name)).rejects.toMatchObject({
      code: 'root/missing-baskets',
      location: { object: `events/${info.name}` },
    });
    await f.close();
  });
});

describe.skipIf(!HAVE_ROOT_DATA)('leaf-count arrays whose baskets have no entry offsets', () => {
  it('take their offsets from the counter branch (as uproot-small-dy-nooffsets.root needs)', async () => {
    const f = await openRoot(`${ROOT_DATA}uproot-HZZ-zlib.root`);
    const tree = await f.tree('events');
    const want = await tree.readBranch('Jet_Px', { start: 7, stop: 2000 });
    // As written by a writer that leaves the entry offsets out: the reader no longer finds them in the baskets.
    (tree.info('Jet_Px').branch as { entryOffsetLen: number }).entryOffsetLen = 0;
    expect(await tree.readBranch('Jet_Px', { start: 7, stop: 2000 })).toEqual(want);
    const batch = await tree.read(['NJet', 'Jet_Px'], { start: 7, stop: 2000 });
    expect(batch.columns[1]).toEqual(want);
    await f.close();
  });
});
