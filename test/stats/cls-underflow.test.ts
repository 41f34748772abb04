/** CLs far in the tails: p-values that underflow doubles (0/0 before) give honest numbers, logs and a warning. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HepqError } from '../../exec/batch/index.js';
import { hypotest, normalCdf, normalLogCdf, Workspace } from '../../stats/index.js';
import { runCli } from '../helpers/cli.js';
import { HAVE_DATA, STATS_DIR } from './reference-cases.js';

/** log Φ(−x) for large x by its asymptotic series (Abramowitz & Stegun 26.2.12), independent of the code under test. */
function logPhiTail(x: number): number {
  return (
    -0.5 * x * x - Math.log(x * Math.sqrt(2 * Math.PI)) + Math.log1p(-1 / x ** 2 + 3 / x ** 4 - 15 / x ** 6)
  );
}

/** One bin, signal 1 on a background of 10000 with no uncertainty, 5000 observed: q̃μ and q̃μ,A in closed form. */
function weakSignal(observed: number) {
  return {
    channels: [
      {
        name: 'ch',
        samples: [
          { name: 'sig', data: [1], modifiers: [{ name: 'mu', type: 'normfactor', data: null }] },
          { name: 'bkg', data: [10000], modifiers: [] },
        ],
      },
    ],
    observations: [{ name: 'ch', data: [observed] }],
    measurements: [{ name: 'm', config: { poi: 'mu', parameters: [] } }],
    version: '1.0.0',
  };
}

describe('log Φ', () => {
  it('agrees with log(Φ) where Φ is representable, and with the asymptotic series far beyond', () => {
    for (const x of [-1, -3, -5, -10, -20, -30, -37])
      expect(normalLogCdf(x)).toBeCloseTo(Math.log(normalCdf(x)), 9);
    for (const x of [40, 100, 1000, 1e5]) {
      expect(normalCdf(-x)).toBe(0);
      const want = logPhiTail(x);
      expect(Math.abs(normalLogCdf(-x) - want) / Math.abs(want)).toBeLessThan(1e-12);
    }
  });
});

describe('asymptotic CLs when both p-values underflow', () => {
  it('a weak signal over a deep deficit: CLs ≈ 0.606 from logs, where CLs+b / CLb was 0/0', () => {
    const s = 1;
    const b = 10000;
    const n = 5000;
    // No nuisance parameters: the fits are closed form (μ̂ clipped at 0 for q̃μ, Asimov at μ = 0).
    const qA = 2 * (s - b * Math.log1p(s / b));
    const q = 2 * (s - n * Math.log1p(s / b));
    const sqA = Math.sqrt(qA);
    const t = (q - qA) / (2 * sqA); // ≈ 50: Φ(−t) is 0 in doubles
    expect(normalCdf(-t)).toBe(0);
    const want = Math.exp(logPhiTail(t + sqA) - logPhiTail(t));
    const ws = Workspace.fromJSON(weakSignal(n));
    const model = ws.model();
    const r = hypotest(1, model, ws.data(model));
    expect(r.qObs).toBeCloseTo(q, 6);
    expect(Math.abs(r.clsObs - want) / want).toBeLessThan(1e-6);
    expect(r.log10ClsObs! * Math.LN10).toBeCloseTo(Math.log(want), 6);
    for (const v of r.clsExp) expect(Number.isFinite(v)).toBe(true);
  });

  it('a test statistic that is not finite is a located error, not a NaN CLs', () => {
    const ws = Workspace.fromJSON(weakSignal(1e308));
    const model = ws.model();
    expect(() => hypotest(1, model, ws.data(model))).toThrow(HepqError);
  });
});

describe.skipIf(!HAVE_DATA)('hepq cls on a 3000-bin coupled-histosys model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hepq-cls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says which CLs values underflow, with their log10, instead of printing null and zeros silently', async () => {
    // The validation workspace with every bin repeated 750 times: 2 channels × 1500 bins.
    const doc = JSON.parse(
      readFileSync(
        `${STATS_DIR}workspaces/pyhf_validation/validation_2bin_2channel_coupledhistosys.json`,
        'utf8',
      ),
    );
    const repeat = (o: unknown): void => {
      if (Array.isArray(o)) for (const x of o) repeat(x);
      else if (o && typeof o === 'object')
        for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
          if (['data', 'hi_data', 'lo_data'].includes(k) && Array.isArray(v) && typeof v[0] === 'number')
            (o as Record<string, unknown>)[k] = v.flatMap((x) => Array(750).fill(x));
          else repeat(v);
        }
    };
    repeat(doc);
    const file = join(dir, 'big.json');
    writeFileSync(file, JSON.stringify(doc));
    const r = await runCli('cls', file, '--json');
    expect(r.code).toBe(0);
    const row = JSON.parse(r.out);
    expect(typeof row.cls_obs).toBe('number');
    expect(row.cls_exp.every((v: unknown) => typeof v === 'number')).toBe(true);
    expect(row.cls_exp_log10).toHaveLength(5);
    for (const [i, v] of row.cls_exp.entries()) {
      const log10 = row.cls_exp_log10[i];
      expect(Number.isFinite(log10)).toBe(true);
      // an underflowed value is reported as 0 only when its log10 lies below the smallest double's
      if (v === 0) expect(log10).toBeLessThan(-323);
    }
    expect(r.err).toMatch(/warning: \d CLs value\(s\) underflow double precision/);
  });
});
