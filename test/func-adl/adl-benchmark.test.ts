import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../query/index.js';
import { executePlan } from '../helpers/bound-exec.js';
import { asReference, HAVE_ADL, loadAdlEvents, loadAdlNativeEvents, referenceRecord } from './adl-events.js';
import { ADL_TASKS } from './adl-tasks.js';

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
        const ref = referenceRecord(t.name);
        expect(asReference(r.histogram, t.lo, t.hi)).toEqual(ref);
      });
    }
});
