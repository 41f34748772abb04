import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { explain } from '../../planner/ir/index.js';
import { parseQuery } from '../../query/index.js';

/** Docs are code: every ```python query in query/README.md followed by a ```text block is that query's explain(). */
const readme = readFileSync(fileURLToPath(new URL('../../query/README.md', import.meta.url)), 'utf8');
const pairs = [...readme.matchAll(/```python\n([\s\S]*?)```\s*```text\n([\s\S]*?)```/g)];

describe('query/README.md examples', () => {
  it('has examples', () => expect(pairs.length).toBeGreaterThan(0));
  for (const [, query, text] of pairs)
    it(query!.trim(), () => {
      expect(explain(parseQuery(query!.trim()))).toBe(text!.trimEnd());
    });
});
