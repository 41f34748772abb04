import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HepqError } from '../../exec/batch/index.js';
import { explain } from '../../planner/ir/index.js';
import { parseQuery } from '../../query/index.js';
import { type LogicRecord, readLogicFile, updating, writeLogicFile } from '../helpers/logic-test.js';

const file = fileURLToPath(new URL('../../query/testdata/func-adl.test', import.meta.url));
const records = readLogicFile(file);

function run(r: LogicRecord): string {
  try {
    const text = explain(parseQuery(r.input));
    return r.kind === 'error' ? `unexpected success:\n${text}` : text;
  } catch (err) {
    if (!(err instanceof HepqError)) throw err;
    return err.render();
  }
}

describe('func_adl text logic tests', () => {
  if (updating()) {
    it('regenerates expectations', () => {
      writeLogicFile(
        file,
        records.map((r) => ({ ...r, expected: run(r) })),
      );
    });
    return;
  }
  for (const r of records) {
    it(`${r.kind}: ${r.title}`, () => {
      const got = run(r);
      if (r.kind === 'query') expect(got).not.toMatch(/^error\[/);
      else expect(got).toMatch(/^error\[/);
      expect(got).toBe(r.expected);
    });
  }
});
