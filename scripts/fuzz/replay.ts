/** `npx tsx scripts/fuzz/replay.ts REPRODUCER.json…`: rerun saved fuzz cases in this process and print each outcome with its stack. */
import { readFileSync } from 'node:fs';
import { closeCases, runCase } from '../../test/fuzz/cases.js';

for (const file of process.argv.slice(2)) {
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  const outcome = await runCase(saved.recipe);
  process.stdout.write(`${file}: ${outcome.status}\n`);
  if (outcome.status === 'error') process.stdout.write(`  ${outcome.code}\n`);
  if (outcome.status === 'finding')
    process.stdout.write(`  ${outcome.kind}: ${outcome.message}\n${outcome.stack ?? ''}\n`);
}
await closeCases();
