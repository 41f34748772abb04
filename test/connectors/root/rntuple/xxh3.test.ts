/**
 * XXH3-64 against the checksums ROOT stored after every page of the shared RNTuple files (all input-length
 * classes of the algorithm occur among them), and the algorithm's known value for empty input.
 */
import { describe, expect, it } from 'vitest';
import { openRoot } from '../../../../connectors/root/index.js';
import { RNTuple, rntuplePaths } from '../../../../connectors/root/rntuple/index.js';
import { xxh3 } from '../../../../connectors/root/rntuple/xxh3.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../../helpers/shared-data.js';
import { rntupleFiles } from './reference.js';

const lengthClass = (n: number) =>
  n <= 3 ? '1-3' : n <= 8 ? '4-8' : n <= 16 ? '9-16' : n <= 128 ? '17-128' : n <= 240 ? '129-240' : '>240';

describe('XXH3-64', () => {
  it('of empty input is the published constant', () => {
    expect(xxh3(new Uint8Array(0))).toBe(0x2d06800538d394c2n);
  });

  it.skipIf(!HAVE_ROOT_DATA)(
    'equals the checksum ROOT stored after every page of every RNTuple file',
    async () => {
      const classes = new Set<string>();
      let pages = 0;
      for (const file of rntupleFiles()) {
        const h = await openRoot(ROOT_DATA + file);
        try {
          for (const path of await rntuplePaths(h)) {
            const nt = await RNTuple.open(h.file, path);
            for (const c of nt.clusters)
              for (const col of c.columns)
                for (const p of col?.pages ?? []) {
                  if (!p.checksum) continue;
                  const bytes = await h.file.source.read(p.locator.offset, p.locator.size + 8);
                  const stored = new DataView(
                    bytes.buffer,
                    bytes.byteOffset + p.locator.size,
                    8,
                  ).getBigUint64(0, true);
                  expect(xxh3(bytes.subarray(0, p.locator.size)), `${file} page at ${p.locator.offset}`).toBe(
                    stored,
                  );
                  classes.add(lengthClass(p.locator.size));
                  pages++;
                }
          }
        } finally {
          await h.close();
        }
      }
      expect(pages).toBeGreaterThan(1000);
      expect([...classes].sort()).toEqual(['1-3', '129-240', '17-128', '4-8', '9-16', '>240'].sort());
    },
  );
});
