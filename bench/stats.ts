// `npx tsx bench/stats.ts`: HistFactory fit, asymptotic CLs and limits on the largest reference workspaces, against the
// reference implementation's own timings (pyhf 0.7.6, recorded in ../shared/data/stats/expected/*.json, same kind of
// machine). Medians of repetitions after a warm-up; also checks that the numbers agree.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fitModel, hypotest, Patchset, upperLimit, upperLimitScan, Workspace } from '../stats/index.js';

const DIR = join(import.meta.dirname, '../../shared/data/stats');
if (!existsSync(DIR)) {
  console.error(`${DIR} is absent: nothing to measure`);
  process.exit(1);
}
const REPS = Number(process.env.BENCH_REPS ?? 5);
const now = () => performance.now();
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
function time(fn: () => unknown, reps = REPS): number {
  fn();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = now();
    fn();
    ts.push(now() - t0);
  }
  return median(ts);
}

// biome-ignore lint/suspicious/noExplicitAny: free-form expected files
function load(name: string): { exp: any; ws: Workspace } {
  const exp = JSON.parse(readFileSync(join(DIR, 'expected', `${name}.json`), 'utf8'));
  let ws = Workspace.fromFile(join(DIR, exp.workspace_file));
  if (exp.patch?.jsonpatch) ws = ws.patch(JSON.parse(readFileSync(join(DIR, exp.patch.jsonpatch), 'utf8')));
  if (exp.patch?.patchset)
    ws = Patchset.fromFile(join(DIR, exp.patch.patchset)).apply(ws, exp.patch.patch_name);
  return { exp, ws };
}

const row = (what: string, ms: number, refS: number | undefined, check: string) =>
  console.log(
    `  ${what.padEnd(26)} ${ms.toFixed(1).padStart(9)} ms   pyhf ${refS === undefined ? '      –' : `${refS.toFixed(2).padStart(7)} s`}   ${refS === undefined ? '' : `×${((refS * 1000) / ms).toFixed(0)}`.padEnd(7)} ${check}`,
  );

console.log(`HistFactory (median of ${REPS} after a warm-up; single thread)\n`);
for (const name of [
  'atlas_2L0J_bkgonly',
  'eRJR_150p0_50p0',
  'sbottom_RegionA_1300_205_60',
  'sbottom_RegionC_1200_550_60',
]) {
  const { exp, ws } = load(name);
  const model = ws.model({ measurement: exp.measurement, poi: exp.poi ?? '' });
  const data = ws.data(model);
  console.log(`${name}: ${model.nPars} parameters, ${model.nMain} bins`);
  const fit = fitModel(model, data);
  const refNll = Math.min(exp.mle.twice_nll, exp.mle_minuit.twice_nll);
  row(
    'MLE fit',
    time(() => fitModel(model, data)),
    exp.timings_s.mle_scipy,
    `2NLL ${fit.twiceNll.toFixed(6)} (pyhf ${refNll.toFixed(6)})`,
  );
  if (model.poiIndex < 0) continue;
  const h = hypotest(1, model, data);
  row(
    'hypotest (CLs at mu=1)',
    time(() => hypotest(1, model, data)),
    exp.timings_s.hypotest,
    `CLs ${h.clsObs.toPrecision(6)} (pyhf ${exp.cls.CLs_obs.toPrecision(6)})`,
  );
  const reps = Math.max(1, Math.floor(REPS / 2));
  if (exp.upper_limit_toms748?.obs !== undefined) {
    const u = upperLimit(model, data);
    row(
      'upper limit (root finding)',
      time(() => upperLimit(model, data), reps),
      exp.timings_s.upper_limit_toms748,
      `obs ${u.obs.toPrecision(6)} (pyhf ${exp.upper_limit_toms748.obs.toPrecision(6)})`,
    );
  }
  const hi = exp.upper_limit_scan?.scan
    ? Math.max(...exp.upper_limit_scan.scan)
    : 2 * (exp.upper_limit_toms748?.exp?.[4] ?? 1);
  const scan = Array.from({ length: 20 }, (_, i) => (hi * i) / 19);
  const s = upperLimitScan(model, data, scan);
  row(
    '20-point limit scan',
    time(() => upperLimitScan(model, data, scan), reps),
    exp.timings_s.upper_limit_scan,
    `obs ${s.obs.toPrecision(6)}`,
  );
}

const ps = Patchset.fromFile(join(DIR, 'workspaces/atlas_3L_eRJR/patchset.json'));
const bkg = Workspace.fromFile(join(DIR, 'workspaces/atlas_3L_eRJR/BkgOnly.json'));
const t0 = now();
for (const name of ps.names) {
  const ws = ps.apply(bkg, name);
  const model = ws.model();
  hypotest(1, model, ws.data(model));
}
console.log(
  `\nall ${ps.names.length} patches of the eRJR patchset, CLs each, one thread: ${((now() - t0) / 1000).toFixed(2)} s`,
);
