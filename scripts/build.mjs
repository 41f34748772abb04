// Builds dist/ with esbuild: the CLI (code-split so `--help` loads almost nothing), the library entry (ESM, and a
// CommonJS bundle for require()), the worker-thread entries; then the library's type declarations with tsc.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: {
    cli: 'server/cli/main.ts',
    index: 'server/index.ts',
    // Worker-thread entries, found beside the chunks that start them (new URL('./x.js', import.meta.url)).
    'query-worker': 'server/parallel/query-worker.ts',
    'stats-worker': 'stats/workers/stats-worker.ts',
    'generate-worker': 'server/output/generate-worker.ts',
  },
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
  define: { 'import.meta.url': '__hepqModuleUrl' },
  banner: { js: "const __hepqModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});

// package.json's `types`: declarations of server/index.ts and what it exports (TypeScript 7's native tsc, ~2 s).
// Skipped with a note where the dev dependency is absent (an install that never builds from source).
const tsc = 'node_modules/.bin/tsc';
// A type error is reported (npm run typecheck fails on it) but does not stop the build: the JavaScript is whole.
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
