import { describe, expect, it } from 'vitest';
import { executePlan } from '../../exec/run-query.js';
import { parseQuery } from '../../query/index.js';
import { HAVE_ADL, loadAdlEvents, loadAdlNativeEvents, readReference } from './adl-events.js';
import { ADL_TASKS } from './adl-tasks.js';

/** Our histogram in the reference's form: bin centre → count, empty bins left out. */
function asReference(
  h: { edges: number[]; counts: number[]; underflow: number; overflow: number },
  lo: number,
  hi: number,
) {
  const w = (hi - lo) / h.counts.length;
  const out = new Map<number, number>();
  const put = (x: number, n: number) => {
    if (n) out.set(Math.round(x * 1e6) / 1e6, n);
  };
  put(lo - w / 2, h.underflow);
  for (let i = 0; i < h.counts.length; i++) put(lo + (i + 0.5) * w, h.counts[i]!);
  put(hi + w / 2, h.overflow);
  return out;
}

describe.skipIf(!HAVE_ADL)('ADL benchmark tasks over the 1000-event sample', () => {
  const flat = HAVE_ADL ? loadAdlEvents() : undefined;
  const nested = HAVE_ADL ? loadAdlNativeEvents() : undefined;
  for (const [layout, table] of [
    ['flat NanoAOD columns', flat],
    ['lists of structs', nested],
  ] as const)
    for (const t of ADL_TASKS) {
      it(`task ${t.name} over ${layout} reproduces the reference histogram`, async () => {
        const plan = parseQuery(`${t.query}.Hist(lambda x: x, bins=100, range=(${t.lo}, ${t.hi}))`);
        const r = await executePlan(plan, table!);
        if (r.kind !== 'histogram') throw new Error('expected a histogram');
        const ref = new Map([...readReference(t.name)].map(([x, n]) => [Math.round(x * 1e6) / 1e6, n]));
        expect(Object.fromEntries(asReference(r.histogram, t.lo, t.hi))).toEqual(Object.fromEntries(ref));
      });
    }
});
