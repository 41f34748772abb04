/**
 * The package as another project uses it: package.json's `types` names declarations that exist after the build
 * (npm install runs it), a TypeScript consumer type-checks against them (and a wrong use fails), and `require()`
 * gets a working CommonJS entry; the entry count comes from the data's MANIFEST.
 */
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestTrees } from '../../helpers/manifest.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../helpers/shared-data.js';
import { ensureBuilt, REPO } from '../repl/pty.js';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
let dir: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'hepq-consumer-'));
  mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
  symlinkSync(REPO, join(dir, 'node_modules', 'hepq'));
  symlinkSync(join(REPO, 'node_modules', '@types', 'node'), join(dir, 'node_modules', '@types', 'node'));
  writeFileSync(join(dir, 'package.json'), '{"type": "module"}');
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'es2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        noEmit: true,
        types: ['node'],
      },
      files: ['main.ts'],
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Type-check `code` as main.ts of a project that depends on hepq; the compiler's output ('' when clean). */
async function typecheck(code: string): Promise<string> {
  writeFileSync(join(dir, 'main.ts'), code);
  const tsc = join(REPO, 'node_modules', '.bin', 'tsc');
  return run(tsc, ['-p', join(dir, 'tsconfig.json')]).then(
    (r) => r.stdout,
    (e: { stdout: string }) => e.stdout || 'tsc failed',
  );
}

describe('package.json entries', () => {
  it('types, import and require name files the build wrote', () => {
    expect(existsSync(join(REPO, pkg.types))).toBe(true);
    const entry = pkg.exports['.'];
    for (const k of ['types', 'import', 'require']) expect(existsSync(join(REPO, entry[k])), k).toBe(true);
    expect(entry.types).toBe(`./${pkg.types}`);
  });

  it('a TypeScript project type-checks against the declarations, and a wrong use is caught', async () => {
    const good = `import { Session, resultToJson, type QueryResult } from 'hepq';
const s = new Session();
const r: QueryResult = await s.query('Select(lambda e: e.NJet).Count()', { files: ['x.root'] });
console.log(r.kind, resultToJson(r));
await s.close();
`;
    expect(await typecheck(good)).toBe('');
    // a misspelt option and a number where the query text goes: both are type errors, not silent `any`
    const bad = good.replace("{ files: ['x.root'] }", "{ fils: ['x.root'] }");
    expect(await typecheck(bad)).toMatch(/error TS2353|error TS2561/);
    expect(
      await typecheck(good.replace("s.query('Select", "s.query(42 + 'Select").replace('42 + ', '42, ')),
    ).toMatch(/error TS/);
  });

  it.skipIf(!HAVE_ROOT_DATA)('require("hepq") runs a query in a CommonJS script', async () => {
    const file = `${ROOT_DATA}uproot-HZZ.root`;
    const entries = manifestTrees()
      .get('uproot-HZZ.root')
      ?.find((t) => t.path === 'events')?.entries;
    expect(entries).toBe(2421);
    const script = join(dir, 'count.cjs');
    writeFileSync(
      script,
      `const { Session, resultToJson } = require('hepq');
(async () => {
  const s = new Session();
  const r = await s.query('Select(lambda e: e.NJet).Count()', { files: [${JSON.stringify(file)}] });
  console.log(JSON.stringify(resultToJson(r)));
  await s.close();
})();
`,
    );
    const { stdout } = await run(process.execPath, [script], { cwd: dir });
    expect(Number(stdout.trim())).toBe(entries);
  });
});
