/** Special functions the likelihood and the asymptotic formulae need: log-gamma, erfc and the normal CDF/quantile. */

import { lgamma } from '../../exec/core/index.js';

export { lgamma };

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Complementary error function, accurate to ~1e-14 relative over the whole real line. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2.5) {
    // erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n (2x^2)^n x / (1*3*...*(2n+1)): all terms positive
    const x2 = 2 * x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= x2 / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
  }
  if (x > 27) return 0;
  // continued fraction sqrt(pi) e^{x^2} erfc(x) = 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated backwards
  let t = x;
  for (let k = 160; k >= 1; k--) t = x + k / 2 / t;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / t;
}

/** log erfc(x), finite far beyond where erfc(x) itself underflows (x > 27). */
export function logErfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 2.5) return Math.log(erfc(x));
  if (x === Number.POSITIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  // the continued fraction of erfc above, kept in logs: log erfc(x) = −x² − log √π − log t
  let t = x;
  for (let k = 160; k >= 1; k--) t = x + k / 2 / t;
  return -x * x - 0.5 * Math.log(Math.PI) - Math.log(t);
}

/** log Φ(x), finite for every finite x (p-values far below the smallest double). */
export function normalLogCdf(x: number): number {
  return x < -2.5 * Math.SQRT2 ? Math.log(0.5) + logErfc(-x / Math.SQRT2) : Math.log(normalCdf(x));
}

/** Standard normal CDF Φ(x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Standard normal quantile Φ⁻¹(p), by bisection refined with Newton steps on `normalCdf`. */
export function normalQuantile(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  if (p > 0.5) return -normalQuantile(1 - p);
  let lo = -40;
  let hi = 0;
  for (let i = 0; i < 60; i++) {
    const mid = 0.5 * (lo + hi);
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  let x = 0.5 * (lo + hi);
  for (let i = 0; i < 3; i++) {
    const pdf = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    if (pdf <= 0) break;
    x -= (normalCdf(x) - p) / pdf;
  }
  return x;
}

/** log of the Poisson probability (continuous in n) with pyhf's convention: n ln λ − λ − ln Γ(n+1). */
export function poissonLogpdf(n: number, lam: number): number {
  return (n === 0 ? 0 : n * Math.log(lam)) - lam - lgamma(n + 1);
}

/** log of the normal density N(x | mu, sigma), constants included. */
export function normalLogpdf(x: number, mu: number, sigma: number): number {
  const z = (x - mu) / sigma;
  return -0.5 * z * z - Math.log(sigma) - HALF_LOG_2PI;
}

/**
 * c(n) = n − n ln n + ln Γ(n+1), the data-only part of −ln Poisson(n | λ) written as n·(r − 1 − ln r) + c(n) with r = λ/n.
 * Splitting it this way keeps the NLL accurate to ~1e-12 absolute even for auxdata of 1e11 (tiny shapesys uncertainties).
 */
export function poissonConstant(n: number): number {
  if (n === 0) return 0;
  if (n < 30) return n - n * Math.log(n) + lgamma(n + 1);
  const inv = 1 / n;
  const inv2 = inv * inv;
  return 0.5 * Math.log(2 * Math.PI * n) + inv * (1 / 12 - inv2 * (1 / 360 - inv2 / 1260));
}

/** n·(r − 1 − ln r) with r = λ/n (λ when n = 0): the λ-dependent part of −ln Poisson(n | λ), computed without cancellation. */
export function poissonDeviance(n: number, lam: number): number {
  if (n === 0) return lam;
  const d = lam / n - 1;
  return n * (d - Math.log1p(d));
}
