/**
 * hepq's built-in streamers (ROOT's histogram classes, for files that store histograms without their streamers,
 * as BDSIM's do) against the streamers ROOT wrote into files that carry them, and histograms read with the built-in
 * ones alone against the same histograms read with the file's.
 */
import { describe, expect, it } from 'vitest';
import { Cursor } from '../../../connectors/root/cursor.js';
import { openRoot } from '../../../connectors/root/index.js';
import { readKeyPayload } from '../../../connectors/root/key.js';
import { BUILTIN_STREAMERS } from '../../../connectors/root/streamers/builtin.js';
import { ObjectReader } from '../../../connectors/root/streamers/object-reader.js';
import { type StreamerElement, StreamerRegistry } from '../../../connectors/root/streamers/streamer-info.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../helpers/shared-data.js';

/** What decides how a member is streamed (titles and sizes are documentation). */
const layout = (e: StreamerElement) => ({
  className: e.className,
  name: e.name,
  type: e.type,
  typeName: e.typeName,
  countName: e.countName,
  baseVersion: e.className === 'TStreamerBase' ? e.baseVersion : undefined,
});

describe.skipIf(!HAVE_ROOT_DATA)('built-in streamers', () => {
  it('are the layouts ROOT 6.18 wrote into uproot-issue412.root, class by class and member by member', async () => {
    const f = await openRoot(`${ROOT_DATA}uproot-issue412.root`);
    try {
      const names = BUILTIN_STREAMERS.names().sort();
      expect(names).toEqual(
        ['TAtt3D', 'TAttAxis', 'TAttFill', 'TAttLine', 'TAttMarker', 'TAxis', 'TNamed', 'TObject']
          .concat(['TH1', 'TH1D', 'TH1F', 'TH2', 'TH2D', 'TH2F', 'TH3', 'TH3D', 'TH3F'])
          .sort(),
      );
      for (const name of names) {
        const ours = BUILTIN_STREAMERS.get(name)!;
        const root = f.file.streamers.get(name);
        expect(root, name).toBeDefined();
        expect(ours.classVersion, name).toBe(root!.classVersion);
        expect(ours.elements.map(layout), name).toEqual(root!.elements.map(layout));
      }
    } finally {
      await f.close();
    }
  });

  it('are consulted only for classes the file has no streamer for', async () => {
    const f = await openRoot(`${ROOT_DATA}histograms1d2d.root`);
    try {
      // The file's TH1D is version 2 (hepq's writer), the built-in one version 3.
      expect(f.file.streamers.get('TH1D')!.classVersion).toBe(2);
      expect(f.file.streamers.has('TH3D')).toBe(false);
      expect(f.file.streamers.get('TH3D')!.classVersion).toBe(4);
    } finally {
      await f.close();
    }
  });

  const HISTOGRAMS: Record<string, string[]> = {
    'histograms1d2d.root': ['myTH1F', 'myTH1D', 'myTH2F', 'myTH2D', 'myTH1D_nonuniform'],
    'issue368_pyhf_test_histograms.root': ['h_bkg', 'h_sig'],
  };
  for (const [file, names] of Object.entries(HISTOGRAMS))
    it(`read ${file}'s histograms as its own streamers do`, async () => {
      const f = await openRoot(`${ROOT_DATA}${file}`);
      const builtinOnly = new ObjectReader(new StreamerRegistry(BUILTIN_STREAMERS));
      try {
        for (const name of names) {
          const { key } = await f.file.key(name);
          const payload = await readKeyPayload(f.file.source, key, name);
          const c = new Cursor(payload, { file: file, object: name, base: key.seekKey + key.keylen });
          c.refOffset = key.keylen;
          const ours = builtinOnly.readClass(c, key.className);
          expect(c.pos, name).toBe(payload.length);
          const theirs = await f.file.get(name);
          expect(ours, name).toEqual(theirs);
          expect((ours.fArray as ArrayLike<number>).length, name).toBe(ours.fNcells);
        }
      } finally {
        await f.close();
      }
    });
});
