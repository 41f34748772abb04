// Measures decompressRoot throughput (MB/s of output, one core) per algorithm on the shared ROOT files,
// against the bare library call on the same blocks as the reference. Run: node bench/decompression.mjs [seconds]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { register } from 'tsx/esm/api';
import { codecNames, reference } from './bare-decompress.mjs';

register();
const { decompressRoot, initCompression, blockAlgorithms } = await import(
  '../connectors/root/compression/index.ts'
);
const { walkKeys } = await import('../connectors/root/compression/test-key-walker.ts');

const DATA = join(import.meta.dirname, '../../shared/data/root');
if (!existsSync(DATA)) {
  console.error(`${DATA} is absent: nothing to measure`);
  process.exit(1);
}
const seconds = Number(process.argv[2] ?? 0.3);
await initCompression();

const FILES = [
  'uproot-HZZ-zlib.root',
  'uproot-HZZ-lz4.root',
  'uproot-HZZ-zstd.root',
  'uproot-HZZ-lzma.root',
  'NanoAODv5_sample.root',
  'uproot-issue121.root',
  'PHYSLITE_example.root',
  'DYJetsToLL--UL17_v6-v2_109_Skim.root',
  'EGamma_2022E_v13.root',
];

/** Best of `rounds` runs of at least `seconds / rounds` each, in MB/s of `bytes` per call of `fn`. */
function time(fn, bytes, rounds = 3) {
  fn(); // warm up
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    let reps = 0;
    const t0 = process.hrtime.bigint();
    let dt = 0;
    do {
      fn();
      reps++;
      dt = Number(process.hrtime.bigint() - t0) / 1e9;
    } while (dt < seconds / rounds);
    best = Math.max(best, (reps * bytes) / 1e6 / dt);
  }
  return best;
}

console.log(
  `node ${process.version}, ${seconds} s × 3 interleaved rounds per measurement, best kept, MB/s of uncompressed output, one core; codecs: ${codecNames.lz4}, ${codecNames.zstd}\n`,
);
console.log(
  'file                                   alg  objects  out MB  ratio  decompressRoot  reference  (ours/ref)',
);
for (const file of FILES) {
  if (!existsSync(join(DATA, file))) continue;
  const bytes = readFileSync(join(DATA, file));
  const byAlg = new Map();
  for (const k of walkKeys(bytes).keys) {
    if (k.className === 'RBlob' || k.className === 'TFile' || k.payload.length === k.objLen) continue;
    const tags = blockAlgorithms(k.payload, k.objLen);
    if (tags.length !== 1) continue;
    const list = byAlg.get(tags[0]) ?? [];
    list.push(k);
    byAlg.set(tags[0], list);
  }
  for (const [alg, keys] of byAlg) {
    if (keys.length < 5) continue;
    const out = keys.reduce((s, k) => s + k.objLen, 0);
    const inBytes = keys.reduce((s, k) => s + k.payload.length, 0);
    const ctx = { file, offset: 0 };
    // Interleaved, best of several rounds: the machine is shared, so noise only ever slows a run down.
    let ours = 0;
    let ref = 0;
    for (let i = 0; i < 3; i++) {
      ours = Math.max(
        ours,
        time(() => {
          for (const k of keys) decompressRoot(k.payload, k.objLen, ctx);
        }, out),
      );
      ref = Math.max(
        ref,
        time(() => {
          for (const k of keys) reference[alg](k.payload.subarray(9), k.objLen);
        }, out),
      );
    }
    console.log(
      `${file.padEnd(38)} ${alg}  ${String(keys.length).padStart(7)}  ${(out / 1e6).toFixed(2).padStart(6)}  ${(out / inBytes).toFixed(1).padStart(5)}  ${ours.toFixed(0).padStart(14)}  ${ref.toFixed(0).padStart(9)}  ${(ours / ref).toFixed(2).padStart(10)}`,
    );
  }
}
