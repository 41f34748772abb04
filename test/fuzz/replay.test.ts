/** Every saved fuzz finding, replayed: each must now end in a result or a located HepqError. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { HAVE_ROOT_DATA } from '../helpers/shared-data.js';
import { closeCases, type Recipe, runCase } from './cases.js';

const DIR = fileURLToPath(new URL('./reproducers/', import.meta.url));
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe.skipIf(!HAVE_ROOT_DATA)('fuzz reproducers', () => {
  afterAll(closeCases);
  it('there are reproducers to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const f of files) {
    const saved = JSON.parse(readFileSync(DIR + f, 'utf8')) as {
      kind: string;
      message: string;
      recipe: Recipe;
    };
    it(`${f}: ${saved.kind}: ${saved.message.slice(0, 80)}`, async () => {
      const outcome = await runCase(saved.recipe);
      expect(
        outcome.status === 'finding' ? `${outcome.kind}: ${outcome.message}\n${outcome.stack}` : 'no finding',
      ).toBe('no finding');
    });
  }
});
