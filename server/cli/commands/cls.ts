/** `hepq cls WS.json`: asymptotic CLs at a POI value (observed and expected band), per patch of a patchset if asked. */
import { parseArgs } from 'node:util';
import { HepqError } from '../../../exec/batch/index.js';
import { hypotest, hypotestPatchset, hypotestToys } from '../../../stats/index.js';
import type { Command } from '../command.js';
import { ProgressReporter } from '../progress.js';
import {
  buildModel,
  modelOptionsOf,
  numberOption,
  STATS_OPTIONS,
  STATS_OPTIONS_HELP,
  statsInputs,
  wholePatchset,
} from './stats-input.js';

const help = `usage: hepq cls WS.json [--patch FILE [--patch-name NAME]] [--mu 1] [--test-stat qtilde|q] [--json]

CLs of the hypothesis POI = MU with the asymptotic calculator (Asimov data): observed CLs and the expected
band (−2σ, −1σ, median, +1σ, +2σ). With a patchset and no --patch-name, every patch is run, one row each.

options:
${STATS_OPTIONS_HELP}
  --mu MU                tested POI value (default 1)
  --test-stat T          qtilde (default) or q
  --calc C               asymptotic (default) or toys (pseudo-experiments on all cores)
  --ntoys N              toys per hypothesis (default 2000)
  --seed S               seed of the toys (default 0); results do not depend on the number of threads
  --cluster URL          run the patches of a patchset as jobs on the \`hepq worker --queue URL\` processes of a
                         Redis queue (or HEPQ_CLUSTER), for contours of hundreds of points

examples:
  hepq cls ../shared/data/stats/workspaces/pyhf_validation/validation_1bin_shapesys.json
  hepq cls BkgOnly.json -p patchset.json --json      # all patches
`;

const command: Command = {
  help,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        ...STATS_OPTIONS,
        mu: { type: 'string' },
        'test-stat': { type: 'string' },
        calc: { type: 'string' },
        ntoys: { type: 'string' },
        seed: { type: 'string' },
        cluster: { type: 'string' },
      },
      allowPositionals: true,
    });
    if (positionals.length !== 1) {
      io.err(`hepq cls: expected one WS.json\n\n${help}`);
      return 2;
    }
    const calc = values.calc ?? 'asymptotic';
    if (calc !== 'asymptotic' && calc !== 'toys')
      throw new HepqError('cli/usage', `--calc must be asymptotic or toys, got '${calc}'`);
    const ntoys = numberOption('ntoys', values.ntoys, 2000);
    const seed = numberOption('seed', values.seed, 0);
    const ts = values['test-stat'] ?? 'qtilde';
    if (ts !== 'qtilde' && ts !== 'q')
      throw new HepqError('cli/usage', `--test-stat must be qtilde or q, got '${ts}'`);
    const mu = numberOption('mu', values.mu, 1);
    let status = 0;
    const whole = calc === 'asymptotic' ? wholePatchset(positionals[0]!, values) : null;
    if (whole) {
      // an exclusion contour: every patch, on every core (or on every worker of a cluster)
      const url = values.cluster ?? process.env.HEPQ_CLUSTER;
      const cluster = url ? new (await import('../../cluster/index.js')).ClusterClient(url) : undefined;
      const rows = await hypotestPatchset(whole.bkg, whole.patchset, {
        mu,
        testStat: ts,
        modelOptions: modelOptionsOf(values),
        ...(cluster ? { runJobs: (init, jobs, onResult) => cluster.runStats(init, jobs, onResult) } : {}),
      }).finally(() => cluster?.close());
      for (const { patch, values: v, result: r } of rows) {
        if (!r.converged) status = 1;
        const row = {
          patch,
          values: v,
          mu,
          cls_obs: r.clsObs,
          cls_exp: r.clsExp,
          ...(r.converged ? {} : { converged: false }),
        };
        if (values.json) io.out(`${JSON.stringify(row)}\n`);
        else
          io.out(
            `${patch}: mu = ${mu}  CLs_obs = ${r.clsObs.toPrecision(6)}  CLs_exp = [${r.clsExp.map((x) => x.toPrecision(6)).join(', ')}]\n`,
          );
      }
      return status;
    }
    for (const input of statsInputs(positionals[0]!, values, true)) {
      const { model, data } = buildModel(input.ws, values);
      const r =
        calc === 'toys'
          ? {
              ...(await (async () => {
                // A progress bar on a terminal (stderr) while the toys run; none when piped or with --json.
                const progress = new ProgressReporter({ quiet: Boolean(values.json), label: 'toys' });
                try {
                  return await hypotestToys(mu, input.ws, {
                    ntoys,
                    seed,
                    testStat: ts,
                    modelOptions: modelOptionsOf(values),
                    onProgress: progress.update,
                  });
                } finally {
                  progress.finish();
                }
              })()),
              converged: true,
            }
          : hypotest(mu, model, data, { testStat: ts });
      if (!r.converged) status = 1;
      const under = underflow(r);
      if (under) io.err(`hepq cls: warning: ${under}\n`);
      const row = {
        ...(input.label !== null ? { patch: input.label } : {}),
        mu,
        cls_obs: r.clsObs,
        cls_exp: r.clsExp,
        ...(under && 'log10ClsObs' in r
          ? { cls_obs_log10: r.log10ClsObs, cls_exp_log10: r.log10ClsExp }
          : {}),
        ...(r.converged ? {} : { converged: false, failures: failuresOf(r) }),
      };
      if (values.json) io.out(`${JSON.stringify(row)}\n`);
      else
        io.out(
          `${input.label !== null ? `${input.label}: ` : ''}mu = ${mu}  CLs_obs = ${r.clsObs.toPrecision(6)}  CLs_exp = [${r.clsExp.map((v) => v.toPrecision(6)).join(', ')}]${r.converged ? '' : '  (a fit did NOT converge)'}\n`,
        );
      // which fit failed and why, so the user can judge the numbers (or fix the model)
      if (!r.converged) for (const f of failuresOf(r)) io.err(`warning: did not converge: ${f}\n`);
    }
    return status;
  },
};

/** Which CLs values underflowed to 0 (they are below the smallest double), said with their log10; null if none. */
function underflow(r: {
  clsObs: number;
  clsExp: readonly number[];
  log10ClsObs?: number;
  log10ClsExp?: readonly number[];
}): string | null {
  if (r.log10ClsObs === undefined || !r.log10ClsExp) return null;
  const logs = [r.log10ClsObs, ...r.log10ClsExp];
  const zero = [r.clsObs, ...r.clsExp].map((v, i) => (v === 0 ? logs[i]! : null)).filter((v) => v !== null);
  if (!zero.length) return null;
  return `${zero.length} CLs value(s) underflow double precision and print as 0 (log10 CLs = ${zero.map((v) => v.toFixed(1)).join(', ')}): the hypothesis is excluded far beyond the range the asymptotic formulae are checked in`;
}

export default command;

/** The unconverged fits a result names (older results carry only the flag). */
function failuresOf(r: object): readonly string[] {
  const f = (r as { readonly failures?: readonly string[] }).failures;
  return f?.length ? f : ['a fit (which one is not recorded)'];
}
