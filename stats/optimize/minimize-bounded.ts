/**
 * A bounded quasi-Newton minimiser: active-set projected BFGS on a dense Hessian approximation that starts from (and is
 * reset to) a caller-supplied curvature matrix, with a projected Armijo line search.
 */
import { cholesky, choleskySolve } from './linalg.js';

export interface MinimizeProblem {
  /** f(x), writing ∇f into g */
  fg(x: Float64Array, g: Float64Array): number;
  /** a positive semi-definite curvature estimate at x (row-major n×n), e.g. Gauss–Newton */
  curvature(x: Float64Array): Float64Array;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  /** 1 where the variable may move */
  readonly free: Uint8Array;
}

export interface MinimizeOptions {
  readonly maxIterations?: number;
  /** stop when the predicted decrease ½ gᵀB⁻¹g falls below this */
  readonly decrementTolerance?: number;
}

export interface MinimizeResult {
  readonly x: Float64Array;
  readonly f: number;
  readonly grad: Float64Array;
  readonly iterations: number;
  readonly evaluations: number;
  readonly converged: boolean;
  readonly message: string;
}

export function minimizeBounded(
  problem: MinimizeProblem,
  x0: Float64Array,
  options: MinimizeOptions = {},
): MinimizeResult {
  const { lo, hi, free } = problem;
  const n = x0.length;
  const maxIt = options.maxIterations ?? 500;
  const decTol = options.decrementTolerance ?? 1e-11;
  const x = x0.slice();
  for (let i = 0; i < n; i++) if (free[i]) x[i] = Math.min(hi[i]!, Math.max(lo[i]!, x[i]!));
  let g = new Float64Array(n);
  let evaluations = 1;
  let f = problem.fg(x, g);
  if (!Number.isFinite(f))
    return {
      x,
      f,
      grad: g,
      iterations: 0,
      evaluations,
      converged: false,
      message: 'the NLL is not finite at the initial point',
    };
  let B = problem.curvature(x);
  let sinceReset = 0;
  const xt = new Float64Array(n);
  let gt = new Float64Array(n);
  const idx = new Int32Array(n);
  let message = 'iteration limit reached';
  let converged = false;
  let it = 0;
  for (; it < maxIt; it++) {
    // active set: free variables not pinned at a bound by the gradient
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (!free[i]) continue;
      if (x[i]! <= lo[i]! && g[i]! > 0) continue;
      if (x[i]! >= hi[i]! && g[i]! < 0) continue;
      idx[m++] = i;
    }
    if (m === 0) {
      converged = true;
      message = 'all free parameters at bounds';
      break;
    }
    const d = solveReduced(B, n, idx, m, g);
    let slope = 0;
    for (let k = 0; k < m; k++) slope += g[idx[k]!]! * d[k]!;
    if (!(slope < 0)) {
      if (sinceReset > 0) {
        B = problem.curvature(x);
        sinceReset = 0;
        it--;
        continue;
      }
      // curvature useless: fall back to steepest descent
      for (let k = 0; k < m; k++) d[k] = -g[idx[k]!]!;
      slope = 0;
      for (let k = 0; k < m; k++) slope -= g[idx[k]!]! ** 2;
    }
    if (-slope / 2 < decTol) {
      converged = true;
      message = 'converged';
      break;
    }
    // projected backtracking line search
    let t = 1;
    let ft = Number.NaN;
    let accepted = false;
    for (let ls = 0; ls < 60; ls++) {
      xt.set(x);
      let dec = 0;
      for (let k = 0; k < m; k++) {
        const i = idx[k]!;
        const v = Math.min(hi[i]!, Math.max(lo[i]!, x[i]! + t * d[k]!));
        xt[i] = v;
        dec += g[i]! * (v - x[i]!);
      }
      ft = problem.fg(xt, gt);
      evaluations++;
      if (Number.isFinite(ft) && ft <= f + 1e-4 * dec) {
        accepted = true;
        break;
      }
      t *= ls < 2 ? 0.5 : 0.2;
    }
    if (!accepted) {
      if (sinceReset > 0) {
        B = problem.curvature(x);
        sinceReset = 0;
        continue;
      }
      message = 'line search failed';
      converged = -slope / 2 < 1e-6;
      break;
    }
    // BFGS update of B with s = xt − x, y = gt − g
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    let sy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xt[i]! - x[i]!;
      y[i] = gt[i]! - g[i]!;
      sy += s[i]! * y[i]!;
    }
    const Bs = new Float64Array(n);
    let sBs = 0;
    for (let i = 0; i < n; i++) {
      if (s[i] === 0) continue;
      for (let j = 0; j < n; j++) Bs[j] += B[j * n + i]! * s[i]!;
    }
    for (let i = 0; i < n; i++) sBs += s[i]! * Bs[i]!;
    let ynorm = 0;
    let snorm = 0;
    for (let i = 0; i < n; i++) {
      ynorm += y[i]! * y[i]!;
      snorm += s[i]! * s[i]!;
    }
    if (sy > 1e-12 * Math.sqrt(ynorm * snorm) && sBs > 0) {
      for (let i = 0; i < n; i++) {
        const yi = y[i]! / sy;
        const bi = Bs[i]! / sBs;
        if (yi === 0 && bi === 0) continue;
        for (let j = 0; j < n; j++) B[i * n + j] += yi * y[j]! - bi * Bs[j]!;
      }
      sinceReset++;
    }
    x.set(xt);
    const swap = g;
    g = gt;
    gt = swap;
    const df = f - ft;
    f = ft;
    if (df >= 0 && df < 1e-15 * Math.max(1, Math.abs(f)) && -slope / 2 < 1e-8) {
      converged = true;
      message = 'converged (no further decrease)';
      break;
    }
  }
  return { x, f, grad: g, iterations: it, evaluations, converged, message };
}

/** Solves B_FF d = −g_F on the index set F, regularising B_FF until it is positive definite. */
function solveReduced(B: Float64Array, n: number, idx: Int32Array, m: number, g: Float64Array): Float64Array {
  const sub = new Float64Array(m * m);
  let maxDiag = 0;
  for (let a = 0; a < m; a++) maxDiag = Math.max(maxDiag, Math.abs(B[idx[a]! * n + idx[a]!]!));
  let ridge = 1e-12 * Math.max(maxDiag, 1e-300);
  for (let attempt = 0; attempt < 30; attempt++) {
    for (let a = 0; a < m; a++) {
      const ia = idx[a]! * n;
      for (let b = 0; b < m; b++) sub[a * m + b] = B[ia + idx[b]!]!;
      sub[a * m + a] += ridge;
    }
    if (cholesky(sub, m)) {
      const d = new Float64Array(m);
      for (let a = 0; a < m; a++) d[a] = -g[idx[a]!]!;
      choleskySolve(sub, m, d);
      return d;
    }
    ridge = Math.max(ridge * 100, 1e-10);
  }
  const d = new Float64Array(m);
  for (let a = 0; a < m; a++) d[a] = -g[idx[a]!]!;
  return d;
}
