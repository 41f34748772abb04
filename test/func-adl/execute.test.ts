import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ConnectorTable } from '../../connectors/api.js';
import { HepqError } from '../../exec/batch/index.js';
import { resultToJson, streamPlan } from '../../exec/index.js';
import { analyzePlan } from '../../planner/analyze/index.js';
import { from, parseQuery } from '../../query/index.js';
import { executePlan } from '../helpers/bound-exec.js';
import { type LogicRecord, readLogicFile, updating, writeLogicFile } from '../helpers/logic-test.js';
import { nestedEvents, smallEvents } from './small-events.js';

const table = smallEvents();
const FILES = [
  { name: 'execute.test', table },
  { name: 'execute-nested.test', table: nestedEvents() },
];

async function run(r: LogicRecord, table: ConnectorTable): Promise<string> {
  try {
    const plan = parseQuery(r.input);
    analyzePlan(plan, table.schema(), { source: r.input });
    const json = resultToJson(await executePlan(plan, table, { source: r.input }));
    const text =
      Array.isArray(json) && json.length
        ? json.map((x) => JSON.stringify(x)).join('\n')
        : JSON.stringify(json);
    return r.kind === 'error' ? `unexpected success:\n${text}` : text;
  } catch (err) {
    if (!(err instanceof HepqError)) throw err;
    return err.render();
  }
}

for (const { name, table: t } of FILES) {
  const file = fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));
  const records = readLogicFile(file);
  describe(`func_adl execution logic tests: ${name}`, () => {
    if (updating()) {
      it('regenerates expectations', async () => {
        const out = [];
        for (const r of records) out.push({ ...r, expected: await run(r, t) });
        writeLogicFile(file, out);
      });
      return;
    }
    for (const r of records) {
      it(`${r.kind}: ${r.title}`, async () => {
        const got = await run(r, t);
        if (r.kind === 'error') expect(got).toMatch(/^error\[/);
        else expect(got).not.toMatch(/^error\[/);
        expect(got).toBe(r.expected);
      });
    }
  });
}

describe('entry points', () => {
  it('streamPlan yields one output batch per input batch with the schema known first', async () => {
    const stream = streamPlan(parseQuery("ds.Select(lambda e: {'met': e.MET_pt, 'n': e.nJet})"), table);
    expect(stream.schema.fields.map((f) => f.name)).toEqual(['met', 'n']);
    const lengths: number[] = [];
    for await (const b of stream) lengths.push(b.length);
    expect(lengths).toEqual([3, 1]);
  });

  it('TypeScript lambdas run with the same semantics as the text', async () => {
    const q = from()
      .Where((e) => e.Jet_pt.Where((j: number) => j > 40).Count() >= 2)
      .Select((e) => e.MET_pt);
    expect(resultToJson(await executePlan(q.plan, table))).toEqual([30]);
  });

  it('stops reading once Take is satisfied', async () => {
    let pulled = 0;
    const counting: ConnectorTable = {
      name: table.name,
      schema: () => table.schema(),
      statistics: () => table.statistics(),
      supportsFilter: (f) => table.supportsFilter(f),
      scan: (o) => {
        const s = table.scan({ ...o, batchSize: 1 });
        return {
          schema: s.schema,
          async *[Symbol.asyncIterator]() {
            for await (const b of s) {
              pulled++;
              yield b;
            }
          },
        };
      },
    };
    await executePlan(parseQuery('ds.Select(lambda e: e.MET_pt).Take(1)'), counting);
    expect(pulled).toBeLessThanOrEqual(2);
  });
});

describe('scan options', () => {
  it('passes simple leading Where comparisons to a connector that accepts them, and still filters', async () => {
    const seen: unknown[] = [];
    const filtering: ConnectorTable = {
      name: table.name,
      schema: () => table.schema(),
      statistics: () => table.statistics(),
      supportsFilter: (f) => (f.column === 'nJet' ? 'inexact' : 'unsupported'),
      scan: (o) => {
        seen.push(o?.filters);
        return table.scan(o);
      },
    };
    const q = parseQuery('ds.Where(lambda e: e.nJet >= 2 and 15 < e.MET_pt).Select(lambda e: e.MET_pt)');
    expect(resultToJson(await executePlan(q, filtering))).toEqual([30]);
    expect(seen).toEqual([[{ column: 'nJet', op: '>=', value: 2 }]]);
  });

  it('stops on an aborted signal', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(
      executePlan(parseQuery('ds.Select(lambda e: e.MET_pt)'), table, { signal: ac.signal }),
    ).rejects.toThrow();
  });
});
