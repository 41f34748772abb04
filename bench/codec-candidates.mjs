// Candidate LZ4/ZSTD codecs for a machine without a compiler, against the native packages (lz4, zstd-napi),
// on the shared ROOT files' real LZ4 and ZSTD blocks: decode MB/s of output, and encode MB/s and ratio on the
// same baskets' uncompressed bytes (what the writer compresses). Interleaved rounds (bench/timing.mjs).
// Run: node bench/codec-candidates.mjs [rounds]   (candidates absent from node_modules are skipped)
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { register } from 'tsx/esm/api';
import { splitBlocks } from './bare-decompress.mjs';

register();
const require = createRequire(import.meta.url);
const { walkKeys } = await import('../connectors/root/compression/test-key-walker.ts');
const { decompressRoot, initCompression } = await import('../connectors/root/compression/index.ts');
await initCompression();
const rounds = Number(process.argv[2] ?? 5);
const DATA = join(import.meta.dirname, '../../shared/data/root');
const tryLoad = (name) => {
  try {
    return require(name);
  } catch {
    return undefined;
  }
};

/** Every single-block basket of one algorithm in the files: { body, out, raw } (raw: its uncompressed bytes). */
function blocks(tag, files) {
  const list = [];
  for (const file of files) {
    const path = join(DATA, file);
    if (!existsSync(path)) continue;
    for (const k of walkKeys(readFileSync(path)).keys) {
      if (k.className === 'TFile' || k.payload.length === k.objLen) continue;
      const bs = splitBlocks(k.payload, k.objLen);
      if (bs.length !== 1 || bs[0].alg !== tag) continue;
      const raw = decompressRoot(k.payload, k.objLen, { file, offset: 0 });
      list.push({ body: bs[0].body, out: bs[0].out, raw: new Uint8Array(raw) });
    }
  }
  return list;
}

function rate(bytes, fn) {
  fn();
  const t0 = process.hrtime.bigint();
  let n = 0;
  let dt = 0;
  do {
    fn();
    n++;
    dt = Number(process.hrtime.bigint() - t0) / 1e9;
  } while (dt < 0.2);
  return (bytes * n) / 1e6 / dt;
}

/** Median and range over interleaved rounds of every variant. */
function measure(title, bytes, variants) {
  const runs = new Map(Object.keys(variants).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++)
    for (const [name, fn] of Object.entries(variants)) runs.get(name).push(rate(bytes, fn));
  console.log(`\n${title} (${(bytes / 1e6).toFixed(1)} MB per pass, ${rounds} interleaved rounds)`);
  for (const [name, xs] of runs) {
    xs.sort((a, b) => a - b);
    const med = xs[Math.floor(xs.length / 2)];
    console.log(
      `  ${name.padEnd(34)} ${med.toFixed(0).padStart(6)} MB/s  (${xs[0].toFixed(0)}–${xs.at(-1).toFixed(0)})`,
    );
  }
}

const lz4 = tryLoad('lz4');
const lz4napi = tryLoad('lz4-napi');
const lz4js = tryLoad('lz4js');
const zstdBinding = tryLoad('zstd-napi/binding.js');
const fzstd = tryLoad('fzstd');
const bokuweb = tryLoad('@bokuweb/zstd-wasm');
if (bokuweb) await bokuweb.init();
let hpcc;
try {
  hpcc = await (await import('@hpcc-js/wasm-zstd')).Zstd.load();
} catch {}

const L4 = blocks('L4', ['uproot-HZZ-lz4.root', 'PHYSLITE_example.root', 'uproot-issue121.root']);
const ZS = blocks('ZS', [
  'uproot-HZZ-zstd.root',
  'DYJetsToLL--UL17_v6-v2_109_Skim.root',
  'EGamma_2022E_v13.root',
]);
const sum = (xs, f) => xs.reduce((s, x) => s + f(x), 0);
/** Calls `f` on every element (a loop: the callbacks return values that are dropped). */
const each = (xs, f) => {
  for (const x of xs) f(x);
};
const dst = new Uint8Array(Math.max(...L4.map((b) => b.out), ...ZS.map((b) => b.out)));

const l4dec = {};
if (lz4)
  l4dec['lz4 (native, node-gyp)'] = () =>
    each(L4, (b) => lz4.decodeBlock(b.body.subarray(8), dst.subarray(0, b.out)));
if (lz4napi)
  l4dec['lz4-napi uncompressSync (prebuilt)'] = () =>
    each(L4, (b) => {
      const inp = Buffer.allocUnsafe(b.body.length - 4);
      inp.writeUInt32LE(b.out, 0);
      inp.set(b.body.subarray(8), 4);
      dst.set(lz4napi.uncompressSync(inp));
    });
if (lz4js)
  l4dec['lz4js decompressBlock (pure JS)'] = () =>
    each(L4, (b) => lz4js.decompressBlock(b.body, dst, 8, b.body.length - 8, 0));
if (L4.length)
  measure(
    `LZ4 decode, ${L4.length} blocks`,
    sum(L4, (b) => b.out),
    l4dec,
  );

const zsdec = {};
if (zstdBinding) {
  const d = new zstdBinding.DCtx();
  zsdec['zstd-napi (native, node-gyp)'] = () => each(ZS, (b) => d.decompress(dst.subarray(0, b.out), b.body));
}
if (fzstd) zsdec['fzstd (pure JS)'] = () => each(ZS, (b) => fzstd.decompress(b.body, dst.subarray(0, b.out)));
if (bokuweb) zsdec['@bokuweb/zstd-wasm (WASM)'] = () => each(ZS, (b) => dst.set(bokuweb.decompress(b.body)));
if (hpcc) zsdec['@hpcc-js/wasm-zstd (WASM)'] = () => each(ZS, (b) => dst.set(hpcc.decompress(b.body)));
if (ZS.length)
  measure(
    `ZSTD decode, ${ZS.length} blocks`,
    sum(ZS, (b) => b.out),
    zsdec,
  );

// Encode: the same baskets' uncompressed bytes, as the writer compresses them.
const raws = [...L4, ...ZS].map((b) => b.raw);
const rawBytes = sum(raws, (r) => r.length);
const out = new Uint8Array(2 * Math.max(...raws.map((r) => r.length)) + 1024);
const ratio = (enc) => rawBytes / sum(raws, (r) => enc(r));
const enc = {};
if (lz4) enc['lz4 encodeBlock (native)'] = (r) => lz4.encodeBlock(r, out);
if (lz4napi)
  enc['lz4-napi compressSync'] = (r) =>
    lz4napi.compressSync(Buffer.from(r.buffer, r.byteOffset, r.length)).length - 4;
if (lz4js)
  enc['lz4js compressBlock'] = (r) => lz4js.compressBlock(r, out, 0, r.length, new Uint32Array(1 << 16));
if (zstdBinding) {
  const c = new zstdBinding.CCtx();
  enc['zstd-napi level 5 (native)'] = (r) => c.compress(out, r, 5);
}
if (bokuweb) enc['@bokuweb/zstd-wasm level 5'] = (r) => bokuweb.compress(r, 5).length;
if (hpcc) enc['@hpcc-js/wasm-zstd level 5'] = (r) => hpcc.compress(r, 5).length;
for (const [name, f] of Object.entries(enc)) console.log(`ratio ${name.padEnd(34)} ${ratio(f).toFixed(2)}`);
measure(
  `encode, ${raws.length} baskets`,
  rawBytes,
  Object.fromEntries(Object.entries(enc).map(([k, f]) => [k, () => each(raws, f)])),
);
