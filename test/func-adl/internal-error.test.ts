/**
 * A JavaScript error inside the generated loop reaches the user as hepq's own bug report with the query
 * attached, never as a raw stack. The crash is made by a function the loop calls (as a broken built-in would).
 */
import { describe, expect, it } from 'vitest';
import { columnFromValues, MemoryTable } from '../../connectors/memory/index.js';
import { type DataType, HepqError } from '../../exec/batch/index.js';
import { parseQuery } from '../../query/index.js';
import { FunctionRegistry } from '../../udfs/api.js';
import { executePlan } from '../helpers/bound-exec.js';

const i32: DataType = { kind: 'primitive', type: 'int32' };
const f64: DataType = { kind: 'primitive', type: 'float64' };

const table = () =>
  new MemoryTable('t', { fields: [{ name: 'v', type: { kind: 'list', item: i32 } }] }, [
    columnFromValues({ kind: 'list', item: i32 }, [[1, 2], [], [3]]),
  ]);

/** A function that fails the way a bug does: reading a property of undefined. */
const functions = new FunctionRegistry().registerScalar({
  name: 'broken',
  arity: [1],
  returns: f64,
  description: 'crashes',
  fn: (x: number) => (undefined as unknown as { y: number[] }).y[x]!,
});

describe('errors inside generated code', () => {
  it('become an internal HepqError saying it is a bug, with the query, and no stack', async () => {
    const text = 'ds.Select(lambda e: e.v.Select(lambda x: broken(x)).Sum())';
    const err = await executePlan(parseQuery(text), table(), { source: text, functions }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HepqError);
    const h = err as HepqError;
    expect(h.kind).toBe('internal');
    expect(h.message).toMatch(/^this is a bug in hepq: the query's generated code failed \(TypeError: /);
    const shown = h.render();
    expect(shown).toContain(`please report it with this input:\n    ${text}`);
    // A stack (lines starting with "at ") is for HEPQ_DEBUG, not for the user.
    expect(shown.split('\n').filter((l) => /^\s+at /.test(l))).toEqual([]);
  });

  it('a user error raised in the loop stays the user error it is', async () => {
    const text = 'ds.Select(lambda e: e.v[5])';
    await expect(executePlan(parseQuery(text), table(), { source: text })).rejects.toMatchObject({
      kind: expect.not.stringMatching(/^internal$/),
      message: expect.stringContaining('out of range'),
    });
  });
});
