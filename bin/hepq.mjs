#!/usr/bin/env node
// The `hepq` command: runs the CLI built into dist/ (npm install builds it; `npm run build` rebuilds).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('hepq: dist/cli.js is missing; run `npm run build` (npm install does it) first.\n');
  process.exit(2);
}
// A closed pipe (`hepq dump … | head`) ends the command quietly, as Unix tools do.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const { cliEntry } = await import(cli);
process.exitCode = await cliEntry(process.argv.slice(2), fileURLToPath(import.meta.url));
