// Builds dist/ with esbuild: the CLI (code-split so `--help` loads almost nothing), the library entry, and the
// worker-thread entries.
import { build } from 'esbuild';

await build({
  entryPoints: {
    cli: 'server/cli/main.ts',
    index: 'server/index.ts',
    // Worker-thread entries, found beside the chunks that start them (new URL('./x.js', import.meta.url)).
    'query-worker': 'server/parallel/query-worker.ts',
    'stats-worker': 'stats/workers/stats-worker.ts',
    'generate-worker': 'server/output/generate-worker.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
