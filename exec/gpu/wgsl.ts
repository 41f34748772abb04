/** WGSL source of the building-block kernels: segmented reductions, block scans for compaction, histogram fill. */
import { binFunctionWgsl } from '../../planner/ir/index.js';

/** Workgroup size of every kernel: within compatibility-mode defaults (128 invocations, 128 in x). */
export const WG = 64;

/** The float-add of a histogram weight with a compare-and-swap loop on the value's bits. */
export const ATOMIC_ADD_F32 = /* wgsl */ `
fn atomic_add_f32(p: ptr<storage, atomic<u32>, read_write>, v: f32) {
  var old = atomicLoad(p);
  loop {
    let r = atomicCompareExchangeWeak(p, old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) { break; }
    old = r.old_value;
  }
}
`;

export type SegmentOp = 'count' | 'sum' | 'min' | 'max' | 'argmax';

/**
 * One thread per segment over Arrow offsets (`offs[i]..offs[i+1]`). `count` and `argmax` write i32 (−1 for an
 * empty segment), `sum` f32 (0 when empty), `min`/`max` f32 (NaN when empty). NaN values are skipped by min/max.
 */
export function segmentedReduceWgsl(op: SegmentOp): string {
  const intOut = op === 'count' || op === 'argmax';
  let body: string;
  switch (op) {
    case 'count':
      body = '_ = arrayLength(&vals); out[i] = e - s;';
      break;
    case 'sum':
      body = 'var acc = 0.0; for (var j = s; j < e; j++) { acc += vals[j]; } out[i] = acc;';
      break;
    case 'min':
    case 'max':
    case 'argmax': {
      const better = op === 'min' ? 'v < best' : 'v > best';
      body = `var best = 0.0; var at = -1;
    for (var j = s; j < e; j++) { let v = vals[j]; if (v != v) { continue; } if (at < 0 || ${better}) { best = v; at = j - s; } }
    ${op === 'argmax' ? 'out[i] = at;' : 'if (at < 0) { out[i] = bitcast<f32>(P.z | 0x7fc00000u); } else { out[i] = best; }'}`;
      break;
    }
  }
  return /* wgsl */ `
@group(0) @binding(0) var<storage, read> offs: array<i32>;
@group(0) @binding(1) var<storage, read> vals: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<${intOut ? 'i32' : 'f32'}>;
@group(0) @binding(3) var<uniform> P: vec4<u32>; // n, grid width, 0 (for a runtime NaN)
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x + gid.y * P.y;
  if (i >= P.x) { return; }
  let s = offs[i];
  let e = offs[i + 1u];
  ${body}
}
`;
}

/**
 * Block-wise exclusive scan of u32 `src` (workgroup-shared Hillis–Steele): `dst[i]` = sum of `src` before `i`
 * within its block of WG, `sums[block]` = the block's total.
 */
export const SCAN_BLOCKS = /* wgsl */ `
@group(0) @binding(0) var<storage, read> src: array<u32>;
@group(0) @binding(1) var<storage, read_write> dst: array<u32>;
@group(0) @binding(2) var<storage, read_write> sums: array<u32>;
@group(0) @binding(3) var<uniform> P: vec4<u32>; // n, grid width
var<workgroup> tmp: array<u32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_index) l: u32) {
  let i = gid.x + gid.y * P.y;
  var v = 0u;
  if (i < P.x) { v = src[i]; }
  tmp[l] = v;
  workgroupBarrier();
  for (var d = 1u; d < ${WG}u; d = d * 2u) {
    var add = 0u;
    if (l >= d) { add = tmp[l - d]; }
    workgroupBarrier();
    tmp[l] = tmp[l] + add;
    workgroupBarrier();
  }
  if (i < P.x) { dst[i] = tmp[l] - v; }
  if (l == ${WG - 1}u) { sums[i / ${WG}u] = tmp[l]; }
}
`;

/** Adds each block's scanned offset to its elements (second pass of the scan). */
export const SCAN_ADD = /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> dst: array<u32>;
@group(0) @binding(1) var<storage, read> sums: array<u32>;
@group(0) @binding(2) var<uniform> P: vec4<u32>;
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x + gid.y * P.y;
  if (i >= P.x) { return; }
  dst[i] = dst[i] + sums[i / ${WG}u];
}
`;

/** Writes the index of every set mask entry to its scanned slot, and the total to `count[0]`. */
export const SCATTER = /* wgsl */ `
@group(0) @binding(0) var<storage, read> mask: array<u32>;
@group(0) @binding(1) var<storage, read> pos: array<u32>;
@group(0) @binding(2) var<storage, read_write> idx: array<u32>;
@group(0) @binding(3) var<storage, read_write> count: array<u32>;
@group(0) @binding(4) var<uniform> P: vec4<u32>;
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x + gid.y * P.y;
  if (i >= P.x) { return; }
  let m = mask[i] != 0u;
  if (m) { idx[pos[i]] = i; }
  if (i == P.x - 1u) { count[0] = pos[i] + select(0u, 1u, m); }
}
`;

/** Gathers `vals[idx[i]]` (used after a compaction). */
export const GATHER = /* wgsl */ `
@group(0) @binding(0) var<storage, read> idx: array<u32>;
@group(0) @binding(1) var<storage, read> vals: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
@group(0) @binding(3) var<uniform> P: vec4<u32>;
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x + gid.y * P.y;
  if (i >= P.x) { return; }
  out[i] = vals[idx[i]];
}
`;

/**
 * Histogram fill helpers for `dims` axes, bound from binding `b0`: per-axis float32 edge thresholds
 * (`edgeThresholds`), atomic u32 counts laid out [underflow, bins…, overflow], and, when weighted, atomic f32
 * (sumw, sumw2) pairs in the same layout. Declares `fn hist_fill(x: f32[, y: f32], w: f32)`.
 * `bins` (per axis) is written into the code: the edge buffers may be longer than the edges (uploads are at
 * least 16 bytes, so 1 or 2 bins would read a stale edge past the last one), so their length cannot say it.
 */
export function histWgsl(
  b0: number,
  dims: 1 | 2,
  weighted: boolean,
  bins: readonly number[],
): { code: string; bindings: number } {
  const axes = dims === 1 ? ['x'] : ['x', 'y'];
  const nbOf = (k: number) => {
    const n = bins[k];
    if (n === undefined || !Number.isInteger(n) || n < 1) throw new Error(`histWgsl: bad bin count ${n}`);
    return `${n}i`;
  };
  let b = b0;
  const decl: string[] = [];
  for (const a of axes) decl.push(`@group(0) @binding(${b++}) var<storage, read> edges_${a}: array<f32>;`);
  decl.push(`@group(0) @binding(${b++}) var<storage, read_write> hist_n: array<atomic<u32>>;`);
  if (weighted) decl.push(`@group(0) @binding(${b++}) var<storage, read_write> hist_w: array<atomic<u32>>;`);
  const binFns = axes
    .map((a, k) => `\n${binFunctionWgsl(`bin_${a}`, `edges_${a}`, Number.parseInt(nbOf(k), 10))}`)
    .join('\n');
  const slot =
    dims === 1
      ? `let i = bin_x(x); if (i == -2) { return; }
  let nb = ${nbOf(0)};
  var k = 0u;
  if (i < 0) { k = 0u; } else if (i >= nb) { k = u32(nb) + 1u; } else { k = u32(i) + 1u; }`
      : `let i = bin_x(x); let j = bin_y(y); if (i == -2 || j == -2) { return; }
  let nx = ${nbOf(0)}; let ny = ${dims === 2 ? nbOf(1) : '0i'};
  var k = 0u;
  if (i < 0 || j < 0) { k = 0u; } else if (i >= nx || j >= ny) { k = u32(nx * ny) + 1u; } else { k = u32(i * ny + j) + 1u; }`;
  const add = weighted
    ? 'atomicAdd(&hist_n[k], 1u); atomic_add_f32(&hist_w[2u * k], w); atomic_add_f32(&hist_w[2u * k + 1u], w * w);'
    : 'atomicAdd(&hist_n[k], 1u);';
  const params = dims === 1 ? 'x: f32, w: f32' : 'x: f32, y: f32, w: f32';
  const code = `${decl.join('\n')}
${weighted ? ATOMIC_ADD_F32 : ''}
${binFns}
fn hist_fill(${params}) {
  ${slot}
  ${add}
}`;
  return { code, bindings: b - b0 };
}

/** A standalone fill kernel over float32 columns (x[, y][, w]), built on `histWgsl`. */
export function histKernelWgsl(dims: 1 | 2, weighted: boolean, bins: readonly number[]): string {
  const cols = dims === 1 ? ['x'] : ['x', 'y'];
  if (weighted) cols.push('w');
  const decl = cols.map((c, i) => `@group(0) @binding(${i}) var<storage, read> col_${c}: array<f32>;`);
  const h = histWgsl(cols.length, dims, weighted, bins);
  const args = [...(dims === 1 ? ['col_x[i]'] : ['col_x[i]', 'col_y[i]']), weighted ? 'col_w[i]' : '1.0'];
  return `${decl.join('\n')}
${h.code}
@group(0) @binding(${cols.length + h.bindings}) var<uniform> P: vec4<u32>;
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x + gid.y * P.y;
  if (i >= P.x) { return; }
  hist_fill(${args.join(', ')});
}
`;
}
