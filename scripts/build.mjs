// Builds dist/ with esbuild: the CLI (code-split so `--help` loads almost nothing, and as one CommonJS bundle with
// a V8 code cache for the commands), the library entry (ESM, and a CommonJS bundle for require()), the worker-thread
// entries; then the library's type declarations with tsc.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

// The query grammars as ohm recipes, compiled here once from their sources: the bundle loads a recipe ~10×
// faster than it compiles the grammar text (~0.1 s instead of ~1 s of every command's start).
const scratch = mkdtempSync(join(tmpdir(), 'hepq-build-'));
await build({
  stdin: {
    contents: `import * as ohm from 'ohm-js';
import { FUNC_ADL_GRAMMAR_SOURCE } from './query/func-adl-grammar.ts';
import { QASTLE_GRAMMAR_SOURCE } from './query/parse-qastle.ts';
export const funcAdl = ohm.grammar(FUNC_ADL_GRAMMAR_SOURCE).toRecipe();
export const qastle = ohm.grammar(QASTLE_GRAMMAR_SOURCE).toRecipe();`,
    resolveDir: '.',
    loader: 'ts',
  },
  outfile: join(scratch, 'recipes.mjs'),
  bundle: true, // ohm-js inside: the scratch file lives outside the project's node_modules
  format: 'esm',
  platform: 'node',
  logLevel: 'warning',
});
const recipes = await import(pathToFileURL(join(scratch, 'recipes.mjs')).href);
rmSync(scratch, { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  define: {
    'process.env.HEPQ_FUNC_ADL_RECIPE': JSON.stringify(recipes.funcAdl),
    'process.env.HEPQ_QASTLE_RECIPE': JSON.stringify(recipes.qastle),
  },
  logLevel: 'warning',
};

// The CLI and the worker entries: the pure-JavaScript packages on the hot paths are bundled into the chunks, so a
// command does not resolve, read and (for CommonJS) lexically scan hundreds of package files at start (apache-arrow
// alone is 146 ES modules, @duckdb/node-api 124 CommonJS files that Node scans for their exports). Native addons,
// packages that find files beside themselves (piscina's worker, bullmq's Lua scripts, swagger-ui's assets,
// parquet-wasm's .wasm) and the rarely used heavy ones stay external.
const BUNDLED = new Set([
  'apache-arrow',
  'ohm-js',
  'fast-json-patch',
  'xxhash-wasm',
  '@duckdb/node-api', // 124 CommonJS files around the native @duckdb/node-bindings (which stays external)
  'fastify', // hepq serve / servicex: ~250 CommonJS files with its dependencies (avvio, find-my-way, pino, …)
]);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const cliExternal = Object.keys(pkg.dependencies)
  .filter((d) => !BUNDLED.has(d))
  .flatMap((d) => [d, `${d}/*`]);
await build({
  ...common,
  packages: undefined,
  external: [...cliExternal, 'node-pty'],
  entryPoints: {
    cli: 'server/cli/main.ts',
    // Worker-thread entries, found beside the chunks that start them (new URL('./x.js', import.meta.url)).
    'query-worker': 'server/parallel/query-worker.ts',
    'stats-worker': 'stats/workers/stats-worker.ts',
    'sql-stats-worker': 'server/sql/stats-worker.ts',
    'generate-worker': 'server/output/generate-worker.ts',
  },
  // bundled CommonJS packages (@duckdb/node-api) require() their native addon and Node's built-ins: give the ES-module
  // chunks a require of their own
  banner: {
    js: "import { createRequire as __hepqRequire } from 'node:module'; const require = __hepqRequire(import.meta.url);",
  },
  outdir: 'dist',
  chunkNames: 'cli-[name]-[hash]',
  splitting: true,
  format: 'esm',
});

// The CLI again as one CommonJS file, which bin/hepq.mjs compiles with V8's code cache (Node 20 caches no ES
// modules): import.meta.url becomes the file's URL, so worker entries and packages are found as from dist/cli.js.
await build({
  ...common,
  packages: undefined,
  external: [...cliExternal, 'node-pty'],
  entryPoints: { cli: 'server/cli/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  define: { ...common.define, 'import.meta.url': '__hepqModuleUrl' },
  banner: {
    js: [
      "const __hepqModuleUrl = require('node:url').pathToFileURL(__filename).href;",
      // import() inside a vm.Script needs a callback Node 20 only has behind a flag: the loader passes its own
      "const __hepqImportFn = typeof __hepqImport === 'function' ? __hepqImport : (s) => import(s);",
    ].join('\n'),
  },
});
{
  // the packages the bundle imports dynamically (parquet-wasm, webgpu, vega, resvg) go through that function
  const names = new Set(cliExternal);
  const text = readFileSync('dist/cli.cjs', 'utf8').replace(/\bimport\("([^"]+)"\)/g, (call, name) =>
    names.has(name) ||
    names.has(
      name
        .split('/')
        .slice(0, name.startsWith('@') ? 2 : 1)
        .join('/'),
    )
      ? `__hepqImportFn("${name}")`
      : call,
  );
  writeFileSync('dist/cli.cjs', text);
}
// Its code cache, from a run of the start-up paths in a fresh process; without one the CLI only starts slower.
rmSync('dist/cli.cjs.cache', { force: true });
try {
  execFileSync(process.execPath, ['scripts/code-cache.mjs'], { stdio: ['ignore', 'ignore', 'pipe'] });
} catch (e) {
  console.warn(
    `hepq build: no code cache written (the CLI works, it starts slower): ${e.stderr ?? e.message}`,
  );
}

// The library entry (import 'hepq'): its packages stay external, so an application shares one apache-arrow (and its
// classes) with hepq. Its chunks start the worker entries built above.
await build({
  ...common,
  entryPoints: { index: 'server/index.ts' },
  outdir: 'dist',
  splitting: true,
  format: 'esm',
});

// require('hepq'): one CommonJS file; import.meta.url (worker paths) becomes this file's URL, so the ESM worker
// entries above are found beside it.
await build({
  ...common,
  entryPoints: { index: 'server/index.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  define: { ...common.define, 'import.meta.url': '__hepqModuleUrl' },
  banner: { js: "const __hepqModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});

// package.json's `types`: declarations of server/index.ts and what it exports (TypeScript 7's native tsc, ~2 s).
// Skipped with a note where the dev dependency is absent (an install that never builds from source).
// A type error is reported (npm run typecheck fails on it) but does not stop the build: the JavaScript is whole.
const tsc = 'node_modules/.bin/tsc';
if (existsSync(tsc)) {
  try {
    execFileSync(tsc, ['-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  } catch {
    console.warn('hepq build: tsc reported type errors (above); the declarations were written regardless');
  }
} else
  console.warn(
    'hepq build: no TypeScript compiler in node_modules; dist/types (the declarations) not written',
  );
