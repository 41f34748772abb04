// adl-scale's "ROOT-zstd 1t" column for two checkouts in one process: the 8 ADL tasks through each checkout's
// Session over the same generated ROOT file, interleaved A,B,A,B, with the per-round ratio; the two `explain`
// texts must agree. Generate the file first (npx tsx bench/adl-scale.ts --events N --engines zstd1).
//   npx tsx bench/adl-scale-ab.ts <baseline checkout> [--events 200000] [--rounds 5] [--tasks q1,q2]
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Session } from '../server/session.js';
import { ADL_TASKS } from '../test/func-adl/adl-tasks.js';
import { fmtRatio, interleaved, ratio } from './timing.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    events: { type: 'string', default: '200000' },
    rounds: { type: 'string', default: '5' },
    tasks: { type: 'string' },
  },
});
const file = join(import.meta.dirname, 'out', `adl-${values.events}`, 'adl-zstd.root');
const base = (await import(join(positionals[0] ?? '', 'server/session.ts'))) as { Session: typeof Session };
const a = new base.Session({ threads: 1, device: 'cpu' });
const b = new Session({ threads: 1, device: 'cpu' });
console.log(`${file}, one thread, ${values.rounds} interleaved rounds\n`);
for (const t of ADL_TASKS.filter((x) => !values.tasks || values.tasks.split(',').includes(x.name))) {
  const q = `${t.query}.Hist(lambda x: x, bins=100, range=(${t.lo}, ${t.hi}))`;
  if ((await a.explain(q, { files: [file] })) !== (await b.explain(q, { files: [file] })))
    throw new Error(`${t.name}: the two checkouts plan it differently`);
  const r = await interleaved(
    { base: () => a.query(q, { files: [file] }), this: () => b.query(q, { files: [file] }) },
    Number(values.rounds),
  );
  console.log(
    `${t.name.padEnd(6)} base ${r.base.median.toFixed(0).padStart(5)} ms   this ${r.this.median.toFixed(0).padStart(5)} ms   base/this ${fmtRatio(ratio(r, 'base', 'this'))}`,
  );
}
process.exit(0);
