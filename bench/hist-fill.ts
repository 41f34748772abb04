/**
 * What the compensated histogram sums (exec/sinks/histogram.ts: each bin carries its rounding error, so weighted
 * results do not depend on threads or morsels) cost in the fill loop: histogram queries over the ADL sample
 * (1000 CMS events repeated, in memory, so the loop is most of the time) timed with the compensated `addAt`
 * and with a plain one (`sumw += w; sumw2 += w * w` on the same bin slots, patched into the prototype for
 * that variant), interleaved.
 * `npx tsx bench/hist-fill.ts [copies]`
 */
import type { ConnectorTable } from '../connectors/api.js';
import { MemoryTable } from '../connectors/memory/index.js';
import { openRootTable } from '../connectors/root/index.js';
import type { Batch } from '../exec/batch/index.js';
import { concatColumns, executePlan, Histogram1D } from '../exec/index.js';
import { analyzePlan } from '../planner/analyze/index.js';
import { parseQuery } from '../query/index.js';
import { loadAdlEvents } from '../test/func-adl/adl-events.js';
import { fmtRatio, interleaved, ratio } from './timing.mjs';

const copies = Number(process.argv[2] ?? 1000);
const reps = 31;

async function bigTable(): Promise<MemoryTable> {
  const one = loadAdlEvents(1000);
  const batches: Batch[] = [];
  for await (const b of one.scan()) batches.push(b);
  const b = batches[0]!;
  const columns = b.columns.map((c) => concatColumns(Array.from({ length: copies }, () => c)));
  return new MemoryTable('Events', b.schema, columns, { batchSize: 100_000 });
}
const table = await bigTable();

const proto = Histogram1D.prototype as unknown as { addAt(b: number, w: number): void };
const compensated = proto.addAt;
/** The fill before compensation (`sumw += w; sumw2 += w * w`), on the same bin slots. */
function plain(this: { bins: number; acc: { acc: Float64Array } }, b: number, w: number): void {
  const a = this.acc.acc;
  const i = b >= 0 && b <= this.bins ? 4 * b : b === -1 ? 4 * (this.bins + 1) : -1;
  if (i >= 0) {
    a[i]! += w;
    a[i + 2]! += w * w;
  }
}

const big = await openRootTable(
  new URL('../../shared/data/root/uproot-issue412.root', import.meta.url).pathname,
  'test',
);
const QUERIES: Array<[string, string, ConnectorTable]> = [
  [
    'weighted jet pT (every jet, one add each)',
    'SelectMany(lambda e: e.Jet_pt).Hist(lambda x: x, bins=100, range=(0, 200), weight=lambda x: x * 0.01 + 0.5)',
    table,
  ],
  ['unweighted MET', 'Select(lambda e: e.MET_pt).Hist(lambda x: x, bins=100, range=(0, 200))', table],
  [
    'weighted, read from ../shared uproot-issue412.root (1M entries, zlib)',
    'Select(lambda e: e.b1 / 8192.0).Hist(lambda x: x, bins=32, range=(0, 128), weight=lambda x: x * 0.1 + 0.37)',
    big,
  ],
];

console.log(
  `ADL sample: ${(1000 * copies).toLocaleString('en-US')} events in memory, ${reps} interleaved rounds`,
);
for (const [name, text, source] of QUERIES) {
  const plan = analyzePlan(parseQuery(text), source.schema()).plan;
  const run = async (addAt: typeof compensated) => {
    proto.addAt = addAt;
    try {
      await executePlan(plan, source);
    } finally {
      proto.addAt = compensated;
    }
  };
  // CPU time of the process per run as well as wall time: on a shared machine, time slices lost to other
  // processes inflate wall time but not CPU time.
  const cpu: Record<'compensated' | 'plain', number[]> = { compensated: [], plain: [] };
  const timed = (name: 'compensated' | 'plain', addAt: typeof compensated) => async () => {
    const c0 = process.cpuUsage();
    await run(addAt);
    const d = process.cpuUsage(c0);
    cpu[name].push((d.user + d.system) / 1000);
  };
  const r = await interleaved(
    { compensated: timed('compensated', compensated), plain: timed('plain', plain) },
    reps,
  );
  const cpuRuns = {
    compensated: { ...r.compensated, runs: cpu.compensated.slice(1) },
    plain: { ...r.plain, runs: cpu.plain.slice(1) },
  };
  console.log(
    `${name}: wall compensated ${r.compensated.median.toFixed(1)} ms, plain ${r.plain.median.toFixed(1)} ms — compensated/plain ${fmtRatio(ratio(r, 'compensated', 'plain'))}; CPU time compensated/plain ${fmtRatio(ratio(cpuRuns, 'compensated', 'plain'))}`,
  );
}
await big.close();
