// Start-up of the `hepq` command against `node -e 0`, measured in the same run and interleaved (node, each hepq
// command, node, …: bench/timing.mjs `interleaved()`), so a busy machine slows all of them alike. Each row is the
// wall time from process start to the command's answer: the exit for one-shot commands, the first answer on stdout
// for the REPL (a query typed on its stdin), the first HTTP 200 of a small query for `hepq serve`.
// Prints, per command, the median added over `node -e 0` with the spread of the per-round differences, and the
// per-round ratio. BENCH_STARTUP_REPS (default 9); run `npm run build` first (npm run bench does).
// BENCH_STARTUP_BASELINE=/path/to/other/bin/hepq.mjs adds every hepq row again for that build (before/after).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fmtRatio, interleaved, median, ratio } from './timing.mjs';

const here = import.meta.dirname;
const hepq = join(here, '../bin/hepq.mjs');
const shared = join(here, '../../shared');
const sample = join(shared, 'conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root');
const parquetSample = join(shared, 'conformance-data/adl-benchmark/Run2012B_SingleMu_1000_native.parquet');
const QUERY = 'Select(lambda e: e.nMuon).Count()';
const reps = Number(process.env.BENCH_STARTUP_REPS ?? 9);

/** Runs `node ARGS` to its exit; rejects on a non-zero exit. */
function exits(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited ${code}: ${err}`)),
    );
  });
}

/** Starts `node ARGS`, resolves with the child once its stdout matches `re` (the answer), with the match. */
function answers(args, re, stdin) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let done = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      out += d;
      const m = re.exec(out);
      if (m && !done) {
        done = true;
        resolve({ child, match: m });
      }
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('close', (code) => {
      if (!done) reject(new Error(`${args.join(' ')} exited ${code} before answering: ${out}${err}`));
    });
    if (stdin !== undefined) child.stdin.write(stdin);
  });
}

const closed = (child) => new Promise((resolve) => child.on('close', resolve));

function post(url, body) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        text += d;
      });
      res.on('end', () =>
        res.statusCode === 200 ? resolve(text) : reject(new Error(`${res.statusCode}: ${text}`)),
      );
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

function hepqVariants(hepq, prefix) {
  const v = {
    [`${prefix}hepq --version`]: () => exits([hepq, '--version']),
    [`${prefix}hepq sql "SELECT 1"`]: () => exits([hepq, 'sql', 'SELECT 1']),
  };
  if (!existsSync(sample)) return v;
  v[`${prefix}hepq query (1000 events)`] = () => exits([hepq, 'query', QUERY, sample]);
  // The same query on the Parquet copy (its schema from the file's footer: parquet-wasm is not started).
  if (existsSync(parquetSample))
    v[`${prefix}hepq query (Parquet, 1000)`] = () => exits([hepq, 'query', QUERY, parquetSample]);
  // The REPL on the file: time to the count printed for the first query typed.
  v[`${prefix}REPL first answer`] = async () => {
    const { child, match } = await answers([hepq, sample], /^1000$/m, `${QUERY}\n`);
    if (match[0] !== '1000') throw new Error('the REPL answered wrongly');
    child.stdin.end();
    await closed(child);
  };
  // The HTTP server: start → listening → POST /query → 200 with the count.
  v[`${prefix}hepq serve first 200`] = async () => {
    const { child, match } = await answers(
      [hepq, 'serve', '--port', '0', '--data-root', shared],
      /listening on (http:\/\/\S+)/,
    );
    try {
      const text = await post(`${match[1]}/query`, { query: QUERY, files: [sample] });
      if (text.trim() !== '1000') throw new Error(`hepq serve answered ${text}`);
    } finally {
      child.kill('SIGTERM');
      await closed(child);
    }
  };
  return v;
}

if (!existsSync(sample))
  console.log(`(the 1000-event sample is absent: ${sample}; the query, REPL and serve rows are skipped)`);
const baseline = process.env.BENCH_STARTUP_BASELINE;
const variants = {
  'node -e 0': () => exits(['-e', '0']),
  ...hepqVariants(hepq, ''),
  ...(baseline ? hepqVariants(baseline, 'baseline: ') : {}),
};
const r = await interleaved(variants, reps);
const base = r['node -e 0'];
console.log(
  `start-up, interleaved over ${Object.keys(variants).length} variants, ${reps} rounds after a warm-up (ms; spread: min–max)\n`,
);
console.log(
  `${'command'.padEnd(36)} ${'median'.padStart(7)}  ${'added'.padStart(6)} (per round)     × node -e 0`,
);
for (const [name, t] of Object.entries(r)) {
  const spread = `${t.min.toFixed(0)}–${t.max.toFixed(0)}`;
  if (name === 'node -e 0') {
    console.log(`${name.padEnd(36)} ${t.median.toFixed(0).padStart(7)}  ${''.padStart(6)}  (${spread})`);
    continue;
  }
  const added = t.runs.map((x, i) => x - base.runs[i]).sort((a, b) => a - b);
  const addedSpread = `${added[0].toFixed(0)}–${added[added.length - 1].toFixed(0)}`;
  console.log(
    `${name.padEnd(36)} ${t.median.toFixed(0).padStart(7)}  ${median(added).toFixed(0).padStart(6)} ${`(${addedSpread})`.padEnd(13)}  ${fmtRatio(ratio(r, name, 'node -e 0'))}`,
  );
}
