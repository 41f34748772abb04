import { describe, expect, it } from 'vitest';
import { main } from '../../server/cli/main.js';
import { close, expected, HAVE_DATA, STATS_DIR } from './reference-cases.js';

async function run(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
  });
  return { code, out, err };
}

describe.skipIf(!HAVE_DATA)('hepq fit | cls | limit', () => {
  const ws = `${STATS_DIR}workspaces/pyhf_examples/2-bin_1-channel.json`;
  const exp = () => expected('pyhf_2bin_1channel');

  it('fit --json gives twice_nll and parameters', async () => {
    const r = await run(['fit', ws, '--json']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.twice_nll).toBeLessThanOrEqual(exp().mle.twice_nll + 1e-6);
    const mu = j.parameters.find((p: { name: string }) => p.name === 'mu');
    expect(Math.abs(mu.value - exp().mle.bestfit.mu)).toBeLessThan(0.02 * exp().mle_minuit.uncertainties.mu);
  });

  it('fit falls back to no POI on a background-only workspace that names its signal POI', async () => {
    const r = await run([
      'fit',
      `${STATS_DIR}workspaces/atlas_sbottom_multib/RegionA/BkgOnly.json`,
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('fitting without a POI');
    const e = expected('sbottom_RegionA_bkgonly');
    expect(JSON.parse(r.out).twice_nll).toBeLessThanOrEqual(
      Math.min(e.mle.twice_nll, e.mle_minuit.twice_nll) + 1e-6,
    );
  });

  it('cls --json matches the reference', async () => {
    const r = await run(['cls', ws, '--json']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.mu).toBe(1);
    expect(close(j.cls_obs, exp().cls.CLs_obs, 1e-4, 1e-6)).toBe(true);
    j.cls_exp.forEach((v: number, i: number) => {
      expect(close(v, exp().cls.CLs_exp[i], 1e-4, 1e-6)).toBe(true);
    });
  });

  it('limit --json matches the reference', async () => {
    const r = await run(['limit', ws, '--json']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(close(j.obs, exp().upper_limit_toms748.obs, 1.5e-4)).toBe(true);
    expect(j.exp).toHaveLength(5);
  });

  it('cls with a JSON patch and with a patchset entry', async () => {
    const e = expected('sbottom_RegionA_1300_205_60');
    const r = await run([
      'cls',
      `${STATS_DIR}${e.workspace_file}`,
      '--patch',
      `${STATS_DIR}${e.patch.jsonpatch}`,
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    expect(close(JSON.parse(r.out).cls_obs, e.cls.CLs_obs, 1e-4, 1e-6)).toBe(true);
    const f = expected('fixture_example_patchset');
    const all = await run([
      'cls',
      `${STATS_DIR}${f.workspace_file}`,
      '-p',
      `${STATS_DIR}${f.patch.patchset}`,
      '--json',
    ]);
    expect(all.code, all.err).toBe(0);
    const rows = all.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows[0].patch).toBe(f.patch.patch_name);
    expect(close(rows[0].cls_obs, f.cls.CLs_obs, 1e-4, 1e-6)).toBe(true);
  });

  it('cls --calc toys is seeded and reproducible', async () => {
    const a = await run(['cls', ws, '--calc', 'toys', '--ntoys', '300', '--seed', '3', '--json']);
    expect(a.code, a.err).toBe(0);
    const b = await run(['cls', ws, '--calc', 'toys', '--ntoys', '300', '--seed', '3', '--json']);
    expect(JSON.parse(a.out)).toEqual(JSON.parse(b.out));
    expect(Math.abs(JSON.parse(a.out).cls_obs - exp().cls_toys.CLs_obs)).toBeLessThan(0.15);
  });

  it('errors are located and say what to do', async () => {
    const bad = `${STATS_DIR}workspaces/pyhf_test_fixtures/schema_invalid/patchset_bad_no_version.json`;
    const r = await run(['cls', `${STATS_DIR}workspaces/pyhf_test_fixtures/example_bkgonly.json`, '-p', bad]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("missing required property 'version'");
    const r2 = await run(['cls', ws, '--calc', 'magic']);
    expect(r2.code).toBe(1);
    expect(r2.err).toContain('--calc must be asymptotic or toys');
  });
});
