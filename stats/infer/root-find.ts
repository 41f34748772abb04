/** Brent's method for a bracketed root of a scalar function (used for upper limits). */
import { HepqError } from '../../exec/batch/index.js';

export interface RootOptions {
  readonly xtol?: number;
  readonly rtol?: number;
  readonly maxIterations?: number;
}

export function brentRoot(
  f: (x: number) => number,
  a: number,
  b: number,
  options: RootOptions = {},
  fa = f(a),
  fb = f(b),
): number {
  const xtol = options.xtol ?? 1e-10;
  const rtol = options.rtol ?? 1e-10;
  const maxIt = options.maxIterations ?? 200;
  if (fa === 0) return a;
  if (fb === 0) return b;
  if (fa * fb > 0)
    throw new HepqError(
      'stats/root-find',
      `the interval [${a}, ${b}] does not bracket the root (f = ${fa}, ${fb})`,
      {
        hint: 'widen the POI range of the limit search',
      },
    );
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let i = 0; i < maxIt; i++) {
    if (fb * fc > 0) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = 2 * Number.EPSILON * Math.abs(b) + 0.5 * Math.max(xtol, rtol * Math.abs(b));
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol || fb === 0) return b;
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      let p: number;
      let q: number;
      const s = fb / fa;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    fb = f(b);
  }
  return b;
}
