import { describe, expect, it } from 'vitest';
import {
  code4Coefficients,
  interpDelta,
  interpFactor,
  lgamma,
  normalCdf,
  normalQuantile,
} from '../../stats/index.js';

describe('special functions', () => {
  it('normal CDF matches tabulated tail probabilities to 1e-13 relative', () => {
    const table: [number, number][] = [
      [-1, 0.15865525393145707],
      [-2, 0.022750131948179195],
      [-3, 0.0013498980316300933],
      [-5, 2.866515718791939e-7],
      [0, 0.5],
    ];
    for (const [x, p] of table) expect(Math.abs(normalCdf(x) - p) / p).toBeLessThan(1e-13);
    expect(normalQuantile(0.022750131948179195)).toBeCloseTo(-2, 10);
  });
  it('lgamma equals log factorials', () => {
    let lf = 0;
    for (let n = 1; n < 200; n++) {
      lf += Math.log(n);
      expect(Math.abs(lgamma(n + 1) - lf)).toBeLessThan(1e-12 * Math.max(1, lf));
    }
  });
});

describe('interpolation codes', () => {
  const out = new Float64Array(2);
  it('code4 is continuous with value, slope and curvature at |α| = 1', () => {
    const up = 1.3;
    const dn = 0.8;
    const c = code4Coefficients(up, dn);
    for (const a of [1, -1]) {
      const f = (x: number) => {
        interpFactor('code4', x, up, dn, c, out);
        return out[0]!;
      };
      const h = 1e-12;
      expect(f(a - h * Math.sign(a))).toBeCloseTo(f(a + h * Math.sign(a)), 10);
      interpFactor('code4', a * (1 - 1e-9), up, dn, c, out);
      const inner = out[1]!;
      interpFactor('code4', a * (1 + 1e-9), up, dn, c, out);
      expect(inner).toBeCloseTo(out[1]!, 6);
    }
    interpFactor('code4', 0, up, dn, c, out);
    expect(out[0]).toBe(1);
  });
  it('code4p and code0 hit the variations at α = ±1', () => {
    for (const code of ['code0', 'code2', 'code4p'] as const) {
      interpDelta(code, 1, 5, 3, out);
      expect(out[0]).toBeCloseTo(5, 12);
      interpDelta(code, -1, 5, 3, out);
      expect(out[0]).toBeCloseTo(-3, 12);
    }
  });
});
