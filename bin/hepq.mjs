#!/usr/bin/env node
// The `hepq` command: runs the CLI built into dist/ (npm install builds it; `npm run build` rebuilds).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
if (!existsSync(`${dist}cli.js`)) {
  process.stderr.write('hepq: dist/cli.js is missing; run `npm run build` (npm install does it) first.\n');
  process.exit(2);
}
// A closed pipe (`hepq dump … | head`) ends the command quietly, as Unix tools do.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const argv = process.argv.slice(2);
const bin = fileURLToPath(import.meta.url);
// The code-split front of the CLI (a few kB) answers --version and --help, and starts the commands whose stderr
// is filtered in a child; the others run here from the whole bundle, compiled from its code cache.
const front = await import(new URL('../dist/cli.js', import.meta.url).href);
const light =
  ['--version', '-V', '--help', '-h', 'help', undefined].includes(argv[0]) || argv.includes('--help');
const { cli } =
  light || front.wantsFilter(argv) ? { cli: front } : await (await import('./cli-loader.mjs')).loadCli(dist);
process.exitCode = await cli.cliEntry(argv, bin);
