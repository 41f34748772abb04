/** `hepq limit WS.json`: observed and expected CLs upper limits on the POI (root finding, or a μ scan). */
import { parseArgs } from 'node:util';
import { HepqError } from '../../../exec/batch/index.js';
import {
  linspace,
  type ScanResult,
  upperLimit,
  upperLimitScan,
  upperLimitScanJobs,
} from '../../../stats/index.js';
import { clsSpec, writePlot } from '../../plot/index.js';
import type { Command } from '../command.js';
import { ProgressReporter } from '../progress.js';
import {
  buildModel,
  modelOptionsOf,
  numberOption,
  STATS_OPTIONS,
  STATS_OPTIONS_HELP,
  statsInputs,
} from './stats-input.js';

const help = `usage: hepq limit WS.json [--patch FILE [--patch-name NAME]] [--level 0.05] [--scan LO:HI:N] [--json]
                  [--plot FILE.svg|png]

Upper limit on the POI at the given CLs level (asymptotic q̃μ): observed and expected (−2σ … +2σ).
By default each of the six CLs curves is solved for CLs = level with Brent's method; --scan evaluates CLs on
N evenly spaced μ values and interpolates linearly instead (as pyhf's scan does).

options:
${STATS_OPTIONS_HELP}
  --level L              CLs level (default 0.05, a 95% CL limit)
  --scan LO:HI:N         scan N points from LO to HI
  --cluster URL          with --scan: one job per point on the \`hepq worker --queue URL\` processes (or HEPQ_CLUSTER)
  --range LO:HI          root-finding bracket (default: 0 to the POI's upper bound, widened if needed)
  --plot FILE            draw CLs versus μ with the ±1σ/±2σ expected band (the "Brazil band") as SVG or PNG;
                         without --scan, 21 points from 0 to 1.5× the largest limit are scanned for the plot
With --scan and --json the scanned CLs values are printed too (scan, cls_obs, cls_exp): hepq plot draws them.

examples:
  hepq limit ../shared/data/stats/workspaces/pyhf_examples/2-bin_1-channel.json
  hepq limit RegionA/BkgOnly.json -p RegionA/patch.sbottom_1300_205_60.json --json
  hepq limit ../shared/data/stats/workspaces/pyhf_examples/2-bin_1-channel.json --scan 0:5:21 --plot cls.svg
`;

function parseNumbers(name: string, text: string, n: number): number[] {
  const parts = text.split(':').map(Number);
  if (parts.length !== n || parts.some((x) => !Number.isFinite(x)))
    throw new HepqError('cli/usage', `--${name} expects ${n} numbers separated by ':', got '${text}'`);
  return parts;
}

const command: Command = {
  help,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        ...STATS_OPTIONS,
        level: { type: 'string' },
        scan: { type: 'string' },
        range: { type: 'string' },
        plot: { type: 'string' },
        cluster: { type: 'string' },
      },
      allowPositionals: true,
    });
    if (positionals.length !== 1) {
      io.err(`hepq limit: expected one WS.json\n\n${help}`);
      return 2;
    }
    const level = numberOption('level', values.level, 0.05);
    const inputs = [...statsInputs(positionals[0]!, values, true)];
    if (values.plot && inputs.length > 1)
      throw new HepqError(
        'cli/usage',
        `--plot draws one workspace, and this patchset gives ${inputs.length}`,
        {
          hint: 'choose one patch with --patch-name NAME',
        },
      );
    for (const input of inputs) {
      const { model, data } = buildModel(input.ws, values);
      let res: { obs: number; exp: readonly number[] };
      let scan: ScanResult | undefined;
      if (values.scan) {
        const [lo, hi, n] = parseNumbers('scan', values.scan, 3);
        // A progress bar on a terminal (stderr) over the scan's points; none when piped or with --json.
        const progress = new ProgressReporter({ quiet: Boolean(values.json), label: 'CLs scan' });
        try {
          const points = linspace(lo!, hi!, n!);
          const url = values.cluster ?? process.env.HEPQ_CLUSTER;
          if (url) {
            // One job per μ point on the cluster's workers (each compiles the workspace once).
            const cluster = new (await import('../../cluster/index.js')).ClusterClient(url);
            const init = { spec: input.ws.spec, modelOptions: modelOptionsOf(values) };
            res = scan = await upperLimitScanJobs(
              model,
              init,
              points,
              (i, j, r) => cluster.runStats(i, j, r),
              { level, onProgress: progress.update },
            ).finally(() => cluster.close());
          } else res = scan = upperLimitScan(model, data, points, { level, onProgress: progress.update });
        } finally {
          progress.finish();
        }
        // A grid too coarse near a crossing (or a crossing beyond its end) misleads: each limit is checked against
        // root finding, and replaced by it — saying so — where the grid's interpolation is more than 1% off.
        const checked = checkScan(
          res,
          upperLimit(model, data, { level, range: [Math.max(0, lo!), hi!] }),
          hi!,
        );
        res = { ...res, obs: checked.obs, exp: checked.exp };
        for (const w of checked.warnings) io.err(`warning: ${w}\n`);
        if (checked.warnings.length)
          io.err(
            `hint: the reported limits come from root finding; for a plot that shows them, scan up to ${(1.2 * Math.max(checked.obs, ...checked.exp)).toPrecision(3)} with more points\n`,
          );
      } else {
        const range = values.range ? (parseNumbers('range', values.range, 2) as [number, number]) : undefined;
        res = upperLimit(model, data, { level, range });
      }
      if (values.plot) {
        scan ??= upperLimitScan(model, data, linspace(0, 1.5 * Math.max(res.obs, ...res.exp), 21), { level });
        await writePlot(
          values.plot,
          clsSpec({
            mu: scan.scan,
            obs: scan.results.map((r) => r.clsObs),
            exp: scan.results.map((r) => r.clsExp),
            level,
          }),
        );
        if (!values.json) io.err(`wrote ${values.plot}\n`);
      }
      const row = {
        ...(input.label !== null ? { patch: input.label } : {}),
        obs: res.obs,
        exp: res.exp,
        ...(values.scan && scan
          ? {
              level,
              scan: scan.scan,
              cls_obs: scan.results.map((r) => r.clsObs),
              cls_exp: scan.results.map((r) => r.clsExp),
            }
          : {}),
      };
      if (values.json) io.out(`${JSON.stringify(row)}\n`);
      else
        io.out(
          `${input.label !== null ? `${input.label}: ` : ''}obs = ${res.obs.toPrecision(6)}  exp = [${res.exp.map((v) => v.toPrecision(6)).join(', ')}]\n`,
        );
    }
    return 0;
  },
};

export default command;

const NAMES = ['observed', 'expected −2σ', 'expected −1σ', 'expected median', 'expected +1σ', 'expected +2σ'];

/**
 * The limits of a scan, each checked against the root-found one: kept where they agree within 1%, replaced (with a
 * warning naming the limit, the grid's value and the true one) where the grid is too coarse or ends before it.
 */
export function checkScan(
  scan: { readonly obs: number; readonly exp: readonly number[] },
  precise: { readonly obs: number; readonly exp: readonly number[] },
  scanEnd: number,
): { obs: number; exp: number[]; warnings: string[] } {
  const warnings: string[] = [];
  const pick = (k: number, fromScan: number, root: number): number => {
    const name = NAMES[k]!;
    if (root > scanEnd) {
      warnings.push(
        `the ${name} limit lies beyond the scan's end (μ = ${scanEnd}): ${root.toPrecision(4)}, not ${fromScan.toPrecision(4)}`,
      );
      return root;
    }
    if (Math.abs(fromScan - root) > 0.01 * Math.abs(root) + 1e-12) {
      warnings.push(
        `the scan grid is too coarse for the ${name} limit: it interpolates ${fromScan.toPrecision(4)}, the limit is ${root.toPrecision(4)}`,
      );
      return root;
    }
    return fromScan;
  };
  return {
    obs: pick(0, scan.obs, precise.obs),
    exp: scan.exp.map((v, i) => pick(i + 1, v, precise.exp[i]!)),
    warnings,
  };
}
