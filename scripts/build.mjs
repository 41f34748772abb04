// Builds dist/ with esbuild: the CLI (code-split so `--help` loads almost nothing), the library entry, and the
// worker-thread entries.
import { build } from 'esbuild';

await build({
  entryPoints: {
    cli: 'src/cli/main.ts',
    index: 'src/index.ts',
    // Worker-thread entries, found beside the chunks that start them (new URL('./x.js', import.meta.url)).
    'query-worker': 'src/parallel/query-worker.ts',
    'stats-worker': 'stats/workers/stats-worker.ts',
    'generate-worker': 'src/output/generate-worker.ts',
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
