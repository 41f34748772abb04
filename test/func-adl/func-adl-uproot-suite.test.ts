/**
 * iris-hep/func_adl_uproot's own test suite (v2.2.0) run through hepq's library API, on that suite's ROOT files:
 * every case of `tests/test_executor.py`, `test_dataset.py`, `test_translation.py` and `test_adl_benchmarks.py`,
 * as the Python text the suite uses and as qastle in both spellings, checked against the suite's assertions.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { resultToJson } from '../../exec/index.js';
import { exprToQastle, parseFuncAdlScript, parseQuery, planToQastle } from '../../query/index.js';
import { Session } from '../../server/session.js';
import { ADL_SUITE_CASES } from './func-adl-uproot-adl.js';
import { COMMENTED_OUT_CASES, DATASET_CASES, EXECUTOR_CASES } from './func-adl-uproot-cases.js';
import { at, check, markTuples, npHistogram, type SuiteCase } from './suite-checks.js';

const CONF = fileURLToPath(new URL('../../../shared/conformance-data/func_adl_uproot/', import.meta.url));
const HAVE = existsSync(CONF);
if (!HAVE)
  process.stderr.write(
    '\n*** ../shared/conformance-data/func_adl_uproot is absent: the func_adl_uproot suite is SKIPPED ***\n\n',
  );

/** The suite's files are `tests/<file>`, relative to its checkout; here they are in the shared folder. */
const local = (text: string) => text.replaceAll("'tests/", `'${CONF}`);

/**
 * Where hepq answers differently from the suite, on purpose. `Select` over a collection gives one value per
 * element (func_adl's LINQ meaning, and the suite's own `test_ast_executor_select_vector_branch_number`, which
 * broadcasts a constant); func_adl_uproot's awkward translation does not broadcast a value that ignores the
 * element, so it returns one number per event there. hepq's answer, derived from the file's contents: the
 * events with ints [-1, 2, 3] / floats of length 3 and ints [13] / floats of length 1.
 */
const DEVIATIONS: Record<string, { readonly suite: unknown; readonly hepq: unknown }> = {
  test_ast_executor_elementat_in_cross_join: { suite: [-1, 13], hepq: [[-1, -1, -1], [13]] },
};

describe.skipIf(!HAVE)('func_adl_uproot test suite through hepq', () => {
  const session = new Session({ threads: 1, device: 'cpu' });
  afterAll(() => session.close());
  const run = async (text: string, c: SuiteCase) => {
    const r = await session.query(text, {
      ...(c.files ? { files: c.files.map((f) => f.replace(/^tests\//, CONF)) } : {}),
      ...(c.tree ? { tree: c.tree } : {}),
    });
    return markTuples(resultToJson(r), r.kind === 'rows' && r.shape === 'tuple');
  };

  const spellings = (c: SuiteCase): [string, () => string][] => {
    const text = local(c.query);
    if (c.qastle) return [['as the qastle the suite sends', () => text]];
    return [
      ["as the suite's Python text", () => text],
      // qastle's Python-AST spelling: (call (attr src 'Select') f), (call Count xs), (call EventDataset 'f').
      ['as qastle (Python-AST spelling)', () => exprToQastle(parseFuncAdlScript(text).result!)],
      // The LINQ spelling qastle.insert_linq_nodes gives: (Select src f).
      ['as qastle (LINQ spelling)', () => planToQastle(parseQuery(text))],
    ];
  };

  for (const c of [...EXECUTOR_CASES, ...DATASET_CASES, ...COMMENTED_OUT_CASES])
    for (const [how, text] of spellings(c)) {
      it(`${c.test} ${how}`, async () => {
        const out = await run(text(), c);
        const dev = DEVIATIONS[c.test];
        if (dev) {
          expect(at(out, [])).toEqual(dev.hepq);
          expect(out).not.toEqual(dev.suite);
          return;
        }
        for (const k of c.checks) check(out, k);
      });
    }

  for (const c of ADL_SUITE_CASES) {
    const script = `ds = UprootDataset('${CONF}Run2012B_SingleMu_1000.root', 'Events')\nquery = (${c.query})\n`;
    for (const [how, text] of [
      ['as written in test_adl_benchmarks.py', () => script],
      ['as qastle (LINQ spelling)', () => planToQastle(parseQuery(script))],
    ] as const)
      it(`${c.test} ${how} reproduces the suite's histogram`, async () => {
        const out = resultToJson(await session.query(text())) as unknown[];
        const values = (c.field ? out.map((r) => (r as Record<string, number>)[c.field!]) : out) as number[];
        expect(npHistogram(values, c.counts.length, c.range[0], c.range[1])).toEqual(c.counts);
      });
  }
});
