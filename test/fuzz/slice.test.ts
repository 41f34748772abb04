/**
 * The CI slice of the fuzz harness: a few hundred seeded mutants per target, run in this process; any exception
 * other than a located HepqError, a stack overflow, or a silent NaN CLs fails it (the full runs: `npm run fuzz`).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { HAVE_ROOT_DATA } from '../helpers/shared-data.js';
import { closeCases, makeCase, type Outcome, runCase, TARGETS, type Target } from './cases.js';

/** Cases per target: enough to cover every corpus file a few times, small enough for a busy 2-core machine. */
const SLICE: Record<Target, number> = { root: 300, rntuple: 300, parquet: 150, query: 300, workspace: 120 };
const SEED = 20261206;

describe.skipIf(!HAVE_ROOT_DATA)('fuzz slice', () => {
  afterAll(closeCases);
  for (const target of TARGETS)
    it(`${target}: ${SLICE[target]} mutants end in a result or a located error`, async () => {
      const findings: string[] = [];
      const tally = { ok: 0, error: 0 };
      for (let i = 0; i < SLICE[target]; i++) {
        const recipe = await makeCase(target, SEED, i);
        const o: Outcome = await runCase(recipe);
        if (o.status === 'finding')
          findings.push(`case ${i}: ${o.kind}: ${o.message}\n${JSON.stringify(recipe).slice(0, 400)}`);
        else tally[o.status]++;
      }
      expect(findings).toEqual([]);
      // the mutants must exercise the error paths and the good paths both, or the slice proves nothing
      expect(tally.error).toBeGreaterThan(0);
      expect(tally.ok).toBeGreaterThan(0);
    }, 600_000);
});
