// `npm run bench`: every benchmark in one run, each printing its ratios against a baseline it measures itself
// (bare decompression, hand-written loops, DuckDB, pyhf's recorded times, the CPU path). Sizes come from the
// environment so a quick run stays quick: BENCH_ADL_EVENTS (default 2,000,000), BENCH_AGC_EVENTS (per sample, 100,000), BENCH_READER_EVENTS
// (default 700,000 ≈ 216 MB of baskets), BENCH_ADL_REAL_EVENTS (real Run2012B events, default 200,000; 10,000,000 for the full run), BENCH_ONLY=reader,adl,… to pick.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const here = import.meta.dirname;
const tsx = join(here, '../node_modules/.bin/tsx');
const BENCHES = [
  ['startup', 'node', [join(here, 'startup.mjs')]],
  ['reader', 'node', [join(here, 'run.mjs')]],
  ['reader-large', 'node', [join(here, 'reader-large.mjs')]],
  ['hist-fill', tsx, [join(here, 'hist-fill.ts')]],
  ['small-branches', 'node', [join(here, 'small-branches.mjs')]],
  ['func-adl', tsx, [join(here, 'func-adl-bench.ts'), process.env.BENCH_FUNC_ADL_MEVENTS ?? '10']],
  ['adl', tsx, [join(here, 'adl-scale.ts'), '--events', process.env.BENCH_ADL_EVENTS ?? '2000000']],
  ['adl-real', tsx, [join(here, 'adl-real.ts')]],
  ['stats', tsx, [join(here, 'stats.ts')]],
  ['gpu', tsx, [join(here, 'gpu.ts')]],
  ['sql-adl', tsx, [join(here, 'sql-adl.ts')]],
  ['http-sql', tsx, [join(here, 'http-sql.ts')]],
  ['http-admission', tsx, [join(here, 'http-admission.ts')]],
  ['sql-sandbox', tsx, [join(here, 'sql-sandbox.ts')]],
  ['generate', tsx, [join(here, 'generate.ts')]],
  ['servicex', tsx, [join(here, 'servicex.ts')]],
  ['agc', tsx, [join(here, 'agc.ts'), process.env.BENCH_AGC_EVENTS ?? '100000']],
  ['cluster', tsx, [join(here, 'cluster.ts')]],
];
const only = process.env.BENCH_ONLY?.split(',');
let failed = 0;
for (const [name, cmd, args] of BENCHES) {
  if (only && !only.includes(name)) continue;
  console.log(
    `\n━━ ${name} ━━ ${[cmd, ...args].map((a) => a.replace(`${join(here, '..')}/`, '')).join(' ')}\n`,
  );
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`${name} failed (exit ${r.status})`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
