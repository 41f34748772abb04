import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAVE_DATA } from './reference-cases.js';

/** Docs are code: the TypeScript example of stats/README.md runs as written (with its import made absolute). */
describe.skipIf(!HAVE_DATA)('stats/README.md', () => {
  it('the example runs and its assertion holds', async () => {
    const readme = readFileSync(new URL('../../stats/README.md', import.meta.url), 'utf8');
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const index = new URL('../../stats/index.ts', import.meta.url).pathname;
    const code = block!
      .replace("'./index.js'", JSON.stringify(index))
      .replace('console.assert(', 'if (!(')
      .replace(/\);\s*$/, ')) throw new Error("README example assertion failed");\n');
    const file = join(mkdtempSync(join(tmpdir(), 'hepq-readme-')), 'example.ts');
    writeFileSync(file, code);
    await import(file);
  });
});
