/**
 * Every func_adl execution logic test (test/func-adl/testdata: queries with their expected rows, and error
 * cases with their rendered caret) gives exactly its expected text when the plan is optimized first.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ConnectorTable } from '../../connectors/api.js';
import { HepqError } from '../../exec/batch/index.js';
import { resultToJson } from '../../exec/index.js';
import { analyzePlan } from '../../planner/analyze/index.js';
import { DEFAULT_RATES } from '../../planner/cost/index.js';
import { optimize } from '../../planner/optimizer.js';
import { parseQuery } from '../../query/index.js';
import { nestedEvents, smallEvents } from '../func-adl/small-events.js';
import { executePlan } from '../helpers/bound-exec.js';
import { readLogicFile } from '../helpers/logic-test.js';

async function runOptimized(text: string, table: ConnectorTable): Promise<string> {
  try {
    const plan = parseQuery(text);
    analyzePlan(plan, table.schema(), { source: text });
    const o = optimize(plan, {
      schema: table.schema(),
      statistics: table.statistics(),
      rates: DEFAULT_RATES,
    });
    for (const t of o.trace) if (t.detail.startsWith('refused')) throw new Error(`${t.rule}: ${t.detail}`);
    const json = resultToJson(await executePlan(o.plan, table, { source: text }));
    return Array.isArray(json) && json.length
      ? json.map((x) => JSON.stringify(x)).join('\n')
      : JSON.stringify(json);
  } catch (err) {
    if (!(err instanceof HepqError)) throw err;
    return err.render();
  }
}

for (const [name, table] of [
  ['execute.test', smallEvents()],
  ['execute-nested.test', nestedEvents()],
] as const) {
  const file = fileURLToPath(new URL(`../func-adl/testdata/${name}`, import.meta.url));
  describe(`optimized plans pass the logic tests of ${name}`, () => {
    for (const r of readLogicFile(file))
      it(`${r.kind}: ${r.title}`, async () => {
        expect(await runOptimized(r.input, table)).toBe(r.expected);
      });
  });
}
