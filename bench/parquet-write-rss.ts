// Peak memory of the Parquet writer against the size of its output: N generated ADL events (one thread,
// batches of 100 000) written with writeParquet (zstd, row groups of 100 000), each N in a fresh process; peak
// RSS from the kernel (getrusage maxRSS). Issue 20's goal: peak independent of N, < 600 MB at 10 M events.
//
//   npx tsx bench/parquet-write-rss.ts [--events 1000000,3000000,10000000] [--dir bench/out/write-rss]
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000,3000000,10000000' },
    dir: { type: 'string', default: join(import.meta.dirname, 'out/write-rss') },
    child: { type: 'string' },
  },
});

if (values.child) {
  const { generateEvents } = await import('../connectors/synthetic/index.js');
  const { writeParquet } = await import('../server/output/index.js');
  const n = Number(values.child);
  const path = join(values.dir!, `adl-${n}.parquet`);
  const t0 = performance.now();
  await writeParquet(
    path,
    generateEvents({ schema: 'adl', events: n, seed: 1, batchSize: 100_000, columnOrder: 'columnar' }),
    {
      widenUnsigned: true,
    },
  );
  const s = (performance.now() - t0) / 1e3;
  console.log(
    JSON.stringify({
      n,
      seconds: s,
      bytes: statSync(path).size,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
    }),
  );
  rmSync(path);
} else {
  mkdirSync(values.dir!, { recursive: true });
  console.log('| events | output MB | peak RSS MB | s |');
  console.log('|---|---|---|---|');
  for (const n of values.events!.split(',').map(Number)) {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', import.meta.filename, '--child', String(n), '--dir', values.dir!],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const r = JSON.parse(out.trim().split('\n').pop()!);
    console.log(
      `| ${n} | ${(r.bytes / 1e6).toFixed(0)} | ${r.maxRssMB.toFixed(0)} | ${r.seconds.toFixed(0)} |`,
    );
  }
}
