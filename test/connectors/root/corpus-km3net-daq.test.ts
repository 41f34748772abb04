/**
 * Opt-in (HEPQ_ROOT_CORPUS): KM3NeT's DAQ trees (uproot-issue-76/124/407/408/431/433/434.root: KM3NET_EVENT,
 * KM3NET_TIMESLICE*, KM3NET_SUMMARYSLICE, written by Jpp). What uproot and jsroot cannot read is refused alone,
 * saying why; the rest reads, checked against the KM3NeT DAQ records the values describe (each record's preamble
 * holds its size in bytes and its DAQ data type) and against the raw bytes of the refused branches, counted by
 * hand. jsroot's values for every readable branch are compared by corpus-refs / the tally.
 */
import { describe, expect, it } from 'vitest';
import { openRoot } from '../../../connectors/root/index.js';
import { decodeBasket } from '../../../connectors/root/interp/decode.js';
import { CORPUS_DIR as DIR, HAVE_CORPUS as HAVE, corpusRows as rows } from '../../helpers/corpus.js';
import { decodeError, firstBasket } from '../../helpers/damaged-basket.js';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';

const FILES = [
  'uproot-issue-76.root',
  'uproot-issue124.root',
  'uproot-issue407.root',
  'uproot-issue408.root',
  'uproot-issue431.root',
  'uproot-issue433-splitlevel2.root',
  'uproot-issue433-splitlevel4.root',
  'uproot-issue434.root',
];
const FRAMES =
  'km3net_timeslice_L1/KM3NETDAQ::JDAQTimeslice/vector<KM3NETDAQ::JDAQSuperFrame>/vector<KM3NETDAQ::JDAQSuperFrame>';
type Preamble = { length: number; type: number };

/** The 32-bit count after a std::vector entry's byte count and version, for each entry of the first basket. */
async function vectorCounts(file: string, tree: string, branch: string): Promise<number[]> {
  const { content } = await firstBasket(`${DIR}${file}`, tree, branch);
  const view = new DataView(content.data.buffer, content.data.byteOffset, content.data.byteLength);
  return Array.from({ length: content.entries }, (_, i) => view.getUint32(content.offsets![i]! + 6));
}

describe.skipIf(!HAVE)('scikit-hep-testdata: KM3NeT DAQ trees', () => {
  it('a JDAQPreamble base (TObject-derived, not split) is its length and DAQ type: 8 bytes per entry', async () => {
    // KM3NeT's DAQ data types: 10001 an event, 1001 a timeslice, 2001 a summaryslice.
    const event = (await rows(
      'uproot-issue434.root',
      'KM3NET_EVENT',
      'KM3NET_EVENT/KM3NETDAQ::JDAQPreamble',
    )) as Preamble[];
    expect(event.map((p) => p.type)).toEqual([10001, 10001, 10001]);
    // An event's record: preamble 8, header 40 (chronometer 20, trigger counter 8, mask 8, overlays 4), then
    // each hit vector's count (4) and hits — triggered 18 bytes (module id, pmt, tdc, tot, trigger mask), snapshot
    // 10. The counts come from the (refused) hit branches' own bytes.
    const trig = await vectorCounts('uproot-issue434.root', 'KM3NET_EVENT', 'KM3NET_EVENT/triggeredHits');
    const snap = await vectorCounts('uproot-issue434.root', 'KM3NET_EVENT', 'KM3NET_EVENT/snapshotHits');
    expect(trig[0]).toBe(18); // KM3io.jl's README: this event has 96 snapshot and 18 triggered hits
    expect(snap[0]).toBe(96);
    expect(event.map((p) => p.length)).toEqual(trig.map((n, i) => 56 + 18 * n + 10 * snap[i]!));
    // A summaryslice's record: preamble 8, header 20, the frame count 4, then 55 bytes a frame.
    for (const file of ['uproot-issue434.root', 'uproot-issue433-splitlevel2.root']) {
      const summary = (await rows(
        file,
        'KM3NET_SUMMARYSLICE',
        'KM3NET_SUMMARYSLICE/KM3NETDAQ::JDAQPreamble',
      )) as Preamble[];
      const frames = await vectorCounts(
        file,
        'KM3NET_SUMMARYSLICE',
        'KM3NET_SUMMARYSLICE/vector<KM3NETDAQ::JDAQSummaryFrame>',
      );
      expect(summary.map((p) => p.type)).toEqual(frames.map(() => 2001));
      expect(summary.map((p) => p.length)).toEqual(frames.map((n) => 32 + 55 * n));
    }
    const slice = (await rows(
      'uproot-issue434.root',
      'KM3NET_TIMESLICE',
      'KM3NET_TIMESLICE/KM3NETDAQ::JDAQPreamble',
    )) as Preamble[];
    expect(slice.map((p) => p.type)).toEqual([1001, 1001, 1001]);
  });

  it('uproot-issue407’s unsplit L1 timeslice preambles are jsroot’s split ones of the same data (uproot-issue434)', async () => {
    const branch = 'km3net_timeslice_L1/KM3NETDAQ::JDAQTimeslice/KM3NETDAQ::JDAQPreamble';
    const t407 = await openRoot(`${DIR}uproot-issue407.root`);
    try {
      // Not split further in 407: the base's entries; split into length/type/TObject in 434.
      expect((await t407.tree('KM3NET_TIMESLICE_L1')).info(branch).branch.branches).toHaveLength(0);
    } finally {
      await t407.close();
    }
    const ours = (await rows('uproot-issue407.root', 'KM3NET_TIMESLICE_L1', branch)) as Preamble[];
    const ref = await openJsrootTree(`${DIR}uproot-issue434.root`, 'KM3NET_TIMESLICE_L1');
    const theirs = (await ref.read(branch)) as Preamble[];
    expect(theirs).toHaveLength(3);
    expect(ours).toEqual(theirs.map((p) => ({ length: p.length, type: p.type })));
  });

  it('a TObject-derived base whose first base leads to TObject keeps its header: refused, not read bare', async () => {
    // nEXO's HeaderObject (uproot-issue475.root): byte count, version, EventObject's header and TObject, then
    // m_EventID and m_RunID — 32 bytes an entry, not the 8 its two ints would be.
    const f = await openRoot(`${DIR}uproot-issue475.root`);
    try {
      const it = (await f.tree('Event/Sim/SimHeader')).info('SimHeader/nEXO::HeaderObject').interpretation;
      expect(it.type).toBeUndefined();
      expect(it.interp.kind === 'unsupported' && it.interp.reason).toContain(
        'a base class deriving from TObject through its first base, not split further',
      );
    } finally {
      await f.close();
    }
  });

  it('a damaged JDAQPreamble entry is a located error', async () => {
    const { info, content } = await firstBasket(
      `${DIR}uproot-issue434.root`,
      'KM3NET_EVENT',
      'KM3NET_EVENT/KM3NETDAQ::JDAQPreamble',
    );
    const offsets = content.offsets!.slice();
    offsets[1] = offsets[1]! + 2; // entry 0 two bytes longer than its members
    const e = decodeError(() => decodeBasket(info.interpretation.interp, { ...content, offsets }));
    expect(e.message).toMatch(/^entry 0: KM3NETDAQ::JDAQPreamble ends at 8, 2 bytes before the entry's end/);
    expect(e.location?.file).toContain('uproot-issue434.root');
    expect(e.location?.object).toBe('KM3NET_EVENT/KM3NET_EVENT/KM3NETDAQ::JDAQPreamble (basket 0)');
    expect(e.location?.offset).toBeTypeOf('number');
  });

  it('superframes: each frame’s record length is 56 + 6 bytes a hit, the timeslice’s the sum of its frames + 32', async () => {
    const hits = (await rows(
      'uproot-issue434.root',
      'KM3NET_TIMESLICE_L1',
      `${FRAMES}.numberOfHits`,
    )) as number[][];
    const lengths = (await rows(
      'uproot-issue434.root',
      'KM3NET_TIMESLICE_L1',
      `${FRAMES}.length`,
    )) as number[][];
    const ids = (await rows('uproot-issue434.root', 'KM3NET_TIMESLICE_L1', `${FRAMES}.id`)) as number[][];
    const slices = (await rows(
      'uproot-issue434.root',
      'KM3NET_TIMESLICE_L1',
      'km3net_timeslice_L1/KM3NETDAQ::JDAQTimeslice/KM3NETDAQ::JDAQPreamble',
    )) as Preamble[];
    expect(hits).toHaveLength(3);
    hits.forEach((frame, i) => {
      expect(frame.length).toBeGreaterThan(0);
      expect(lengths[i]).toEqual(frame.map((n) => 56 + 6 * n));
      expect(slices[i]!.length).toBe(32 + lengths[i]!.reduce((a, b) => a + b, 0));
      expect(new Set(ids[i]).size).toBe(ids[i]!.length); // one frame per optical module
    });
    // The (refused) hit buffer holds 6 bytes a hit after its entry's byte count and version.
    const { content } = await firstBasket(
      `${DIR}uproot-issue434.root`,
      'KM3NET_TIMESLICE_L1',
      `${FRAMES}.buffer`,
    );
    const total = hits[0]!.reduce((a, b) => a + b, 0);
    expect(content.offsets![1]! - content.offsets![0]!).toBe(6 + 6 * total);
  });

  it('what neither uproot nor jsroot reads is refused alone, saying why; every other branch reads', async () => {
    for (const file of FILES) {
      const f = await openRoot(`${DIR}${file}`);
      try {
        for (const name of await f.trees()) {
          const tree = await f.tree(name);
          for (const b of tree.branches) {
            const it = b.interpretation;
            const reason = it.interp.kind === 'unsupported' ? it.interp.reason : '';
            if (it.rootType === 'KM3NETDAQ::JDAQHit*')
              expect(reason).toContain(
                "KM3NETDAQ::JDAQHit* buffer //[numberOfHits] (a TStreamerLoop: a counted array of objects): the file's streamer for KM3NETDAQ::JDAQHit (version 1) has no members",
              );
            if (/JDAQ(Triggered|Snapshot|Key)Hit>$/.test(it.rootType))
              expect(reason).toMatch(/no streamer for/);
            // A split record names the member that keeps it from being read.
            if (it.interp.kind === 'unsupported' && b.branch.branches.length > 0 && !it.interp.noData)
              expect(reason).toMatch(
                /\(a split object: (member .+ cannot be read yet|no members that can be read)\)$/,
              );
            if (
              /JDAQPreamble$/.test(b.name) &&
              b.branch.branches.length === 0 &&
              !/\.KM3NETDAQ::/.test(b.name)
            )
              expect(it.type, `${file}:${b.name}`).toBeDefined();
          }
          // The whole tree reads, leaving the refused branches out.
          if (tree.entries > 0) {
            const batch = await f.read(name, { stop: 1 });
            expect(batch.length).toBe(1);
          }
        }
      } finally {
        await f.close();
      }
    }
  });
});
