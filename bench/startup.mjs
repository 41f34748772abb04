// Start-up of the `hepq` command against `node -e 0`, measured in the same run and interleaved (node, hepq,
// node, hepq, …) so a busy machine slows both alike: the median time each command adds over bare node.
// BENCH_STARTUP_REPS (default 7).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const hepq = join(here, '../bin/hepq.mjs');
const sample = join(here, '../../shared/conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root');
const reps = Number(process.env.BENCH_STARTUP_REPS ?? 7);
const COMMANDS = [
  ['hepq --version', ['--version']],
  ['hepq query (1000 events)', ['query', 'Select(lambda e: e.nMuon).Count()', sample]],
  ['hepq sql "SELECT 1"', ['sql', 'SELECT 1']],
];

function wall(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (!existsSync(sample)) console.log(`(the 1000-event sample is absent: ${sample}; its row is skipped)`);
console.log(`command                      node -e 0   command   added (median of ${reps}, interleaved; ms)`);
for (const [name, args] of COMMANDS) {
  if (args[0] === 'query' && !existsSync(sample)) continue;
  const base = [];
  const cmd = [];
  for (let i = 0; i < reps; i++) {
    base.push(wall(['-e', '0']));
    cmd.push(wall([hepq, ...args]));
  }
  const b = median(base);
  const c = median(cmd);
  const spread = `${Math.min(...cmd).toFixed(0)}–${Math.max(...cmd).toFixed(0)}`;
  console.log(
    `${name.padEnd(28)} ${b.toFixed(0).padStart(8)} ${c.toFixed(0).padStart(9)} ${(c - b).toFixed(0).padStart(8)}   (command ${spread})`,
  );
}
