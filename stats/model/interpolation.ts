/** HistFactory interpolation codes 0, 1, 2, 4 and 4p: the change of a yield as a function of a nuisance parameter α. */
import { HepqError } from '../../exec/batch/index.js';

export type InterpCode = 'code0' | 'code1' | 'code2' | 'code4' | 'code4p';
export const INTERP_CODES: readonly InterpCode[] = ['code0', 'code1', 'code2', 'code4', 'code4p'];

export function parseInterpCode(text: string): InterpCode {
  const t = text.startsWith('code') ? text : `code${text}`;
  if ((INTERP_CODES as readonly string[]).includes(t)) return t as InterpCode;
  throw new HepqError('stats/interp', `unknown interpolation code '${text}'`, {
    hint: `use one of ${INTERP_CODES.join(', ')}`,
  });
}

/** Coefficients a1..a6 of code 4's polynomial 1 + Σ aᵢαⁱ matching value, slope and curvature of the exponential at α = ±1. */
export function code4Coefficients(up: number, dn: number, out = new Float64Array(6)): Float64Array {
  const lu = Math.log(up);
  const ld = Math.log(dn);
  const S0 = (up - 1 + (dn - 1)) / 2;
  const D0 = (up - dn) / 2;
  const S1 = (up * lu + dn * ld) / 2;
  const D1 = (up * lu - dn * ld) / 2;
  const S2 = (up * lu * lu + dn * ld * ld) / 2;
  const D2 = (up * lu * lu - dn * ld * ld) / 2;
  // odd coefficients: [1 1 1; 1 3 5; 0 6 20] a = [D0 D1 D2]
  const r = (D1 - D0) / 2;
  const a5 = (D2 - 6 * r) / 8;
  const a3 = r - 2 * a5;
  const a1 = D0 - a3 - a5;
  // even coefficients: [1 1 1; 2 4 6; 2 12 30] a = [S0 S1 S2]
  const q = (S1 - 2 * S0) / 2;
  const a6 = (S2 - 2 * S0 - 10 * q) / 8;
  const a4 = q - 2 * a6;
  const a2 = S0 - a4 - a6;
  out[0] = a1;
  out[1] = a2;
  out[2] = a3;
  out[3] = a4;
  out[4] = a5;
  out[5] = a6;
  return out;
}

/**
 * Relative interpolation: the factor f(α) (f(0) = 1, f(1) = up, f(−1) = dn) and df/dα, written to out[0], out[1].
 * Additive codes act on the factor as on a yield with nominal 1.
 */
export function interpFactor(
  code: InterpCode,
  alpha: number,
  up: number,
  dn: number,
  coeffs: Float64Array | null,
  out: Float64Array,
): void {
  switch (code) {
    case 'code1':
      if (alpha >= 0) {
        const v = up ** alpha;
        out[0] = v;
        out[1] = v * Math.log(up);
      } else {
        const v = dn ** -alpha;
        out[0] = v;
        out[1] = -v * Math.log(dn);
      }
      return;
    case 'code4':
      if (alpha >= 1) {
        const v = up ** alpha;
        out[0] = v;
        out[1] = v * Math.log(up);
      } else if (alpha <= -1) {
        const v = dn ** -alpha;
        out[0] = v;
        out[1] = -v * Math.log(dn);
      } else {
        const c = coeffs ?? code4Coefficients(up, dn);
        // f = 1 + α(a1 + α(a2 + ...)), f' = a1 + 2a2α + ... + 6a6α⁵
        let v = c[5]!;
        for (let i = 4; i >= 0; i--) v = v * alpha + c[i]!;
        let d = 6 * c[5]!;
        for (let i = 4; i >= 0; i--) d = d * alpha + (i + 1) * c[i]!;
        out[0] = 1 + alpha * v;
        out[1] = d;
      }
      return;
    default:
      interpDelta(code, alpha, up - 1, 1 - dn, out);
      out[0] += 1;
  }
}

/**
 * Additive interpolation of a yield's change, given du = hi − nom and dd = nom − lo: writes Δ(α) and dΔ/dα.
 * Multiplicative codes are not accepted here (the caller converts them with the nominal).
 */
export function interpDelta(
  code: InterpCode,
  alpha: number,
  du: number,
  dd: number,
  out: Float64Array,
): void {
  switch (code) {
    case 'code0':
      out[0] = alpha >= 0 ? alpha * du : alpha * dd;
      out[1] = alpha >= 0 ? du : dd;
      return;
    case 'code2': {
      const a = 0.5 * (du - dd);
      const b = 0.5 * (du + dd);
      if (alpha > 1) {
        out[0] = (b + 2 * a) * (alpha - 1) + du;
        out[1] = b + 2 * a;
      } else if (alpha < -1) {
        out[0] = (b - 2 * a) * (alpha + 1) - dd;
        out[1] = b - 2 * a;
      } else {
        out[0] = a * alpha * alpha + b * alpha;
        out[1] = 2 * a * alpha + b;
      }
      return;
    }
    case 'code4p': {
      if (alpha > 1) {
        out[0] = alpha * du;
        out[1] = du;
      } else if (alpha < -1) {
        out[0] = alpha * dd;
        out[1] = dd;
      } else {
        const S = 0.5 * (du + dd);
        const A = 0.0625 * (du - dd);
        const a2 = alpha * alpha;
        // Δ = Sα + A(15α² − 10α⁴ + 3α⁶)
        out[0] = S * alpha + A * a2 * (15 + a2 * (3 * a2 - 10));
        out[1] = S + A * alpha * (30 + a2 * (18 * a2 - 40));
      }
      return;
    }
    default:
      throw new HepqError('stats/interp', `interpolation ${code} is multiplicative; it has no additive form`);
  }
}
