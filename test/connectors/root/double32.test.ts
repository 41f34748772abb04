/** Double32_t / Float16_t decoding checked against the values the test file was filled with, within each packing's step. */
import { describe, expect, it } from 'vitest';
import { openRoot } from '../../../connectors/root/index.js';
import { valueAt } from '../../../exec/batch/index.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../helpers/shared-data.js';

// uproot-double32-float16.root was filled with this series; every branch packs it into [-2.71, 10] with N bits.
const FILLED = [-2, -1.5, -1, -0.5, -0.1, 0, 0.1, 0.5, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const LO = -2.71;
const HI = 10;

describe.skipIf(!HAVE_ROOT_DATA)('Double32_t and Float16_t with ranges', () => {
  it('reads each branch within one quantisation step of the filled values', async () => {
    const f = await openRoot(`${ROOT_DATA}uproot-double32-float16.root`);
    const tree = await f.tree('tree');
    expect(tree.entries).toBe(FILLED.length);
    for (const b of tree.branches) {
      const bits = Number(/,(\d+)\]/.exec(b.branch.title)?.[1]);
      const step = (HI - LO) / 2 ** bits;
      const col = await tree.readBranch(b.name);
      FILLED.forEach((want, i) => {
        const v = valueAt(col, i);
        for (const x of Array.isArray(v) ? v : [v]) {
          // Values are truncated onto the grid LO + k*step; Float16 adds float32 rounding.
          expect(Math.abs((x as number) - want), `${b.name}[${i}]`).toBeLessThanOrEqual(
            step + 1e-6 * Math.abs(want),
          );
        }
      });
    }
    await f.close();
  });
});
