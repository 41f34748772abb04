import { describe, expect, it } from 'vitest';
import { main } from '../../server/cli/main.js';
import { hypotestPatchset, Patchset, Workspace } from '../../stats/index.js';
import { close, expected, HAVE_DATA, STATS_DIR } from './reference-cases.js';

describe.skipIf(!HAVE_DATA)('patchsets: every patch on every core', () => {
  const dir = `${STATS_DIR}workspaces/atlas_3L_eRJR/`;

  it('worker threads give the in-thread numbers, and the reference for ERJR_150p0_50p0', async () => {
    const bkg = Workspace.fromFile(`${dir}BkgOnly.json`);
    const ps = Patchset.fromFile(`${dir}patchset.json`);
    expect(ps.labels.length).toBeGreaterThan(0);
    const names = ['ERJR_150p0_50p0', ...ps.names.filter((n) => n !== 'ERJR_150p0_50p0').slice(0, 3)];
    const seq = await hypotestPatchset(bkg, ps, { names, threads: 1 });
    const par = await hypotestPatchset(bkg, ps, { names, threads: 2 });
    expect(par.map((r) => r.patch)).toEqual(names);
    for (let i = 0; i < names.length; i++) expect(par[i]!.result.clsObs).toBe(seq[i]!.result.clsObs);
    const exp = expected('eRJR_150p0_50p0');
    expect(close(seq[0]!.result.clsObs, exp.cls.CLs_obs, 1e-4, 1e-6)).toBe(true);
    expect(seq[0]!.values).toEqual(exp.patch.values);
  });

  it('hepq cls over a patchset without --patch-name prints one row per patch', async () => {
    let out = '';
    const code = await main(
      [
        'cls',
        `${STATS_DIR}workspaces/pyhf_test_fixtures/example_bkgonly.json`,
        '-p',
        `${STATS_DIR}workspaces/pyhf_test_fixtures/example_patchset.json`,
        '--json',
      ],
      {
        out: (t) => {
          out += t;
        },
        err: () => {},
      },
    );
    expect(code).toBe(0);
    const rows = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(1);
    expect(rows[0].patch).toBe('patch_channel1_signal_syst1');
    expect(close(rows[0].cls_obs, expected('fixture_example_patchset').cls.CLs_obs, 1e-4, 1e-6)).toBe(true);
  });
});
