/**
 * HistFactory expected rates, NLL and its gradient for many parameter points (and data sets: toys) at once on
 * the GPU — one thread per point — with the same conventions as `HistFactoryModel.nll` (constants included; the
 * data-only constant is added on the host in float64). Float32 arithmetic: see the README for tolerances.
 */
import { HepqError } from '../../exec/batch/index.js';
import type { GpuDevice } from '../../exec/gpu/index.js';
import { poissonConstant } from '../math/special.js';
import type { HistFactoryModel, ModelData } from '../model/histfactory-model.js';
import { elementTables } from './modifier-probe.js';

const WG = 64;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

const KERNEL = /* wgsl */ `
// Seven storage buffers (WebGPU guarantees eight): the model's integer and float tables packed, offsets in U[2].
@group(0) @binding(0) var<storage, read> TI: array<i32>; // eint (sb, par, kind per element) | sbBin | auxi
@group(0) @binding(1) var<storage, read> TF: array<f32>; // ef (8 per element) | nominal | aux scales
@group(0) @binding(2) var<storage, read> thetas: array<f32>;
@group(0) @binding(3) var<storage, read> dmain: array<f32>;
@group(0) @binding(4) var<storage, read> daux: array<f32>;
@group(0) @binding(5) var<storage, read_write> S: array<f32>; // per point: A, P, zero counts (nsb each), lam, w
@group(0) @binding(6) var<storage, read_write> outv: array<f32>;
@group(0) @binding(7) var<uniform> U: array<vec4<u32>, 3>; // K, D, grid width, E | nsb, nMain, nAux, nPars + grad << 31 | sbBin, auxi, nominal, auxs offsets

fn eint(i: u32) -> i32 { return TI[i]; }
fn ef(i: u32) -> f32 { return TF[i]; }
fn sbBin(s: u32) -> i32 { return TI[U[2].x + s]; }
fn auxi(i: u32) -> i32 { return TI[U[2].y + i]; }
fn nominal(s: u32) -> f32 { return TF[U[2].z + s]; }
fn auxs(j: u32) -> f32 { return TF[U[2].w + j]; }

fn pw(b: f32, a: f32) -> f32 { return exp(a * log(b)); }

// (value, d value / d alpha) of element e at alpha.
fn modval(e: u32, a: f32) -> vec2<f32> {
  let kind = eint(3u * e + 2u);
  let u = ef(8u * e);
  let d = ef(8u * e + 1u);
  if (kind == 0) { return vec2<f32>(a, 1.0); }
  if (kind == 1 || kind == 2) {
    if (a >= 1.0 || (kind == 2 && a >= 0.0)) { let v = pw(u, a); return vec2<f32>(v, v * log(u)); }
    if (a <= -1.0 || kind == 2) { let v = pw(d, -a); return vec2<f32>(v, -v * log(d)); }
    var v = ef(8u * e + 7u);
    var g = 6.0 * ef(8u * e + 7u);
    for (var i = 4; i >= 0; i--) {
      v = v * a + ef(8u * e + 2u + u32(i));
      g = g * a + f32(i + 1) * ef(8u * e + 2u + u32(i));
    }
    return vec2<f32>(1.0 + a * v, g);
  }
  if (kind == 3) { if (a >= 0.0) { return vec2<f32>(a * u, u); } return vec2<f32>(a * d, d); }
  if (a > 1.0) { return vec2<f32>(a * u, u); }
  if (a < -1.0) { return vec2<f32>(a * d, d); }
  let S = 0.5 * (u + d);
  let A = 0.0625 * (u - d);
  let a2 = a * a;
  return vec2<f32>(S * a + A * a2 * (15.0 + a2 * (3.0 * a2 - 10.0)), S + A * a * (30.0 + a2 * (18.0 * a2 - 40.0)));
}

fn additive(e: u32) -> bool { return eint(3u * e + 2u) >= 3; }

// n (r - 1 - ln r) with r = l / n, without cancellation near r = 1.
fn dev(n: f32, l: f32) -> f32 {
  if (n == 0.0) { return l; }
  let d = l / n - 1.0;
  if (abs(d) < 0.01) { return n * d * d * (0.5 - d * (1.0 / 3.0 - d * (0.25 - d * 0.2))); }
  return n * (d - log(1.0 + d));
}

@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let k = gid.x + gid.y * U[0].z;
  let K = U[0].x;
  if (k >= K) { return; }
  let E = U[0].w;
  let nsb = U[1].x;
  let nMain = U[1].y;
  let nAux = U[1].z;
  let nPars = U[1].w & 0x7fffffffu;
  let wantGrad = (U[1].w >> 31u) != 0u;
  let ds = k % U[0].y;
  let th = k * nPars;
  let aB = k * (3u * nsb + 2u * nMain);
  let pB = aB + nsb;
  let zB = pB + nsb;
  let lB = zB + nsb;
  let wB = lB + nMain;
  for (var s = 0u; s < nsb; s++) { S[aB + s] = nominal(s); S[pB + s] = 1.0; S[zB + s] = 0.0; }
  for (var e = 0u; e < E; e++) {
    let s = u32(eint(3u * e));
    let v = modval(e, thetas[th + u32(eint(3u * e + 1u))]).x;
    if (additive(e)) { S[aB + s] += v; } else if (v == 0.0) { S[zB + s] += 1.0; } else { S[pB + s] *= v; }
  }
  for (var b = 0u; b < nMain; b++) { S[lB + b] = 0.0; }
  for (var s = 0u; s < nsb; s++) {
    if (S[zB + s] == 0.0) { let b = u32(sbBin(s)); S[lB + b] += S[aB + s] * S[pB + s]; }
  }
  // Kahan-summed NLL without the data constant.
  var f = 0.0;
  var c = 0.0;
  for (var b = 0u; b < nMain; b++) {
    let n = dmain[ds * nMain + b];
    let l = S[lB + b];
    let y = dev(n, l) - c; let t = f + y; c = (t - f) - y; f = t;
    S[wB + b] = select(1.0 - n / l, 1.0, n == 0.0);
  }
  for (var j = 0u; j < nAux; j++) {
    let p = u32(auxi(2u * j));
    let x = thetas[th + p];
    let a = daux[ds * nAux + j];
    let sc = auxs(j);
    var term = 0.0;
    if (auxi(2u * j + 1u) != 0) { term = dev(a, x * sc); } else { let z = (a - x) / sc; term = 0.5 * z * z; }
    let y = term - c; let t = f + y; c = (t - f) - y; f = t;
  }
  let o = k * (nPars + 1u);
  outv[o] = f;
  if (!wantGrad) { return; }
  for (var p = 0u; p < nPars; p++) { outv[o + 1u + p] = 0.0; }
  for (var e = 0u; e < E; e++) {
    let s = u32(eint(3u * e));
    let par = u32(eint(3u * e + 1u));
    let vd = modval(e, thetas[th + par]);
    let w = S[wB + u32(sbBin(s))];
    let z = u32(S[zB + s]);
    if (additive(e)) {
      if (z == 0u) { outv[o + 1u + par] += w * S[pB + s] * vd.y; }
    } else {
      var pex = 0.0;
      if (vd.x != 0.0) { if (z == 0u) { pex = S[pB + s] / vd.x; } } else if (z == 1u) { pex = S[pB + s]; }
      outv[o + 1u + par] += w * S[aB + s] * pex * vd.y;
    }
  }
  for (var j = 0u; j < nAux; j++) {
    let p = u32(auxi(2u * j));
    let x = thetas[th + p];
    let a = daux[ds * nAux + j];
    let sc = auxs(j);
    if (auxi(2u * j + 1u) != 0) { outv[o + 1u + p] += sc - select(a / x, 0.0, a == 0.0); }
    else { outv[o + 1u + p] += (x - a) / (sc * sc); }
  }
}
`;

export interface BatchNllResult {
  /** −ln L per point (constants included), float64 view of the float32 results plus the float64 constant. */
  readonly nll: Float64Array;
  /** Row-major K × nPars gradient, when asked for. */
  readonly grad?: Float64Array;
  /** Row-major K × nMain expected main-measurement rates, when asked for. */
  readonly rates?: Float64Array;
}

/** One model's tables resident on a device; `evaluate` runs many points per dispatch. */
export class GpuNllBatch {
  private constructor(
    readonly gpu: GpuDevice,
    readonly model: HistFactoryModel,
    private readonly bufs: GPUBuffer[],
    private readonly elements: number,
    private readonly nsb: number,
    /** Word offsets of sbBin, auxi (in the int table), nominal, aux scales (in the float table). */
    private readonly offsets: readonly number[],
  ) {}

  /** Uploads `model`'s tables; HepqError('gpu/unsupported') when a modifier has no GPU form. */
  static create(model: HistFactoryModel, gpu: GpuDevice): GpuNllBatch {
    const t = elementTables(model.modifiers, model.nPars);
    const { nominal, sbBin, auxPar } = model.sampleBins();
    const { poisson, scale } = model.constraints();
    // Integer table: elements (3 each) | sbBin | aux (par, poisson); float table: elements (8 each) | nominal | scales.
    const ints = new Int32Array(t.ints.length + sbBin.length + 2 * model.nAux);
    ints.set(t.ints);
    ints.set(sbBin, t.ints.length);
    const auxAt = t.ints.length + sbBin.length;
    for (let j = 0; j < model.nAux; j++) {
      ints[auxAt + 2 * j] = auxPar[j]!;
      ints[auxAt + 2 * j + 1] = poisson[j]!;
    }
    const floats = new Float32Array(t.floats.length + nominal.length + scale.length);
    floats.set(t.floats);
    floats.set(nominal, t.floats.length);
    floats.set(scale, t.floats.length + nominal.length);
    const offsets = [t.ints.length, auxAt, t.floats.length, t.floats.length + nominal.length];
    return new GpuNllBatch(
      gpu,
      model,
      [gpu.upload(ints), gpu.upload(floats)],
      t.count,
      nominal.length,
      offsets,
    );
  }

  /** The data-only constant of the NLL (Poisson c(n), Gaussian normalisations), in float64. */
  private constant(data: ModelData): number {
    const { poisson, scale } = this.model.constraints();
    let c = 0;
    for (const n of data.main) c += poissonConstant(n);
    for (let j = 0; j < data.aux.length; j++)
      c += poisson[j] ? poissonConstant(data.aux[j]!) : Math.log(scale[j]!) + HALF_LOG_2PI;
    return c;
  }

  /**
   * NLL (and gradient) at K points `thetas` (row-major K × nPars) against `data`: one data set for all points,
   * or one per point (toys). Points are chunked so each scratch binding fits the device limit.
   */
  async evaluate(
    thetas: Float64Array,
    data: readonly ModelData[],
    options: { gradient?: boolean; rates?: boolean } = {},
  ): Promise<BatchNllResult> {
    const m = this.model;
    const np = m.nPars;
    const K = thetas.length / np;
    if (!Number.isInteger(K))
      throw new HepqError('gpu/nll', `thetas has ${thetas.length} values, not a multiple of ${np}`);
    if (data.length !== 1 && data.length !== K)
      throw new HepqError('gpu/nll', `give one data set or one per point (${K}), not ${data.length}`);
    const gpu = this.gpu;
    const pipe = await gpu.pipeline(KERNEL);
    const perPoint = 4 * Math.max(3 * this.nsb + 2 * m.nMain, np + 1, 1);
    const chunk = Math.max(1, Math.floor(gpu.maxBindingBytes / perPoint));
    const nll = new Float64Array(K);
    const grad = options.gradient ? new Float64Array(K * np) : undefined;
    const rates = options.rates ? new Float64Array(K * m.nMain) : undefined;
    const stride = 3 * this.nsb + 2 * m.nMain;
    const consts = data.map((d) => this.constant(d));
    for (let k0 = 0; k0 < K; k0 += chunk) {
      const n = Math.min(chunk, K - k0);
      const ds = data.length === 1 ? data : data.slice(k0, k0 + n);
      const dmain = new Float32Array(ds.length * m.nMain);
      const daux = new Float32Array(Math.max(1, ds.length * m.nAux));
      ds.forEach((d, i) => {
        dmain.set(d.main, i * m.nMain);
        daux.set(d.aux, i * m.nAux);
      });
      const own = [
        gpu.upload(Float32Array.from(thetas.subarray(k0 * np, (k0 + n) * np))),
        gpu.upload(dmain),
        gpu.upload(daux),
        gpu.zeros(n * (3 * this.nsb + 2 * m.nMain) * 4),
        gpu.zeros(n * (np + 1) * 4),
      ];
      const u = gpu.uniform(
        new Uint32Array([
          n,
          ds.length,
          gpu.gridWidth(n, WG),
          this.elements,
          this.nsb,
          m.nMain,
          m.nAux,
          (np | (grad ? 0x80000000 : 0)) >>> 0,
          ...this.offsets,
        ]),
      );
      gpu.dispatch(pipe, [...this.bufs, ...own, u], n, WG);
      const out = new Float32Array(await gpu.readback(own[4]!, n * (np + 1) * 4));
      for (let i = 0; i < n; i++) {
        nll[k0 + i] = out[i * (np + 1)]! + consts[data.length === 1 ? 0 : k0 + i]!;
        if (grad) for (let p = 0; p < np; p++) grad[(k0 + i) * np + p] = out[i * (np + 1) + 1 + p]!;
      }
      if (rates) {
        const scratch = new Float32Array(await gpu.readback(own[3]!, n * stride * 4));
        for (let i = 0; i < n; i++)
          rates.set(
            scratch.subarray(i * stride + 3 * this.nsb, i * stride + 3 * this.nsb + m.nMain),
            (k0 + i) * m.nMain,
          );
      }
      gpu.pool.release(...own, u);
    }
    return { nll, ...(grad ? { grad } : {}), ...(rates ? { rates } : {}) };
  }

  /** Returns the model's tables to the device pool. */
  release(): void {
    this.gpu.pool.release(...this.bufs);
  }
}
