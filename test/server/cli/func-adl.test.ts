/**
 * `hepq query` with func_adl_uproot's queries: qastle in the Python-AST spelling, the function-call form, a bare
 * dataset, and the mistakes a physicist types (a bare word, `&&`), on that suite's ROOT files.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { SHARED } from '../../helpers/shared-data.js';

const C = `${SHARED}conformance-data/func_adl_uproot/`;
const lines = (out: string) =>
  out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);
const noStack = (err: string) => expect(err.split('\n').filter((l) => /^\s+at /.test(l))).toEqual([]);

describe.skipIf(!existsSync(C))('hepq query as func_adl_uproot writes queries', () => {
  it('qastle (call (attr xs Concat) ys): ints then floats, floats kept (test_ast_executor_concat)', async () => {
    const q = `(Select (call EventDataset '${C}vectors_tree_file.root' 'tree') (lambda (list row) (call (attr (attr row 'int_vector_branch') 'Concat') (attr row 'float_vector_branch'))))`;
    const r = await runCli('query', q);
    expect(r.code).toBe(0);
    const want = [[], [-1, 2, 3, -7.7, 8.8, 9.9], [13, 15.15]];
    const got = lines(r.out) as number[][];
    expect(got.map((x) => x.length)).toEqual(want.map((x) => x.length));
    got.forEach((row, i) => {
      row.forEach((x, j) => {
        expect(Math.abs(x - want[i]![j]!)).toBeLessThan(1e-6);
      });
    });
  });

  it('the function-call form with Contains (test_ast_executor_contains_vector_branch)', async () => {
    const q = `Select(EventDataset('${C}vectors_tree_file.root', 'tree'), lambda row: row.int_vector_branch.Contains(2))`;
    const r = await runCli('query', q);
    expect(r.code).toBe(0);
    expect(lines(r.out)).toEqual([false, true, false]);
  });

  it('a bare EventDataset prints every branch of each event (test_ast_executor)', async () => {
    const r = await runCli('query', `EventDataset('${C}scalars_tree_file.root')`);
    expect(r.code).toBe(0);
    for (const row of lines(r.out))
      expect(Object.keys(row as object)).toEqual([
        'int_branch',
        'long_branch',
        'float_branch',
        'double_branch',
        'bool_branch',
      ]);
  });

  it('a bare word is not a dataset, && gets "use and": located errors, no stack', async () => {
    const bare = await runCli('query', 'exit', `${C}scalars_tree_file.root`);
    expect(bare.code).not.toBe(0);
    expect(bare.err).toContain('error[query/invalid]: exit is not a query');
    noStack(bare.err);
    const amp = await runCli(
      'query',
      'ds.Where(lambda e: e.int_branch < 0 && e.bool_branch)',
      `${C}scalars_tree_file.root`,
    );
    expect(amp.code).not.toBe(0);
    expect(amp.err).toContain('hint: && is not a func_adl operator: use and');
    expect(amp.err).toMatch(/\n\s+\^\^\n/);
    noStack(amp.err);
  });
});
