// The AGC single pass (all 130 histograms, one pass per file over the 5 generated samples) in two checkouts of
// hepq, interleaved A, B, A, B, … in fresh processes, so a busy neighbour slows both alike: per checkout the CPU
// seconds of one pass (user + system of its process, after one warm-up pass in the same process), and the
// per-round ratio A/B with its range. The samples are generated once into a shared folder.
// usage: node bench/agc-ab.mjs DIR_A DIR_B [events per sample, default 100000] [rounds, default 5]
// (a checkout of an older commit: `git archive COMMIT | tar -x -C DIR`, plus a node_modules link)
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { median } from './timing.mjs';

const [a, b] = [resolve(process.argv[2] ?? '.'), resolve(process.argv[3] ?? '.')];
const events = Number(process.argv[4] ?? 100_000);
const rounds = Number(process.argv[5] ?? 5);
const samples = join(import.meta.dirname, 'out', 'agc-ab');
mkdirSync(samples, { recursive: true });

// One pass in checkout `dir`: the same public API in both (Session, loadFileset, the AGC query and samples).
const script = `
import { loadFileset } from './connectors/index.js';
import { AGC_QUERY } from './server/agc/agc-query.js';
import { writeAgcSamples } from './server/agc/agc-samples.js';
import { Session } from './server/index.js';
const written = await writeAgcSamples({ dir: ${JSON.stringify(samples)}, events: ${events}, seed: 1 });
const fileset = loadFileset(written.path);
const session = new Session({ threads: 1 });
const pass = () => session.queryFileset(AGC_QUERY, fileset, { params: { lumi: 3378, seed: 1 } });
await pass();
const c0 = process.cpuUsage();
const r = await pass();
const c = process.cpuUsage(c0);
await session.close();
const sum = r.histograms.histograms.reduce((s, h) => s + h.counts.reduce((x, y) => x + y, 0), 0);
console.log(JSON.stringify({ cpu: (c.user + c.system) / 1e6, histograms: r.histograms.histograms.length, sum }));
`;
const run = (dir) =>
  JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: dir,
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .at(-1),
  );

run(a); // generates the samples if needed
const ts = { a: [], b: [] };
let sums;
for (let i = 0; i < rounds; i++) {
  const ra = run(a);
  const rb = run(b);
  ts.a.push(ra.cpu);
  ts.b.push(rb.cpu);
  sums = [ra.sum, rb.sum];
  console.log(`round ${i + 1}: A ${ra.cpu.toFixed(2)} s, B ${rb.cpu.toFixed(2)} s`);
}
const total = events * 5;
const rs = ts.a.map((t, i) => t / ts.b[i]).sort((x, y) => x - y);
for (const [name, dir] of [
  ['A', a],
  ['B', b],
]) {
  const m = median(ts[name.toLowerCase()]);
  console.log(
    `${name} ${dir}: ${m.toFixed(2)} CPU s per pass (median), ${Math.round(total / m).toLocaleString('en-US')} events/s per core, ${(total / m / 28_000).toFixed(1)}× coffea's 28 kHz`,
  );
}
console.log(
  `A/B CPU: ${median(rs).toFixed(2)}× (${rs[0].toFixed(2)}–${rs.at(-1).toFixed(2)}) over ${rounds} rounds`,
);
console.log(
  `sum of all bin contents: A ${sums[0]}, B ${sums[1]} (${sums[0] === sums[1] ? 'equal' : 'DIFFER'})`,
);
if (sums[0] !== sums[1]) process.exit(1);
