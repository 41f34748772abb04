/** The core check of the ROOT reader: every supported branch of every shared file agrees with jsroot, entry by entry. */
import { describe, expect, it } from 'vitest';
import { valueAt } from '../exec/batch/index.js';
import { openRoot } from '../server/index.js';
import { openJsrootTree } from './helpers/jsroot-reference.js';
import { HAVE_ROOT_DATA, ROOT_DATA, ttreeFiles } from './helpers/shared-data.js';

/** jsroot gives typed arrays, booleans as numbers, 64-bit integers as numbers or bigints; bring both sides to one form. */
function normalise(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<unknown>, normalise);
  if (Array.isArray(v)) return v.map(normalise);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.every((k, i) => k === String(i)))
      return keys.map((k) => normalise((v as Record<string, unknown>)[k]));
  }
  return v;
}

function sameValue(a: unknown, b: unknown, relTol: number): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) && Number.isNaN(b)) return true;
    if (a === b) return true;
    return Math.abs(a - b) <= relTol * Math.max(Math.abs(a), Math.abs(b));
  }
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i], relTol));
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length &&
      ka.every((k) => sameValue((a as never)[k], (b as never)[k], relTol))
    );
  }
  return a === b;
}

const JSROOT_CANNOT_READ = new Set(['uproot-double32-float16.root']);

describe.skipIf(!HAVE_ROOT_DATA)('ROOT reader agrees with jsroot', () => {
  for (const name of ttreeFiles()) {
    it(name, async () => {
      const file = await openRoot(ROOT_DATA + name);
      let compared = 0;
      let empty = 0;
      const trees = await file.trees();
      try {
        for (const t of trees) {
          const tree = await file.tree(t);
          const ref = await openJsrootTree(ROOT_DATA + name, t);
          expect(tree.entries).toBe(ref.entries);
          const stop = Math.min(tree.entries, 2000);
          if (stop === 0) {
            empty++;
            continue;
          }
          for (const b of tree.readable()) {
            // Leaf lists are records: jsroot returns one leaf at a time, so compare field by field.
            const theirs = await ref.read(b.name, stop);
            if (theirs === undefined) continue;
            const col = await tree.readBranch(b.name, { stop });
            const charArray = /^int8_t\[\d/.test(b.interpretation.rootType);
            const ours = Array.from({ length: stop }, (_, i) => {
              const v = normalise(valueAt(col, i));
              // jsroot reads int8 arrays as C strings, which end at the first NUL.
              return charArray && Array.isArray(v)
                ? v.slice(0, v.indexOf(0) < 0 ? v.length : v.indexOf(0))
                : v;
            });
            // jsroot returns int8 arrays as character strings: compare their signed byte values.
            const want = theirs.map((v) =>
              normalise(
                typeof v === 'string' && charArray
                  ? Array.from(v, (ch) => (ch.charCodeAt(0) << 24) >> 24)
                  : v,
              ),
            );
            const tol =
              b.interpretation.rootType.startsWith('Double32') ||
              b.interpretation.rootType.startsWith('Float16')
                ? 1e-6
                : 0;
            expect(ours.length, `${name}:${t}:${b.name}`).toBe(want.length);
            for (let i = 0; i < stop; i++) {
              if (!sameValue(ours[i], want[i], tol)) {
                expect(ours[i], `${name}:${t}:${b.name} entry ${i}`).toEqual(want[i]);
              }
            }
            compared++;
          }
        }
      } finally {
        await file.close();
      }
      // jsroot cannot read this file's packed Double32_t/Float16_t branches; double32.test.ts checks them by hand.
      if (trees.length > empty && !JSROOT_CANNOT_READ.has(name)) expect(compared).toBeGreaterThan(0);
    });
  }
});
