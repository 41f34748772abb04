// ADL Q1 on the real-data copy (bench/adl-real.ts's file) against its ceiling: the bare zlib inflate of exactly
// the baskets Q1 reads (MET_pt: one 1000-entry ZLIB-1 basket per 1000 events), the same bytes already in memory,
// in one loop, interleaved round by round with hepq's Q1 (A, B, C, A, B, C …). Reports events/s of wall and of
// CPU time, each variant's ratio to RDataFrame's published 7.3 M events/s/core, and the per-basket cost above the
// ceiling ((hepq − bare) / baskets).
//
//   npx tsx bench/q1-ceiling.ts                 (the 10 M file; write it first with bench/adl-real.ts)
//   BENCH_ADL_REAL_EVENTS=200000 BENCH_REPS=9 npx tsx bench/q1-ceiling.ts
//   BENCH_Q1_ONLY=hepq BENCH_REPS=5 node --cpu-prof --import tsx bench/q1-ceiling.ts     (profile hepq alone)
//   BENCH_Q1_BASE=/tmp/base/dist npx tsx bench/q1-ceiling.ts    (also another build's Q1, interleaved: a checkout
//                                                                of an earlier commit built with `npm run build`)
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import { openRoot } from '../connectors/root/index.js';
import { Session } from '../server/session.js';
import { interleaved, ratio } from './timing.mjs';

const N = Number(process.env.BENCH_ADL_REAL_EVENTS ?? 10_000_000);
const REPS = Number(process.env.BENCH_REPS ?? 9);
const ONLY = process.env.BENCH_Q1_ONLY;
const FILE = join(import.meta.dirname, 'out', `adl-real-${N}`, `Run2012B_SingleMu_x${N / 1000}.root`);
const RDF = 7.3e6; // RDataFrame's published Q1 rate, events/s per core (issue 20)
if (!existsSync(FILE)) {
  console.error(`${FILE} is absent: write it with BENCH_ADL_REAL_EVENTS=${N} npx tsx bench/adl-real.ts`);
  process.exit(1);
}

// The compressed blocks of every MET_pt basket, read once (not timed): [body, uncompressed size] each.
const handle = await openRoot(FILE);
const tree = await handle.tree('Events');
const model = tree.info('MET_pt').branch;
const blocks: Array<[Uint8Array, number]> = [];
let compressed = 0;
let uncompressed = 0;
{
  const fd = openSync(FILE, 'r');
  for (let i = 0; i < model.writeBasket; i++) {
    const raw = Buffer.allocUnsafe(model.basketBytes[i]!);
    readSync(fd, raw, 0, raw.length, model.basketSeek[i]!);
    const keylen = raw.readInt16BE(14);
    const objlen = raw.readInt32BE(6);
    let p = keylen;
    let made = 0;
    while (made < objlen) {
      if (raw[p] !== 0x5a || raw[p + 1] !== 0x4c) throw new Error(`basket ${i}: not a ZLIB block`);
      const c = raw[p + 3]! | (raw[p + 4]! << 8) | (raw[p + 5]! << 16);
      const u = raw[p + 6]! | (raw[p + 7]! << 8) | (raw[p + 8]! << 16);
      blocks.push([raw.subarray(p + 9, p + 9 + c), u]);
      compressed += c;
      made += u;
      p += 9 + c;
    }
    uncompressed += objlen;
  }
  closeSync(fd);
}
await handle.close();
const baskets = model.writeBasket;
const largest = Math.max(...blocks.map(([, u]) => u));

// The bare loops: node's zlib on those bodies. `inflateSync` is the plain library call (a zlib context and an
// output buffer per call); the reused context writes into one buffer (node's own handle, as `inflateSync` drives
// it, reset per block): what a reader that allocates nothing per basket could reach.
const out = new Uint8Array(largest + 1);
const Inflate = (await import('node:zlib')).Inflate;
const z = new Inflate() as unknown as {
  _handle: {
    reset(): void;
    writeSync(f: number, i: Uint8Array, io: number, il: number, o: Uint8Array, oo: number, ol: number): void;
  };
  _writeState: Uint32Array;
};
const bareReused = () => {
  let n = 0;
  for (const [body, u] of blocks) {
    z._handle.reset();
    z._handle.writeSync(4 /* Z_FINISH */, body, 0, body.length, out, 0, u);
    n += u - z._writeState[0]!;
  }
  if (n !== uncompressed) throw new Error(`inflated ${n} bytes, expected ${uncompressed}`);
};
const bareSync = () => {
  let n = 0;
  for (const [body] of blocks) n += inflateSync(body).length;
  if (n !== uncompressed) throw new Error(`inflated ${n} bytes, expected ${uncompressed}`);
};

// hepq's Q1, 1 thread on the CPU, as bench/adl-real.ts runs it; its histogram checked every run.
const Q1 = 'ds.Select(lambda e: e.MET_pt).Hist(lambda x: x, bins=100, range=(0, 2000))';
const cpu: Record<string, number[]> = {};
/** `fn` with its CPU time (the process's, all threads) recorded under `name`. */
const cpuTimed = (name: string, fn: () => unknown) => async (): Promise<void> => {
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  cpu[name] ??= [];
  cpu[name].push((c.user + c.system) / 1e3);
};
const q1 = (session: Session, name: string) =>
  cpuTimed(name, async () => {
    const r = await session.query(Q1, { files: [FILE] });
    if (r.kind !== 'histogram') throw new Error('expected a histogram');
    const h = r.histogram;
    const total = h.underflow + h.overflow + h.counts.reduce((a, b) => a + b, 0);
    if (total !== N) throw new Error(`Q1 filled ${total} entries, expected ${N}`);
  });
const session = new Session({ threads: 1, device: 'cpu' });
const hepq = q1(session, 'hepq');
const BASE = process.env.BENCH_Q1_BASE;
const baseSession: Session | undefined = BASE
  ? new (await import(pathToFileURL(join(resolve(BASE), 'index.js')).href)).Session({
      threads: 1,
      device: 'cpu',
    })
  : undefined;

if (ONLY === 'hepq') {
  for (let i = 0; i < REPS; i++) await hepq();
  console.log(`hepq Q1 × ${REPS}: CPU ms ${cpu.hepq?.map((x) => x.toFixed(0)).join(' ')}`);
  await session.close();
  process.exit(0);
}

const variants: Record<string, () => unknown> = {
  hepq,
  ...(baseSession ? { 'hepq base': q1(baseSession, 'hepq base') } : {}),
  'bare inflate (reused context)': cpuTimed('bare inflate (reused context)', bareReused),
  'bare inflateSync': cpuTimed('bare inflateSync', bareSync),
};
const r = await interleaved(variants, REPS);
for (const k of Object.keys(cpu)) cpu[k] = cpu[k]!.slice(1); // the warm-up
await session.close();
await baseSession?.close();

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const evs = (ms: number) => N / (ms / 1e3);
const fmt = (x: number) => `${(x / 1e6).toFixed(1)} M`;
console.log(
  `Q1 on ${N.toLocaleString('en')} real events (MET_pt: ${baskets.toLocaleString('en')} baskets, ${(compressed / 1e6).toFixed(1)} MB of ZLIB-1 blocks → ${(uncompressed / 1e6).toFixed(1)} MB), 1 thread, ${REPS} rounds interleaved after a warm-up; node ${process.version}, ${cpus()[0]?.model ?? '?'}\n`,
);
console.log('| variant | wall ms median (range) | events/s (wall) | ÷ RDataFrame 7.3 M |');
console.log('|---|---:|---:|---:|');
for (const [name, v] of Object.entries(r)) {
  const e = evs(v.median);
  console.log(
    `| ${name} | ${v.median.toFixed(0)} (${v.min.toFixed(0)}–${v.max.toFixed(0)}) | ${fmt(e)} | ${(e / RDF).toFixed(1)}× |`,
  );
}
for (const [name, ms] of Object.entries(cpu)) {
  if (!ms.length) continue;
  const c = med(ms);
  console.log(
    `| ${name}, CPU time | ${c.toFixed(0)} (${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)}) | ${fmt(evs(c))} per CPU-s | ${(evs(c) / RDF).toFixed(1)}× |`,
  );
}
if (baseSession) {
  const b = ratio(r, 'hepq base', 'hepq');
  const c = cpu['hepq base']!.map((x, i) => x / cpu.hepq![i]!);
  console.log(
    `\nbase ÷ this checkout: wall ${b.median.toFixed(2)}× (${b.min.toFixed(2)}–${b.max.toFixed(2)}), CPU ${med(c).toFixed(2)}× (${Math.min(...c).toFixed(2)}–${Math.max(...c).toFixed(2)})`,
  );
}
const q = ratio(r, 'hepq', 'bare inflate (reused context)');
const above = r.hepq.runs.map((t, i) => (t - r['bare inflate (reused context)'].runs[i]!) / baskets);
console.log(
  `\nhepq ÷ bare (reused context): ${q.median.toFixed(2)}× (${q.min.toFixed(2)}–${q.max.toFixed(2)}); cost above the bare inflate per basket: ${(med(above) * 1e3).toFixed(1)} µs (${(Math.min(...above) * 1e3).toFixed(1)}–${(Math.max(...above) * 1e3).toFixed(1)})`,
);
const bareCpu = cpu['bare inflate (reused context)']!;
const cq = cpu.hepq!.map((x, i) => x / bareCpu[i]!);
const cAbove = cpu.hepq!.map((x, i) => (x - bareCpu[i]!) / baskets);
console.log(
  `on CPU time: hepq ÷ bare ${med(cq).toFixed(2)}× (${Math.min(...cq).toFixed(2)}–${Math.max(...cq).toFixed(2)}), above it per basket ${(med(cAbove) * 1e3).toFixed(1)} µs (${(Math.min(...cAbove) * 1e3).toFixed(1)}–${(Math.max(...cAbove) * 1e3).toFixed(1)})`,
);
const s = ratio(r, 'bare inflateSync', 'bare inflate (reused context)');
console.log(
  `inflateSync ÷ reused context: ${s.median.toFixed(2)}× (${s.min.toFixed(2)}–${s.max.toFixed(2)}): ${(((r['bare inflateSync'].median - r['bare inflate (reused context)'].median) / blocks.length) * 1e3).toFixed(1)} µs per call of context and buffer`,
);
