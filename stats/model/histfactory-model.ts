/** The compiled HistFactory model: flat typed arrays, expected rates, the NLL with its analytic gradient and a Gauss–Newton Hessian. */
import { poissonConstant, poissonDeviance } from '../math/special.js';
import type { ModifierType } from '../spec/types.js';
import type { CompiledModifier, ConstraintKind } from './modifier.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** One named parameter set (scalar or one entry per bin) and its slice of θ. */
export interface ParamSet {
  readonly name: string;
  readonly type: ModifierType;
  readonly offset: number;
  readonly n: number;
  readonly inits: readonly number[];
  readonly bounds: readonly (readonly [number, number])[];
  readonly fixed: readonly boolean[];
  readonly constraint: ConstraintKind;
  readonly auxdata: readonly number[];
  readonly sigmas: readonly number[];
  readonly factors: readonly number[];
}

export interface ChannelLayout {
  readonly name: string;
  readonly nbins: number;
  /** offset of the channel's first bin in the main data */
  readonly offset: number;
  readonly samples: readonly string[];
}

/** Observed (or pseudo) data: main-measurement counts and the auxiliary data of the constraints. */
export interface ModelData {
  readonly main: Float64Array;
  readonly aux: Float64Array;
}

export interface ModelLayout {
  readonly channels: readonly ChannelLayout[];
  readonly params: readonly ParamSet[];
  readonly poi: string | null;
  readonly nominal: Float64Array;
  readonly sbBin: Int32Array;
  readonly modifiers: readonly CompiledModifier[];
}

export class HistFactoryModel {
  readonly channels: readonly ChannelLayout[];
  readonly params: readonly ParamSet[];
  readonly poiName: string | null;
  /** index of the POI in θ, −1 when the measurement has none */
  readonly poiIndex: number;
  readonly nPars: number;
  readonly nMain: number;
  readonly nAux: number;
  /** one label per entry of θ: `name` for scalars, `name[i]` for per-bin sets */
  readonly parLabels: readonly string[];
  readonly modifiers: readonly CompiledModifier[];
  private readonly nominal: Float64Array;
  private readonly sbBin: Int32Array;
  private readonly auxPar: Int32Array;
  private readonly auxPoisson: Uint8Array;
  private readonly auxScale: Float64Array;
  private readonly defaultAux: Float64Array;
  // scratch
  private readonly A: Float64Array;
  private readonly P: Float64Array;
  private readonly zc: Uint16Array;
  private readonly lam: Float64Array;
  private readonly w: Float64Array;
  private readonly constCache = new WeakMap<ModelData, number>();

  constructor(layout: ModelLayout) {
    this.channels = layout.channels;
    this.params = layout.params;
    this.poiName = layout.poi;
    this.modifiers = layout.modifiers;
    this.nominal = layout.nominal;
    this.sbBin = layout.sbBin;
    let np = 0;
    const labels: string[] = [];
    const auxPar: number[] = [];
    const auxPoisson: number[] = [];
    const auxScale: number[] = [];
    const defaultAux: number[] = [];
    for (const p of this.params) {
      np += p.n;
      for (let i = 0; i < p.n; i++) {
        labels.push(
          p.n === 1 && p.type !== 'shapesys' && p.type !== 'staterror' && p.type !== 'shapefactor'
            ? p.name
            : `${p.name}[${i}]`,
        );
        if (p.constraint) {
          auxPar.push(p.offset + i);
          auxPoisson.push(p.constraint === 'poisson' ? 1 : 0);
          auxScale.push(p.constraint === 'poisson' ? p.factors[i]! : p.sigmas[i]!);
          defaultAux.push(p.auxdata[i]!);
        }
      }
    }
    this.nPars = np;
    this.parLabels = labels;
    this.poiIndex = this.poiName ? (this.params.find((p) => p.name === this.poiName)?.offset ?? -1) : -1;
    this.nMain = this.channels.reduce((s, c) => s + c.nbins, 0);
    this.nAux = auxPar.length;
    this.auxPar = Int32Array.from(auxPar);
    this.auxPoisson = Uint8Array.from(auxPoisson);
    this.auxScale = Float64Array.from(auxScale);
    this.defaultAux = Float64Array.from(defaultAux);
    const nsb = this.nominal.length;
    this.A = new Float64Array(nsb);
    this.P = new Float64Array(nsb);
    this.zc = new Uint16Array(nsb);
    this.lam = new Float64Array(this.nMain);
    this.w = new Float64Array(this.nMain);
  }

  /** The flat sample-bin arrays (nominal yields, main-bin index of each), read-only, for other backends (stats/gpu). */
  sampleBins(): { readonly nominal: Float64Array; readonly sbBin: Int32Array; readonly auxPar: Int32Array } {
    return { nominal: this.nominal, sbBin: this.sbBin, auxPar: this.auxPar };
  }

  param(name: string): ParamSet | undefined {
    return this.params.find((p) => p.name === name);
  }

  suggestedInit(): Float64Array {
    const x = new Float64Array(this.nPars);
    for (const p of this.params) for (let i = 0; i < p.n; i++) x[p.offset + i] = p.inits[i]!;
    return x;
  }

  suggestedBounds(): { lo: Float64Array; hi: Float64Array } {
    const lo = new Float64Array(this.nPars);
    const hi = new Float64Array(this.nPars);
    for (const p of this.params)
      for (let i = 0; i < p.n; i++) {
        lo[p.offset + i] = p.bounds[i]![0];
        hi[p.offset + i] = p.bounds[i]![1];
      }
    return { lo, hi };
  }

  suggestedFixed(): Uint8Array {
    const f = new Uint8Array(this.nPars);
    for (const p of this.params) for (let i = 0; i < p.n; i++) f[p.offset + i] = p.fixed[i] ? 1 : 0;
    return f;
  }

  /** Per auxiliary datum: whether its constraint is Poisson (else Gaussian) and its τ (Poisson) or σ (Gaussian). */
  constraints(): { readonly poisson: Uint8Array; readonly scale: Float64Array } {
    return { poisson: this.auxPoisson.slice(), scale: this.auxScale.slice() };
  }

  /** The auxiliary data the measurement config gives (or the modifiers' defaults). */
  auxdata(): Float64Array {
    return this.defaultAux.slice();
  }

  /** Fills the per-sample-bin additive totals A, the product of non-zero factors P and the zero-factor counts. */
  private evalRates(theta: Float64Array): void {
    const { A, P, zc } = this;
    A.set(this.nominal);
    P.fill(1);
    zc.fill(0);
    for (const m of this.modifiers) {
      m.eval(theta);
      const { sb, value } = m;
      const n = sb.length;
      if (m.additive) {
        for (let e = 0; e < n; e++) A[sb[e]!] += value[e]!;
      } else {
        for (let e = 0; e < n; e++) {
          const v = value[e]!;
          if (v === 0) zc[sb[e]!]++;
          else P[sb[e]!] *= v;
        }
      }
    }
    const lam = this.lam;
    lam.fill(0);
    const sbBin = this.sbBin;
    for (let s = 0; s < A.length; s++) if (zc[s] === 0) lam[sbBin[s]!] += A[s]! * P[s]!;
  }

  /** Expected main-measurement counts at θ. */
  expectedMain(theta: Float64Array): Float64Array {
    this.evalRates(theta);
    return this.lam.slice();
  }

  /**
   * Expected yield of every sample-bin at θ (channels, then samples, sorted by name; bins in order — the layout of
   * `channels`). When `jacobian` (nSampleBins × nPars, row-major) is given it receives ∂yield/∂θ, analytically.
   */
  sampleYields(theta: Float64Array, jacobian?: Float64Array): Float64Array {
    this.evalRates(theta);
    const { A, P, zc } = this;
    const out = new Float64Array(A.length);
    for (let s = 0; s < A.length; s++) out[s] = zc[s] === 0 ? A[s]! * P[s]! : 0;
    if (jacobian) {
      const np = this.nPars;
      jacobian.fill(0);
      for (const m of this.modifiers) {
        const { sb, par, value, deriv } = m;
        for (let e = 0; e < sb.length; e++) {
          const s = sb[e]!;
          let d: number;
          if (m.additive) d = zc[s] === 0 ? P[s]! * deriv[e]! : 0;
          else {
            const v = value[e]!;
            const z = zc[s]!;
            d = A[s]! * (v !== 0 ? (z === 0 ? P[s]! / v : 0) : z === 1 ? P[s]! : 0) * deriv[e]!;
          }
          if (d !== 0) jacobian[s * np + par[e]!] += d;
        }
      }
    }
    return out;
  }

  /** Expected auxiliary data at θ: the parameter for Gaussian constraints, τ·γ for Poisson ones. */
  expectedAux(theta: Float64Array): Float64Array {
    const out = new Float64Array(this.nAux);
    for (let j = 0; j < this.nAux; j++) {
      const x = theta[this.auxPar[j]!]!;
      out[j] = this.auxPoisson[j] ? x * this.auxScale[j]! : x;
    }
    return out;
  }

  expectedData(theta: Float64Array): ModelData {
    return { main: this.expectedMain(theta), aux: this.expectedAux(theta) };
  }

  /** Σ c(n) over main and Poisson aux data (see `poissonConstant`) and the Gaussian normalisations: the data-only constant of the NLL. */
  private dataConstant(data: ModelData): number {
    let c = this.constCache.get(data);
    if (c === undefined) {
      c = 0;
      for (let b = 0; b < this.nMain; b++) c += poissonConstant(data.main[b]!);
      for (let j = 0; j < this.nAux; j++) {
        if (this.auxPoisson[j]) c += poissonConstant(data.aux[j]!);
        else c += Math.log(this.auxScale[j]!) + HALF_LOG_2PI;
      }
      this.constCache.set(data, c);
    }
    return c;
  }

  /**
   * −ln L(θ | data) with pyhf's conventions (all constants included); when `grad` is given it receives ∂NLL/∂θ.
   * Returns NaN where a rate is negative.
   */
  nll(theta: Float64Array, data: ModelData, grad?: Float64Array): number {
    this.evalRates(theta);
    const { lam, w } = this;
    const main = data.main;
    let f = this.dataConstant(data);
    for (let b = 0; b < this.nMain; b++) {
      const n = main[b]!;
      const l = lam[b]!;
      f += poissonDeviance(n, l);
      w[b] = n === 0 ? 1 : 1 - n / l;
    }
    const aux = data.aux;
    for (let j = 0; j < this.nAux; j++) {
      const x = theta[this.auxPar[j]!]!;
      const a = aux[j]!;
      const s = this.auxScale[j]!;
      if (this.auxPoisson[j]) {
        f += poissonDeviance(a, x * s);
      } else {
        const z = (a - x) / s;
        f += 0.5 * z * z;
      }
    }
    if (grad) this.gradient(theta, data, grad);
    return f;
  }

  /** ∂NLL/∂θ from the state left by the last `nll` evaluation at the same θ. */
  private gradient(theta: Float64Array, data: ModelData, grad: Float64Array): void {
    grad.fill(0);
    const { A, P, zc, w, sbBin } = this;
    for (const m of this.modifiers) {
      const { sb, par, value, deriv } = m;
      const n = sb.length;
      if (m.additive) {
        for (let e = 0; e < n; e++) {
          const s = sb[e]!;
          if (zc[s] === 0) grad[par[e]!] += w[sbBin[s]!]! * P[s]! * deriv[e]!;
        }
      } else {
        for (let e = 0; e < n; e++) {
          const s = sb[e]!;
          const v = value[e]!;
          const z = zc[s]!;
          const pex = v !== 0 ? (z === 0 ? P[s]! / v : 0) : z === 1 ? P[s]! : 0;
          if (pex !== 0) grad[par[e]!] += w[sbBin[s]!]! * A[s]! * pex * deriv[e]!;
        }
      }
    }
    for (let j = 0; j < this.nAux; j++) {
      const p = this.auxPar[j]!;
      const x = theta[p]!;
      const a = data.aux[j]!;
      const s = this.auxScale[j]!;
      if (this.auxPoisson[j]) grad[p] += s - (a === 0 ? 0 : a / x);
      else grad[p] += (x - a) / (s * s);
    }
  }

  /**
   * Gauss–Newton approximation of the NLL Hessian (row-major nPars × nPars): Σ_b (n_b/λ_b²) J_b J_bᵀ plus the
   * exact constraint curvature. Positive semi-definite; exact at a perfect fit of the main data.
   */
  gaussNewtonHessian(theta: Float64Array, data: ModelData): Float64Array {
    this.evalRates(theta);
    const np = this.nPars;
    const nb = this.nMain;
    const J = new Float64Array(nb * np);
    const { A, P, zc, sbBin, lam } = this;
    for (const m of this.modifiers) {
      const { sb, par, value, deriv } = m;
      for (let e = 0; e < sb.length; e++) {
        const s = sb[e]!;
        let d: number;
        if (m.additive) d = zc[s] === 0 ? P[s]! * deriv[e]! : 0;
        else {
          const v = value[e]!;
          const z = zc[s]!;
          d = A[s]! * (v !== 0 ? (z === 0 ? P[s]! / v : 0) : z === 1 ? P[s]! : 0) * deriv[e]!;
        }
        if (d !== 0) J[sbBin[s]! * np + par[e]!] += d;
      }
    }
    const H = new Float64Array(np * np);
    for (let b = 0; b < nb; b++) {
      const l = lam[b]!;
      const n = data.main[b]!;
      const wt = l > 0 ? (n > 0 ? n / (l * l) : 1 / l) : 0;
      if (wt === 0) continue;
      const row = b * np;
      for (let i = 0; i < np; i++) {
        const ji = J[row + i]!;
        if (ji === 0) continue;
        const c = wt * ji;
        for (let k = 0; k < np; k++) {
          const jk = J[row + k]!;
          if (jk !== 0) H[i * np + k] += c * jk;
        }
      }
    }
    for (let j = 0; j < this.nAux; j++) {
      const p = this.auxPar[j]!;
      const s = this.auxScale[j]!;
      if (this.auxPoisson[j]) {
        const x = theta[p]!;
        const a = data.aux[j]!;
        H[p * np + p] += a > 0 ? a / (x * x) : s / Math.max(x, 1e-10);
      } else H[p * np + p] += 1 / (s * s);
    }
    return H;
  }
}
