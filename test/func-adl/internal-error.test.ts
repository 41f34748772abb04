/**
 * A JavaScript error inside the generated loop reaches the user as hepq's own bug report with the query
 * attached, never as a raw stack. The crash is made by a function the loop calls (as a broken built-in would).
 */
import { describe, expect, it } from 'vitest';
import { columnFromValues, MemoryTable } from '../../connectors/memory/index.js';
import { type DataType, HepqError, INTERNAL, internalError } from '../../exec/batch/index.js';
import { executePlan } from '../../exec/index.js';
import { parseQuery } from '../../query/index.js';
import { FunctionRegistry } from '../../udfs/api.js';

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
    expect(h.code).toBe(INTERNAL);
    expect(h.message).toMatch(/^this is a bug in hepq's generated code: TypeError: /);
    const shown = h.render();
    expect(shown).toContain(`    ${text}`);
    expect(shown).toMatch(/hint: please report it with the query/);
    // One line naming the frame is fine; a stack (lines starting with "at ") is not.
    expect(shown.split('\n').filter((l) => /^\s+at /.test(l))).toEqual([]);
  });

  it('keep HepqErrors as they are (a user error is not a bug)', () => {
    const user = new HepqError('exec', 'First() of an empty collection');
    expect(internalError(user, 'generated code')).toBe(user);
    const bug = internalError(new RangeError('boom'), 'query compiler', 'ds.Count()');
    expect(bug.code).toBe(INTERNAL);
    expect(bug.render()).toContain(
      "error[internal]: this is a bug in hepq's query compiler: RangeError: boom",
    );
    expect(bug.render()).toContain('    ds.Count()');
  });
});
