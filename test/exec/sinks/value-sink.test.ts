/**
 * The value sink's combine, on partials as morsels leave them: an empty morsel's Min/Max is null (no rows), and
 * must not win over the other morsels' values; Count/Sum add (bigint sums stay bigint); First refuses.
 */
import { describe, expect, it } from 'vitest';
import type { JsValue } from '../../../exec/batch/index.js';
import { type QueryResult, sinkFor } from '../../../exec/index.js';

const v = (value: JsValue): QueryResult => ({ kind: 'value', value });

describe('value sink', () => {
  it('Min/Max skip empty morsels (null) wherever they come, and stay null when every morsel is empty', () => {
    const min = sinkFor('value', 'Min');
    const max = sinkFor('value', 'Max');
    expect(min.combine([v(null), v(5), v(3), v(null)])).toEqual(v(3));
    expect(max.combine([v(null), v(5), v(3)])).toEqual(v(5));
    expect(min.combine([v(null), v(null)])).toEqual(v(null));
  });

  it('Count and Sum add, Any/All combine, and First refuses to combine', () => {
    expect(sinkFor('value', 'Count').combine([v(2), v(0), v(40)])).toEqual(v(42));
    expect(sinkFor('value', 'Sum').combine([v(2n), v(3n)])).toEqual(v(5n));
    expect(sinkFor('value', 'Any').combine([v(false), v(true)])).toEqual(v(true));
    expect(sinkFor('value', 'All').combine([v(true), v(false)])).toEqual(v(false));
    expect(() => sinkFor('value', 'First').combine([v(1), v(2)])).toThrow(
      /First depends on the whole stream/,
    );
  });

  it('a histogram sink refuses a partial of another kind', () => {
    expect(() => sinkFor('histogram').combine([v(1), v(2)])).toThrow(
      /a value partial result in a histogram sink/,
    );
  });
});
