import { describe, expect, it } from 'vitest';
import { explain } from '../../planner/ir/index.js';
import { parseFuncAdl, parseQastle, planToQastle } from '../../query/index.js';
import { executePlan } from '../helpers/bound-exec.js';
import { HAVE_ADL, loadAdlEvents } from './adl-events.js';
import { ADL_TASKS } from './adl-tasks.js';

describe.skipIf(!HAVE_ADL)('the ADL tasks sent as qastle', () => {
  const table = HAVE_ADL ? loadAdlEvents() : undefined;
  for (const t of ADL_TASKS) {
    it(`task ${t.name}: same plan and same histogram as the func_adl text`, async () => {
      const text = `${t.query}.Hist(lambda x: x, bins=100, range=(${t.lo}, ${t.hi}))`;
      const fromText = parseFuncAdl(text);
      const qastle = planToQastle(fromText);
      const fromQastle = parseQastle(qastle);
      expect(explain(fromQastle)).toBe(explain(fromText));
      const [a, b] = await Promise.all([executePlan(fromText, table!), executePlan(fromQastle, table!)]);
      expect(b).toEqual(a);
    });
  }
});
