/**
 * Baskets stored uncompressed are copied into the read's arena and decoded in place there: the source's bytes
 * (a MemorySource keeps them) must stay untouched, and the values must be those of the same tree written with
 * compression (a second path through the reader: every basket of the zlib copy is decompressed).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RootFile } from '../../../connectors/root/index.js';
import { MemorySource } from '../../../connectors/root/io/index.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../helpers/shared-data.js';

async function readEvery(bytes: Uint8Array, name: string) {
  const file = await RootFile.open(new MemorySource(bytes, name));
  const tree = await file.tree('events');
  const out = new Map<string, unknown>();
  for (const b of tree.readable()) out.set(b.name, await tree.readBranch(b.name));
  return out;
}

describe.skipIf(!HAVE_ROOT_DATA)('stored (uncompressed) baskets', () => {
  it('leave the source bytes untouched and read the values of the compressed copy, twice', async () => {
    const bytes = new Uint8Array(readFileSync(join(ROOT_DATA, 'uproot-HZZ-uncompressed.root')));
    const pristine = bytes.slice();
    const zlib = await readEvery(readFileSync(join(ROOT_DATA, 'uproot-HZZ-zlib.root')), 'hzz-zlib.root');
    const first = await readEvery(bytes, 'hzz-none.root');
    const second = await readEvery(bytes, 'hzz-none.root');
    expect(Buffer.compare(bytes, pristine)).toBe(0);
    expect([...first.keys()]).toEqual([...zlib.keys()]);
    expect(first.size).toBeGreaterThan(40);
    for (const [name, col] of zlib) {
      expect(first.get(name), name).toEqual(col);
      expect(second.get(name), name).toEqual(col);
    }
  });
});
