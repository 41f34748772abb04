// `npx tsx bench/gpu.ts [events]`: the GPU columns of the benchmark. Synthetic ADL-layout events in memory; for
// each fusable ADL task the CPU engine (generated JS loop) against the fused WGSL kernel, cold (upload included)
// and warm (columns resident in the device cache), checked to give the CPU's histogram; then the HistFactory NLL +
// gradient at 1024 points, CPU model loop against one GPU dispatch. Medians of BENCH_REPS (default 5) runs.
import { existsSync } from 'node:fs';
import { MemoryTable } from '../connectors/memory/index.js';
import { generateEvents } from '../connectors/synthetic/index.js';
import { type Column, concatColumns } from '../exec/batch/index.js';
import {
  closeSharedGpu,
  DeviceColumnCache,
  measureCpuCosts,
  measureGpuCosts,
  runFusedPlan,
  sharedGpu,
} from '../exec/gpu/index.js';
import { executePlan } from '../exec/run-query.js';
import { analyzePlan } from '../planner/analyze/index.js';
import { parseQuery } from '../query/index.js';
import { GpuNllBatch } from '../stats/gpu/nll-batch.js';
import { loadWorkspace, Patchset } from '../stats/index.js';
import { ADL_TASKS } from '../test/func-adl/adl-tasks.js';

const EVENTS = Number(process.argv[2] ?? process.env.BENCH_EVENTS ?? 200_000);
const REPS = Number(process.env.BENCH_REPS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function time(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const ts: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    await fn();
    ts.push(performance.now() - t);
  }
  return median(ts);
}

const d = await sharedGpu();
if (!d.ok) {
  console.log(`${d.reason}: no GPU columns to measure`);
  process.exit(0);
}
const gpu = d.gpu;
console.log(
  `device: ${gpu.info.device || gpu.info.description} (${gpu.info.backend}, ${gpu.info.featureLevel}${gpu.info.software ? ', software' : ''})`,
);
const g = await measureGpuCosts(gpu);
const c = measureCpuCosts();
console.log(
  `measured: upload ${(g.uploadBytesPerSec / 1e9).toFixed(2)} GB/s, readback ${(g.readbackBytesPerSec / 1e9).toFixed(2)} GB/s, launch ${(g.launchSec * 1e6).toFixed(0)} µs, GPU ${(g.elementsPerSec / 1e6).toFixed(0)} M el/s, CPU ${(c.elementsPerSec / 1e6).toFixed(0)} M el/s`,
);

// Synthetic events (ADL layout: lists of structs, MET struct), joined into one in-memory table.
let t0 = performance.now();
const stream = generateEvents({ schema: 'adl', events: EVENTS, seed: 7 });
const parts: Column[][] = stream.schema.fields.map(() => []);
for await (const b of stream) for (let i = 0; i < b.columns.length; i++) parts[i]!.push(b.columns[i]!);
const table = new MemoryTable(
  'Events',
  stream.schema,
  parts.map((p) => concatColumns(p)),
  { batchSize: 100_000 },
);
console.log(`${EVENTS} synthetic events generated in ${((performance.now() - t0) / 1e3).toFixed(1)} s\n`);

console.log('| task | CPU ms | GPU cold ms | GPU warm ms | warm / CPU | entries in another bin |');
console.log('|---|---:|---:|---:|---:|---|');
const cache = new DeviceColumnCache(gpu, 1 << 30);
for (const t of ADL_TASKS) {
  const text = `${t.query}.Hist(lambda x: x, bins=100, range=(${t.lo}, ${t.hi}))`;
  const plan = analyzePlan(parseQuery(text), table.schema()).plan;
  let cpuHist: unknown;
  const cpuMs = await time(async () => {
    const r = await executePlan(plan, table);
    cpuHist = r.kind === 'histogram' ? r.histogram : undefined;
  });
  t0 = performance.now();
  const cold = await runFusedPlan(plan, table, gpu);
  const coldMs = performance.now() - t0;
  const warmMs = await time(() => runFusedPlan(plan, table, gpu, { cache }));
  // Entries the float32 kernel put in another bin than the float64 CPU loop (0 = identical histograms).
  const h = cold.kind === 'histogram' ? cold.histogram : undefined;
  const ref = cpuHist as typeof h;
  let moved = 0;
  if (h && ref) {
    for (let i = 0; i < h.counts.length; i++) moved += Math.abs(h.counts[i]! - ref.counts[i]!);
    moved = (moved + Math.abs(h.underflow - ref.underflow) + Math.abs(h.overflow - ref.overflow)) / 2;
  }
  console.log(
    `| ${t.name} | ${cpuMs.toFixed(1)} | ${coldMs.toFixed(1)} | ${warmMs.toFixed(1)} | ${(warmMs / cpuMs).toFixed(2)} | ${h ? moved : 'n/a'} |`,
  );
}

const dir = new URL('../../shared/data/stats/workspaces/atlas_3L_eRJR/', import.meta.url).pathname;
if (existsSync(dir)) {
  const ws = Patchset.fromFile(`${dir}patchset.json`).apply(
    loadWorkspace(`${dir}BkgOnly.json`),
    'ERJR_150p0_50p0',
  );
  const model = ws.model({ measurement: 'NormalMeasurement' });
  const K = 1024;
  const thetas = new Float64Array(K * model.nPars);
  const init = model.suggestedInit();
  for (let k = 0; k < K; k++)
    for (let p = 0; p < model.nPars; p++)
      thetas[k * model.nPars + p] = init[p]! * (1 + 0.05 * Math.sin(k + 3 * p));
  const data = model.expectedData(init);
  const grad = new Float64Array(model.nPars);
  const cpuMs = await time(async () => {
    for (let k = 0; k < K; k++)
      model.nll(thetas.subarray(k * model.nPars, (k + 1) * model.nPars), data, grad);
  });
  const batch = GpuNllBatch.create(model, gpu);
  const gpuMs = await time(() => batch.evaluate(thetas, [data], { gradient: true }));
  console.log(
    `\nHistFactory NLL + gradient, ATLAS 3L eRJR (${model.nPars} parameters, ${model.nMain} bins), ${K} points: CPU ${cpuMs.toFixed(1)} ms, GPU ${gpuMs.toFixed(1)} ms (GPU / CPU ${(gpuMs / cpuMs).toFixed(2)})`,
  );
  batch.release();
}
cache.clear();
await closeSharedGpu();
