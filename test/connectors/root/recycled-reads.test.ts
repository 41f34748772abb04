/**
 * The file source reuses the buffers of compressed baskets once they are decompressed. Columns already handed
 * out must never change when later reads reuse that memory: read every numeric branch of compressed and
 * uncompressed shared files, copy the values, read other entry ranges and branches many times, and check the
 * first columns still hold exactly the copied values. (That reuse happens is checked in connectors/root/io.)
 */
import { describe, expect, it } from 'vitest';
import { openRoot } from '../../../connectors/root/index.js';
import { type Column, valueAt } from '../../../exec/batch/index.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../helpers/shared-data.js';

const rows = (c: Column, n: number) =>
  JSON.stringify(
    Array.from({ length: n }, (_, i) => valueAt(c, i)),
    (_k, v) => (typeof v === 'bigint' ? String(v) : v),
  );
const FILES = ['uproot-HZZ-zlib.root', 'uproot-HZZ-uncompressed.root', 'NanoAODv5_sample.root'];

describe.skipIf(!HAVE_ROOT_DATA)('recycled read buffers', () => {
  it.each(FILES)('never alter columns already returned (%s)', async (file) => {
    const h = await openRoot(`${ROOT_DATA}${file}`);
    const tree = await h.tree(file.startsWith('Nano') ? 'Events' : 'events');
    const names = tree
      .readable()
      .filter((b) => b.interpretation.type?.kind !== 'utf8')
      .map((b) => b.name)
      .slice(0, 400);
    const first = await tree.read(names);
    const copied = first.columns.map((c) => rows(c, first.length));
    const requestsBefore = h.file.source.stats.requests;
    for (let k = 0; k < 3; k++) {
      const half = Math.floor(tree.entries / 2);
      await tree.read(names, { start: k, stop: half + k });
      await tree.read([...names].reverse(), { start: half - k, stop: tree.entries });
      for (const n of names.slice(0, 50)) await tree.readBranch(n);
    }
    expect(h.file.source.stats.requests).toBeGreaterThan(requestsBefore); // the later reads hit the file
    for (const [i, c] of first.columns.entries())
      expect(rows(c, first.length), `${file} ${names[i]}`).toBe(copied[i]);
    await h.close();
  });
});

describe.skipIf(!HAVE_ROOT_DATA)('reads fetched in groups', () => {
  it('give what branch-by-branch reads give, however small the groups (NanoAODv5_sample)', async () => {
    const h = await openRoot(`${ROOT_DATA}NanoAODv5_sample.root`);
    const tree = await h.tree('Events');
    const names = tree
      .readable()
      .map((b) => b.name)
      .filter((n) => /^(n?(Jet|Muon|Electron)|MET_|run|event)/.test(n));
    expect(names.length).toBeGreaterThan(40);
    tree.fetchGroupBytes = 4096; // about one basket per group: many groups, each read while the last decodes
    // The whole range (leaf-count arrays take their offsets from counters fetched in the first group) and a
    // part of it (baskets cut at both ends).
    for (const range of [{}, { start: 100, stop: 900 }]) {
      const grouped = await tree.read(names, range);
      for (const [i, n] of names.entries())
        expect(rows(grouped.columns[i]!, grouped.length), n).toBe(
          rows(await tree.readBranch(n, range), grouped.length),
        );
    }
    await h.close();
  });
});
