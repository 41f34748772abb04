// CPU time of `hepq serve` to its first answer, against `node -e 0`, interleaved (bench/timing.mjs): each server is
// started under /usr/bin/time, asked one small POST /query (the count of the 1000-event sample), then stopped with
// SIGTERM; the CPU is user + sys of the command and the children it waited for (a filter it did not wait for, the
// awk of the in-process filter, is timed on its own in the last row). Wall time is bench/startup.mjs's. Linux
// (/proc finds the server under time; GNU time's resolution is 10 ms).
//
//   node bench/serve-cpu.mjs                                   (BENCH_REPS=N, default 9; npm run build first)
//   BENCH_SERVE_BASELINE=/path/to/other/bin/hepq.mjs node bench/serve-cpu.mjs      (another build, interleaved)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { interleaved, median } from './timing.mjs';

const here = import.meta.dirname;
const shared = join(here, '../../shared');
const sample = join(shared, 'conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root');
const reps = Number(process.env.BENCH_REPS ?? 9);
const TIME = '/usr/bin/time';

/** Runs `cmd args` under /usr/bin/time; `during(child)` runs once stdout matches `re`; resolves with CPU ms. */
function timed(cmd, args, env = {}, re, during) {
  return new Promise((resolve, reject) => {
    const child = spawn(TIME, ['-f', 'CPU %U %S', cmd, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let out = '';
    let err = '';
    let started = false;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      out += d;
      const m = re?.exec(out);
      if (m && !started) {
        started = true;
        // the command under time, stopped as a service manager stops it (time itself would die of SIGTERM)
        const stop = () => {
          for (const pid of readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').split(
            /\s+/,
          ))
            if (pid) process.kill(Number(pid), 'SIGTERM');
        };
        during(m).then(stop, (e) => {
          stop();
          reject(e);
        });
      }
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('close', () => {
      const m = /CPU (\S+) (\S+)\s*$/.exec(err);
      if (!m) reject(new Error(`no CPU time from ${cmd} ${args.join(' ')}: ${out}${err}`));
      else resolve((Number(m[1]) + Number(m[2])) * 1e3);
    });
  });
}

async function firstAnswer(m) {
  const res = await fetch(`${m[1]}/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'Select(lambda e: e.nMuon).Count()', files: [sample] }),
  });
  const text = await res.text();
  if (res.status !== 200 || text.trim() !== '1000')
    throw new Error(`hepq serve answered ${res.status} ${text}`);
}

const cpu = {};
const variant = (name, run) => {
  cpu[name] = [];
  return async () => cpu[name].push(await run());
};
const serve = (bin, env) => () =>
  timed(
    process.execPath,
    [bin, 'serve', '--port', '0', '--data-root', shared],
    env,
    /listening on (http:\/\/\S+)/,
    firstAnswer,
  );
const hepq = join(here, '../bin/hepq.mjs');
const baseline = process.env.BENCH_SERVE_BASELINE;
const variants = {
  'node -e 0': variant('node -e 0', () => timed(process.execPath, ['-e', '0'])),
  'hepq serve first 200': variant('hepq serve first 200', serve(hepq, {})),
  'hepq serve, no filter (HEPQ_NATIVE_STDERR=child)': variant(
    'hepq serve, no filter (HEPQ_NATIVE_STDERR=child)',
    serve(hepq, { HEPQ_NATIVE_STDERR: 'child' }),
  ),
  ...(baseline
    ? { 'baseline: hepq serve first 200': variant('baseline: hepq serve first 200', serve(baseline, {})) }
    : {}),
  'awk filter alone (start, EOF)': variant('awk filter alone (start, EOF)', () =>
    timed('awk', ['{ print; fflush() }'], {}),
  ),
};
await interleaved(variants, reps);
const node = cpu['node -e 0'].slice(1);
console.log(
  `CPU ms (user + sys) to the first POST /query 200, ${reps} rounds interleaved after a warm-up; median (min–max), and added over node -e 0 per round\n`,
);
for (const [name, xs0] of Object.entries(cpu)) {
  const xs = xs0.slice(1); // the warm-up
  const added = xs.map((x, i) => x - node[i]);
  const s = [...xs].sort((a, b) => a - b);
  const a = [...added].sort((p, q) => p - q);
  console.log(
    `${name.padEnd(52)} ${median(xs).toFixed(0).padStart(5)} (${s[0].toFixed(0)}–${s.at(-1).toFixed(0)})` +
      (name === 'node -e 0'
        ? ''
        : `   added ${median(added).toFixed(0)} (${a[0].toFixed(0)}–${a.at(-1).toFixed(0)})`),
  );
}
