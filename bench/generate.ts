// `npx tsx bench/generate.ts [events=1000000] [outdir=/tmp]`: synthetic ADL events — generation alone, then
// written as ROOT (each compression), Parquet (zstd) and Arrow IPC; events/s and MB/s of the output file.
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateEvents } from '../connectors/synthetic/index.js';
import { writeArrow, writeParquet, writeRoot } from '../server/output/index.js';

const events = Number(process.argv[2] ?? 1_000_000);
const dir = join(process.argv[3] ?? '/tmp', `hepq-bench-generate-${process.pid}`);
mkdirSync(dir, { recursive: true });
const stream = () => generateEvents({ schema: 'adl', events, seed: 42 });

const rows: string[] = [];
async function measure(label: string, run: () => Promise<string | undefined>, raw?: () => number) {
  const t0 = performance.now();
  const path = await run();
  const s = (performance.now() - t0) / 1000;
  const bytes = path ? statSync(path).size : 0;
  const rawMB = raw ? raw() / 1e6 : 0;
  rows.push(
    `| ${label} | ${s.toFixed(1)} | ${Math.round(events / s).toLocaleString('en-US')} | ${path ? (bytes / 1e6).toFixed(0) : '—'} | ${path ? (bytes / 1e6 / s).toFixed(1) : '—'} | ${rawMB ? (rawMB / s).toFixed(1) : '—'} |`,
  );
  console.error(rows[rows.length - 1]);
  if (path) rmSync(path);
}

let raw = 0;
await measure('generate only (no output)', async () => {
  for await (const _ of stream());
  return undefined;
});
for (const compression of ['zstd:5', 'lz4', 'zlib:1', 'none']) {
  await measure(
    `ROOT ${compression}`,
    async () => {
      const path = join(dir, 'adl.root');
      raw = (await writeRoot(path, stream(), { compression })).rawBytes;
      return path;
    },
    () => raw,
  );
}
await measure('Parquet (zstd, parquet-wasm)', async () => {
  const path = join(dir, 'adl.parquet');
  await writeParquet(path, stream(), { widenUnsigned: true });
  return path;
});
await measure('Arrow IPC file', async () => {
  const path = join(dir, 'adl.arrow');
  await writeArrow(path, stream(), { widenUnsigned: true });
  return path;
});
rmSync(dir, { recursive: true, force: true });
console.log(
  `| output (${events.toLocaleString('en-US')} ADL events, seed 42) | s | events/s | file MB | file MB/s | basket MB/s (uncompressed) |`,
);
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(r);
