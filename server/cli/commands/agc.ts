/** `hepq agc`: the AGC tt̄ analysis end to end — samples, one-pass histograms, workspace, fit, CLs, plots. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeHistograms } from '../../../connectors/root/index.js';
import { HepqError } from '../../../exec/batch/index.js';
import { postfitYields, prefitYields, Workspace } from '../../../stats/index.js';
import { AGC_QUERY } from '../../agc/agc-query.js';
import { AGC_SAMPLES } from '../../agc/agc-samples.js';
import { type AgcResult, runAgc } from '../../agc/run-agc.js';
import { correlationSpec, fitStackSpec, pullsSpec, writePlot } from '../../plot/index.js';
import type { Command } from '../command.js';
import { nonNegativeInt } from '../output.js';

const help = `usage: hepq agc [--events N] [--asimov] [--json] [--dir DIR] [--seed S] [--threads T]
                [--plots DIR] [--workspace FILE] [--root FILE] [--print-query]

The Analysis Grand Challenge tt̄ analysis (after the IRIS-HEP AGC's cms-open-data-ttbar) in one command:
  1. generates one NanoAOD-like sample per process (${AGC_SAMPLES.join(', ')}) with
     'hepq generate --process' into DIR (default: a temporary folder removed at the end; in DIR, files of
     the same N and seed are reused),
     and a coffea-style fileset.json with each sample's cross section;
  2. fills every histogram — regions 4j1b (H_T) and 4j2b (trijet mass) × samples × 13 variations (nominal,
     b-tag ×8, W+jets scale ×2 as weights; jet energy scale and resolution as object variations) — in ONE
     pass per file, with the sample metadata bound as query parameters;
  3. builds a pyhf workspace (tt̄ signal strength mu, normplusshape systematics, staterror, lumi, pruning);
  4. fits it (to Poisson pseudo-data, or with --asimov to the model's Asimov data, so mu_hat = 1) and
     computes CLs of mu = 1 (as pyhf.infer.hypotest(1.0, …)).

options:
  --events N       events generated per sample (default 20000)
  --asimov         fit the Asimov data of the built model instead of the pseudo-data
  --json           one JSON object: mu_hat, mu_err, cls_obs, cls_exp, histograms, seconds, …
  --plots DIR      write pre- and post-fit stacks per region (data, ±1σ band, ratio panel), the pulls and
                   the correlation matrix (SVG)
  --workspace F    write the built workspace (pyhf JSON)
  --root FILE      write every filled histogram as a TH1D: REGION/SAMPLE (nominal) and
                   REGION/SAMPLE_VARIATION (combine's $CHANNEL/$PROCESS_$SYSTEMATIC layout)
  --threads T      worker threads per query (default 1)
  --print-query    print the func_adl query and exit

examples:
  hepq agc --events 20000 --asimov --json
  hepq agc --events 100000 --dir agc-samples --plots agc-plots
`;

async function writePlots(dir: string, r: AgcResult): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const ws = Workspace.fromJSON(r.workspace);
  const model = ws.model();
  const data = ws.data(model);
  const pre = prefitYields(model, data);
  const post = postfitYields(model, data);
  const written: string[] = [];
  const write = async (name: string, spec: Record<string, unknown>) => {
    const path = join(dir, name);
    await writePlot(path, spec);
    written.push(path);
  };
  for (const [stage, summary] of [
    ['prefit', pre],
    ['postfit', post.yields],
  ] as const)
    for (const region of summary.regions) {
      const edges = r.set.histograms.find((h) => h.labels.region === region.name)!.edges;
      await write(
        `${region.name}_${stage}.svg`,
        fitStackSpec(
          {
            edges,
            samples: region.samples.map((s) => ({ name: s.name, counts: [...s.yields] })),
            totalStdev: [...region.total.stdev],
            ...(region.data ? { data: [...region.data] } : {}),
          },
          {
            title: `${region.name} ${stage === 'prefit' ? 'pre-fit' : `post-fit (mu = ${r.mu_hat.toFixed(3)})`}`,
            x: region.name === '4j1b' ? 'H_T [GeV]' : 'm_bjj [GeV]',
            y: 'events',
          },
        ),
      );
    }
  // As cabinetry draws them by default: without the per-bin statistical parameters.
  const shown = (name: string) => !name.startsWith('staterror');
  await write(
    'pulls.svg',
    pullsSpec(
      post.pulls.filter((x) => shown(x.name)),
      { title: 'pulls' },
    ),
  );
  const keep = post.labels.flatMap((name, i) => (shown(name) ? [i] : []));
  const n = post.labels.length;
  await write(
    'correlation.svg',
    correlationSpec(
      keep.map((i) => post.labels[i]!),
      keep.flatMap((i) => keep.map((j) => post.correlation[i * n + j]!)),
      { title: 'correlations' },
    ),
  );
  return written;
}

const command: Command = {
  help,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        events: { type: 'string' },
        asimov: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        dir: { type: 'string' },
        seed: { type: 'string' },
        threads: { type: 'string' },
        plots: { type: 'string' },
        workspace: { type: 'string' },
        root: { type: 'string' },
        'print-query': { type: 'boolean', default: false },
      },
      allowPositionals: true,
    });
    if (positionals.length) {
      io.err(`hepq agc: unexpected argument '${positionals[0]}'\n\n${help}`);
      return 2;
    }
    if (values['print-query']) {
      io.out(`${AGC_QUERY}\n`);
      return 0;
    }
    const events = nonNegativeInt(values.events?.replace(/_/g, ''), 'events') ?? 20000;
    if (events < 100)
      throw new HepqError('cli/too-few-events', `--events ${events} is too few to fill the regions`, {
        hint: 'use at least a few thousand events per sample',
      });
    const r = await runAgc({
      events,
      asimov: values.asimov,
      ...(values.dir ? { dir: values.dir } : {}),
      seed: nonNegativeInt(values.seed, 'seed') ?? 1,
      threads: Math.max(1, nonNegativeInt(values.threads, 'threads') ?? 1),
      ...(values.json ? {} : { log: (l: string) => io.err(`hepq agc: ${l}\n`) }),
    });
    if (values.workspace) writeFileSync(values.workspace, `${JSON.stringify(r.workspace, null, 2)}\n`);
    if (values.root)
      await writeHistograms(
        values.root,
        Object.fromEntries(
          r.set.histograms.map((h) => {
            const v = h.labels.variation === 'nominal' ? '' : `_${h.labels.variation}`;
            const x = h.labels.region === '4j1b' ? 'H_T [GeV]' : 'm_bjj [GeV]';
            return [`${h.labels.region}/${h.labels.dataset}${v}`, { ...h, axisTitles: [x] }];
          }),
        ),
      );
    const plots = values.plots ? await writePlots(values.plots, r) : [];
    const { workspace: _w, set: _s, ...summary } = r;
    if (values.json) io.out(`${JSON.stringify({ ...summary, ...(plots.length ? { plots } : {}) })}\n`);
    else {
      io.out(
        [
          `mu_hat   = ${r.mu_hat.toFixed(4)} ± ${r.mu_err.toFixed(4)}${r.converged ? '' : '  (NOT CONVERGED)'}`,
          `CLs(mu=1) observed = ${r.cls_obs.toPrecision(4)}, expected median = ${r.cls_exp[2]!.toPrecision(4)}`,
          `${r.histograms} histograms from ${r.files} files (${r.events} events) in one pass per file; ${r.pruned} modifiers pruned`,
          `time: ${r.seconds.toFixed(1)} s (generate ${r.timing.generate.toFixed(1)}, histograms ${r.timing.histograms.toFixed(1)}, fit ${r.timing.fit.toFixed(1)})`,
          ...(r.fileset ? [`samples and fileset: ${r.fileset}`] : []),
          ...plots.map((p) => `plot: ${p}`),
          '',
        ].join('\n'),
      );
    }
    return r.converged ? 0 : 1;
  },
};

export default command;
