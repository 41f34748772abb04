// Loads the CLI bundle (dist/cli.cjs) compiled with V8's code cache (dist/cli.cjs.cache, written by `npm run build`):
// Node 20 has no compile cache for modules, but a vm.Script takes V8's cached data, which skips parsing and
// compiling the functions a command runs (~1/3 of a small query's start). A cache from another Node/V8 is
// rejected by V8 and the source compiles as usual; a missing bundle falls back to the ES-module CLI (dist/cli.js).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';

/**
 * The CLI's exports ({ cliEntry, main }) from the bundle, and the compiled script (the build writes its cache from
 * it); without the bundle (or with HEPQ_NO_CODE_CACHE=esm) the code-split ES-module CLI.
 */
export async function loadCli(dist) {
  const file = join(dist, 'cli.cjs');
  if (!existsSync(file) || process.env.HEPQ_NO_CODE_CACHE === 'esm')
    return { cli: await import(pathToFileURL(join(dist, 'cli.js')).href) };
  let cachedData;
  if (process.env.HEPQ_NO_CODE_CACHE !== '1') {
    try {
      cachedData = readFileSync(`${file}.cache`);
    } catch {}
  }
  // CommonJS's wrapper, plus the bundle's import() of packages (parquet-wasm, webgpu, …): a vm.Script cannot import
  // without a flag in Node 20, this module can (and resolves from beside dist/)
  const wrapped = `(function (exports, require, module, __filename, __dirname, __hepqImport) {${readFileSync(file, 'utf8')}\n})`;
  const script = new vm.Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} };
  const importPackage = (specifier) => import(specifier);
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file), importPackage);
  return { cli: module.exports, script };
}
