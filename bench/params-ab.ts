// A query parameter read at run time against the same value written into the query as a literal, where the
// value sits in the innermost loop (a per-jet cut and scale) and in the per-event weight: CPU seconds per query
// (one query thread, this process), the two variants interleaved A, B, A, B, … over the five AGC samples (the
// ones bench/agc-ab.mjs writes, read as one table). Results checked equal. What a literal allowed V8 (an
// immediate operand, a constant folded into the loop) against a local read once per batch.
// usage: npx tsx bench/params-ab.ts [rounds, default 9] [events, default 100000]
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeAgcSamples } from '../server/agc/agc-samples.js';
import { Session } from '../server/index.js';
import { median } from './timing.mjs';

const rounds = Number(process.argv[2] ?? 9);
const events = Number(process.argv[3] ?? 100_000);
const dir = join(import.meta.dirname, 'out', 'agc-ab');
mkdirSync(dir, { recursive: true });
const written = await writeAgcSamples({ dir, events, seed: 1 });
const files = Object.values(written.json).map((d) => join(dir, Object.keys(d.files)[0]!));
const session = new Session({ threads: 1 });

const QUERY = `EventDataset()
  .Select(lambda e: {'s': e.Jet.Where(lambda j: j.pt > cut and abs(j.eta) < etamax).Select(lambda j: j.pt * scale).Sum(),
                     'n': e.Jet.Where(lambda j: j.pt > cut).Count()})
  .Where(lambda e: e.n >= nmin)
  .Hist(lambda e: e.s, bins=50, range=(0, 2000), weight=lambda e: xsec * lumi / nevts)`;
const PARAMS = { cut: 25, etamax: 2.4, scale: 1.03, nmin: 2, xsec: 729.84, lumi: 3378, nevts: 100000 };
const LITERAL = Object.entries(PARAMS).reduce(
  (q, [k, v]) => q.replace(new RegExp(`\\b${k}\\b`, 'g'), String(v)),
  QUERY,
);

type Hist = { kind: string; histogram: { counts: number[] } };
const run = async (param: boolean) => {
  const c0 = process.cpuUsage();
  const r = (await session.query(param ? QUERY : LITERAL, {
    files,
    ...(param ? { params: PARAMS } : {}),
  })) as unknown as Hist;
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1e6, counts: r.histogram.counts };
};

const warm = [await run(false), await run(true)];
if (JSON.stringify(warm[0]!.counts) !== JSON.stringify(warm[1]!.counts)) throw new Error('results differ');
const t: { literal: number[]; param: number[] } = { literal: [], param: [] };
for (let i = 0; i < rounds; i++) {
  t.literal.push((await run(false)).cpu);
  t.param.push((await run(true)).cpu);
}
await session.close();
const rs = t.param.map((p, i) => p / t.literal[i]!).sort((a, b) => a - b);
console.log(
  `literal ${median(t.literal).toFixed(3)} CPU s, parameter ${median(t.param).toFixed(3)} CPU s per query (medians of ${rounds}); ` +
    `parameter / literal ${median(rs).toFixed(3)}× (${rs[0]!.toFixed(3)}–${rs.at(-1)!.toFixed(3)}); results equal`,
);
