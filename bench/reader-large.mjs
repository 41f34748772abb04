// Reader throughput on large files written by our own writer (`hepq generate --schema nanoaod`, ≥ 200 MB of
// basket data), one per compression: every numeric branch read cluster by cluster (what a histogram query's
// scan does: batches on basket boundaries, one read ahead, buffers reused batch to batch) against the bare
// library decompression of the same baskets (already in memory), interleaved A, B, A, B in this run, one
// thread; the ratio is the median of the per-round ratios with its range.
//
//   node bench/reader-large.mjs        (after npm run build; BENCH_READER_EVENTS=N, BENCH_REPS=N, BENCH_READER_KINDS=lz4,zstd)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openRoot, openRootTable } from '../dist/index.js';
import { bareDecompress, readBaskets } from './bare-decompress.mjs';
import { fmtRatio, interleaved, ratio } from './timing.mjs';

const EVENTS = Number(process.env.BENCH_READER_EVENTS ?? 700_000);
const REPS = Number(process.env.BENCH_REPS ?? 5);
const ROOT = join(import.meta.dirname, '..');
const DIR = join(ROOT, 'bench/out', `reader-${EVENTS}`);
const KINDS = process.env.BENCH_READER_KINDS?.split(',') ?? ['none', 'lz4', 'zstd', 'zlib', 'lzma'];
mkdirSync(DIR, { recursive: true });

const isNumeric = (t) =>
  t?.kind === 'primitive' || ((t?.kind === 'list' || t?.kind === 'fixed-list') && isNumeric(t.item));
const isFloat = (t) =>
  t?.kind === 'primitive' ? t.type === 'float32' || t.type === 'float64' : t?.item && isFloat(t.item);

console.log(
  `reader on ${EVENTS.toLocaleString('en')} generated NanoAOD events per file; reader and bare interleaved, ${REPS} rounds after a warm-up; one thread`,
);
console.log(
  'MB = 1e6 bytes of uncompressed basket data; reader = a scan of every numeric branch (RootTable.scan with reuseBuffers, as a histogram query scans)\n',
);
console.log(
  '| file | branches | basket MB | reader MB/s | events/s | bare MB/s | reader speed ÷ bare speed (range) | float branches: reader MB/s |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const kind of KINDS) {
  const path = join(DIR, `nano-${kind}.root`);
  if (!existsSync(path))
    execFileSync(
      'node',
      [
        join(ROOT, 'bin/hepq.mjs'),
        'generate',
        '--schema',
        'nanoaod',
        '--events',
        String(EVENTS),
        '--seed',
        '1',
      ].concat(['--compression', kind, '--out', path, '--quiet']),
      { stdio: 'inherit' },
    );
  const handle = await openRoot(path);
  const tree = await handle.tree('Events');
  const numeric = tree.branches.filter((b) => isNumeric(b.interpretation.type));
  const floats = numeric.filter((b) => isFloat(b.interpretation.type));
  // What a query's scan does: RootTable.scan, batches on common basket boundaries, one batch read ahead.
  const table = await openRootTable(path, 'Events');
  const scan = async (names) => {
    for await (const batch of table.scan({ columns: names, reuseBuffers: true }))
      if (batch.length <= 0) throw new Error('empty batch');
  };
  const all = readBaskets(
    path,
    numeric.map((b) => b.branch),
  );
  const fl = readBaskets(
    path,
    floats.map((b) => b.branch),
  );
  const r = await interleaved(
    {
      reader: () => scan(numeric.map((b) => b.name)),
      bare: () => {
        let n = 0;
        for (const blocks of all.baskets) n += bareDecompress(blocks);
        return n;
      },
      floats: () => scan(floats.map((b) => b.name)),
    },
    REPS,
  );
  const [readerMs, bareMs, floatMs] = [r.reader.median, r.bare.median, r.floats.median];
  const mbs = (bytes, ms) => bytes / 1e3 / ms;
  console.log(
    `| nano-${kind}.root | ${numeric.length} | ${(all.bytes / 1e6).toFixed(0)} | ${mbs(all.bytes, readerMs).toFixed(0)} | ${((tree.entries * 1e3) / readerMs).toExponential(2)} | ${mbs(all.bytes, bareMs).toFixed(0)} | ${fmtRatio(ratio(r, 'bare', 'reader'))} | ${mbs(fl.bytes, floatMs).toFixed(0)} |`,
  );
  await Promise.all([handle.close(), table.close()]);
}
console.log(
  '\nreader speed ÷ bare speed = bare time ÷ reader time per round (1 = as fast as the decompression alone; goal ≥ 0.9)',
);
