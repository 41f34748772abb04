/**
 * `hepq limit --scan` never reports a grid artefact as a limit: where the grid is too coarse near a crossing, or ends
 * before it, the limit comes from root finding and a warning names it. Expected limits: pyhf's reference
 * (toms748 root finding) for the 2-bin example workspace.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/shared-data.js';

const STATS = `${SHARED}data/stats/`;
const WS = `${STATS}workspaces/pyhf_examples/2-bin_1-channel.json`;

describe.skipIf(!existsSync(WS))('limit --scan', () => {
  const ref = existsSync(WS)
    ? JSON.parse(readFileSync(`${STATS}expected_values.json`, 'utf8')).cases.pyhf_2bin_1channel
        .upper_limit_toms748
    : undefined;
  const close = (a: number, b: number) => Math.abs(a - b) < 2e-3 * Math.abs(b);

  it('a coarse grid: the limits are the root-found ones, with a warning for each one the grid got wrong', async () => {
    const r = await runCli('limit', WS, '--scan', '0:5:3', '--json');
    expect(r.code).toBe(0);
    const row = JSON.parse(r.out);
    expect(close(row.obs, ref.obs), `${row.obs} vs ${ref.obs}`).toBe(true);
    row.exp.forEach((v: number, k: number) => {
      expect(close(v, ref.exp[k]), `${k}: ${v}`).toBe(true);
    });
    expect(r.err).toMatch(
      /warning: the scan grid is too coarse for the observed limit: it interpolates [\d.]+, the limit is 2\.12/,
    );
    expect(r.err).toContain('hint: the reported limits come from root finding');
  });

  it('a scan ending before a limit says so instead of reporting its end', async () => {
    const r = await runCli('limit', WS, '--scan', '0:3:31', '--json');
    const row = JSON.parse(r.out);
    expect(close(row.exp[4], ref.exp[4])).toBe(true);
    expect(row.exp[4]).toBeGreaterThan(3);
    expect(r.err).toMatch(/warning: the expected \+2σ limit lies beyond the scan's end \(μ = 3\): 3\.93/);
    // the observed limit, inside a fine grid, keeps the scan's interpolation (within 1% of the root)
    expect(r.err).not.toContain('observed');
    expect(Math.abs(row.obs - ref.obs)).toBeLessThan(0.01 * ref.obs);
  });
});
