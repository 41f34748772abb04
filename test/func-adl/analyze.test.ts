import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HepqError } from '../../exec/batch/index.js';
import { analyzePlan, typeText } from '../../planner/analyze/index.js';
import { parseQuery } from '../../query/index.js';
import { type LogicRecord, readLogicFile, updating, writeLogicFile } from '../helpers/logic-test.js';
import { NANO_SCHEMA } from './nano-schema.js';

const file = fileURLToPath(new URL('./testdata/analyze.test', import.meta.url));
const records = readLogicFile(file);

function run(r: LogicRecord): string {
  try {
    const a = analyzePlan(parseQuery(r.input), NANO_SCHEMA, { source: r.input });
    const text = `${a.scalar ? 'scalar ' : 'rows '}${typeText(a.rowType)}\ncolumns ${a.columns.join(', ')}`;
    return r.kind === 'error' ? `unexpected success:\n${text}` : text;
  } catch (err) {
    if (!(err instanceof HepqError)) throw err;
    return err.render();
  }
}

describe('analyzer logic tests', () => {
  if (updating()) {
    it('regenerates expectations', () =>
      writeLogicFile(
        file,
        records.map((r) => ({ ...r, expected: run(r) })),
      ));
    return;
  }
  for (const r of records) {
    it(`${r.kind}: ${r.title}`, () => {
      const got = run(r);
      if (r.kind === 'error') expect(got).toMatch(/^error\[/);
      else expect(got).not.toMatch(/^error\[/);
      expect(got).toBe(r.expected);
    });
  }
});
