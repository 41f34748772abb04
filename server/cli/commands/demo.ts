/**
 * `hepq demo`: a whole Z→μμ analysis in one command, on a fresh machine — generate collision and simulated events,
 * select dimuon candidates with func_adl, fill and draw the mass histogram, build a one-channel HistFactory model
 * and print the fitted signal strength, CLs and the upper limit; each step with its time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeRoot } from '../../../connectors/root/index.js';
import { generateEvents } from '../../../connectors/synthetic/index.js';
import { HepqError } from '../../../exec/batch/index.js';
import {
  brentRoot,
  buildWorkspace,
  fitModel,
  type HistFactoryModel,
  type HistogramRow,
  hypotest,
  type ModelData,
  upperLimit,
} from '../../../stats/index.js';
import { drawHistogram, type HistogramData, histogramSpec, stackSpec, writePlot } from '../../plot/index.js';
import { Session } from '../../session.js';
import type { Command } from '../command.js';
import { ProgressReporter, streamWithProgress } from '../progress.js';

const help = `usage: hepq demo [--events N] [--seed S] [--out DIR] [--quiet]

A whole analysis in one command, needing nothing but hepq:
  1. generates "collision data" and an independent "simulation" (seeded synthetic CMS NanoAOD-like events:
     Z→μμ, W→μν, tt̄ and QCD multijet) and writes each as a ROOT file,
  2. selects Z→μμ candidates with a func_adl query (two muons with pT > 10 GeV, |η| < 2.4, of opposite charge)
     and fills the dimuon mass histogram (30 bins, 60–120 GeV), drawn here and saved as SVG,
  3. builds a one-channel HistFactory model: signal = opposite-sign minus same-sign pairs of the simulation,
     background = its same-sign pairs (the usual estimate of the combinatorial background, ±30%),
  4. fits the signal strength μ, computes CLs at μ = 1 and the 95% CL upper limit on μ (asymptotic, q̃μ),
     and draws the fitted model with the data.
Everything goes to DIR (default ./hepq-demo): the ROOT files, workspace.json, mass.json, mass.svg and fit.svg.

options:
  --events N   events per sample (default 50000)
  --seed S     seed of the collision data (the simulation uses S + 1; default 1)
  --out DIR    output folder (default hepq-demo)
  --quiet      no progress bars

examples:
  npx hepq demo
  hepq demo --events 20000 --out /tmp/zmumu
`;

const CUT = 'm.pt > 10 and abs(m.eta) < 2.4';
/** The Z→μμ candidate selection, as a func_adl user writes it; `sign` picks opposite (<) or same (>) charge. */
export const selection = (sign: '<' | '>') => `Where(lambda e: e.Muon.Where(lambda m: ${CUT}).Count() >= 2)
  .Select(lambda e: e.Muon.Where(lambda m: ${CUT}))
  .Where(lambda mu: mu[0].charge * mu[1].charge ${sign} 0)
  .Select(lambda mu: (mu[0].ToFourMomentum() + mu[1].ToFourMomentum()).mass)
  .Hist(lambda m: m, bins=30, range=(60, 120))`;

const positiveInt = (s: string | undefined, name: string, dflt: number) => {
  if (s === undefined) return dflt;
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new HepqError('cli/bad-number', `--${name} must be a positive integer, not '${s}'`);
  return n;
};

/**
 * The 68% profile-likelihood interval of the POI: where twice the NLL, minimised over the other parameters with
 * the POI fixed, rises by 1 above its minimum (as MINOS does); robust where the Hessian is singular.
 */
export function profileInterval(
  model: HistFactoryModel,
  data: ModelData,
  muHat: number,
  twiceNllMin: number,
): [number, number] {
  const poi = model.poiIndex;
  const { lo, hi } = model.suggestedBounds();
  const f = (mu: number) => fitModel(model, data, { poiValue: mu }).twiceNll - twiceNllMin - 1;
  const side = (dir: 1 | -1, bound: number) => {
    let step = Math.max(0.02 * Math.abs(muHat), 0.01);
    let x = muHat + dir * step;
    for (let k = 0; k < 40 && (x - bound) * dir < 0 && f(x) < 0; k++) {
      step *= 2;
      x = muHat + dir * step;
    }
    if ((x - bound) * dir >= 0) {
      x = bound;
      if (f(x) < 0) return bound;
    }
    return brentRoot(f, Math.min(muHat, x), Math.max(muHat, x), { rtol: 1e-6, xtol: 1e-8 });
  };
  return [side(-1, lo[poi]!), side(1, hi[poi]!)];
}

const fmt = (x: number, digits = 4) => (Number.isFinite(x) ? x.toPrecision(digits) : String(x));

const command: Command = {
  help,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        events: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string', default: 'hepq-demo' },
        quiet: { type: 'boolean', short: 'q', default: false },
      },
    });
    const events = positiveInt(values.events, 'events', 50_000);
    const seed = positiveInt(values.seed, 'seed', 1);
    const dir = resolve(values.out!);
    mkdirSync(dir, { recursive: true });
    const width = Math.min(process.stdout.columns ?? 80, 100);
    const T0 = performance.now();
    let t = T0;
    const step = (title: string) => {
      const now = performance.now();
      io.out(`  (${((now - t) / 1000).toFixed(2)} s)\n`);
      t = now;
      io.out(`\n${title}\n`);
    };
    const bar = (label: string) => new ProgressReporter({ quiet: values.quiet, label });
    io.out(`hepq demo — a Z→μμ analysis, from events to an upper limit (output in ${dir})\n\n`);

    io.out(
      `[1/4] generating ${events} collision events (seed ${seed}) and ${events} simulated events (seed ${seed + 1})\n`,
    );
    const files = { data: join(dir, 'data.root'), sim: join(dir, 'simulation.root') };
    for (const [name, s] of [
      ['data', seed],
      ['sim', seed + 1],
    ] as const) {
      const p = bar(name === 'data' ? 'generate data' : 'generate sim');
      const stream = generateEvents({ schema: 'nanoaod', events, seed: s, batchSize: 10_000 });
      const w = await writeRoot(files[name], streamWithProgress(stream, events, p.update), {
        compression: 'lz4:4',
      });
      p.finish();
      io.out(
        `      ${w.path}: ${w.entries} entries, ${w.branches} branches, ${(w.bytes / 1e6).toFixed(1)} MB\n`,
      );
    }

    step('[2/4] selecting Z→μμ candidates with func_adl and filling the dimuon mass histogram');
    io.out(`${selection('<').replace(/^/gm, '      ')}\n`);
    const session = new Session();
    let data: HistogramData;
    let simOs: HistogramData;
    let simSs: HistogramData;
    try {
      const hist = async (file: string, sign: '<' | '>', label: string) => {
        const p = bar(label);
        const r = await session
          .query(selection(sign), { files: [file], onProgress: p.update })
          .finally(() => p.finish());
        if (r.kind !== 'histogram')
          throw new HepqError('cli/internal', 'the selection did not return a histogram');
        return r.histogram;
      };
      data = await hist(files.data, '<', 'scan data');
      simOs = await hist(files.sim, '<', 'scan sim (OS)');
      simSs = await hist(files.sim, '>', 'scan sim (SS)');
    } finally {
      await session.close();
    }
    const total = data.counts.reduce((a, b) => a + b, 0);
    io.out(
      `\n${drawHistogram(data, { width, height: 10, title: `      dimuon mass of ${total} opposite-sign candidates (collision data)`, xLabel: 'm(μμ) [GeV]' }).join('\n')}\n`,
    );
    const massLabels = {
      title: 'Z→μμ candidates (collision data)',
      x: 'm(μμ) [GeV]',
      y: 'candidates / 2 GeV',
    };
    // the labels travel with the result, so `hepq plot mass.json` draws the same plot
    writeFileSync(join(dir, 'mass.json'), `${JSON.stringify({ ...data, labels: massLabels })}\n`);
    await writePlot(join(dir, 'mass.svg'), histogramSpec(data, massLabels));
    io.out(`      wrote mass.svg and mass.json\n`);

    step('[3/4] building a one-channel HistFactory model from the simulation');
    const nb = data.counts.length;
    const signal = simOs.counts.map((c, i) => Math.max(0, c - simSs.counts[i]!));
    const rows: HistogramRow[] = [];
    for (let i = 0; i < nb; i++) {
      rows.push({ region: 'mumu', sample: 'data', bin: i, content: data.counts[i]! });
      rows.push({
        region: 'mumu',
        sample: 'Z',
        bin: i,
        content: signal[i]!,
        sumw2: simOs.counts[i]! + simSs.counts[i]!,
      });
      // a bin the simulation left empty gets 0.01 background events, so that no observed event has zero probability
      const empty = simOs.counts[i]! + simSs.counts[i]! === 0;
      rows.push({
        region: 'mumu',
        sample: 'combinatorial',
        bin: i,
        content: empty ? 0.01 : simSs.counts[i]!,
      });
    }
    const ws = buildWorkspace(
      {
        regions: ['mumu'],
        samples: [
          { name: 'Z', signal: true },
          { name: 'combinatorial', normsys: [{ name: 'combinatorial_norm', hi: 1.3, lo: 0.7 }] },
        ],
      },
      rows,
    );
    writeFileSync(join(dir, 'workspace.json'), `${JSON.stringify(ws.spec, null, 1)}\n`);
    const sum = (a: readonly number[]) => a.reduce((x, y) => x + y, 0);
    io.out(
      `      channel mumu: ${nb} bins; expected Z→μμ ${fmt(sum(signal), 5)} events, combinatorial ${sum(simSs.counts)}; observed ${total}\n`,
    );
    io.out(
      `      modifiers: μ (normfactor), MC statistics (staterror), combinatorial ±30% (normsys); wrote workspace.json\n`,
    );

    step('[4/4] fitting the signal strength, CLs and the upper limit');
    const model = ws.model();
    const obs = ws.data(model);
    const poi = model.poiIndex;
    const fit = fitModel(model, obs);
    const muHat = fit.x[poi]!;
    const [muLo, muHi] = profileInterval(model, obs, muHat, fit.twiceNll);
    const cls1 = hypotest(1, model, obs);
    const limit = upperLimit(model, obs, { level: 0.05 });
    io.out(
      `      fitted signal strength  μ̂ = ${fmt(muHat)} +${fmt(muHi - muHat, 2)} −${fmt(muHat - muLo, 2)} (68% CL, profile likelihood)${fit.converged ? '' : '  (fit NOT converged)'}\n`,
    );
    io.out(`      CLs at μ = 1            ${fmt(cls1.clsObs)}   (expected ${fmt(cls1.clsExp[2]!)})\n`);
    io.out(
      `      95% CL upper limit      μ < ${fmt(limit.obs)}   (expected ${fmt(limit.exp[2]!)}, ±1σ [${fmt(limit.exp[1]!)}, ${fmt(limit.exp[3]!)}], ±2σ [${fmt(limit.exp[0]!)}, ${fmt(limit.exp[4]!)}])\n`,
    );
    await writePlot(
      join(dir, 'fit.svg'),
      stackSpec(
        {
          edges: data.edges,
          samples: [
            { name: 'combinatorial (same-sign)', counts: simSs.counts },
            { name: `Z→μμ (μ̂ = ${fmt(muHat, 3)})`, counts: signal.map((s) => s * muHat) },
          ],
          data: data.counts,
        },
        { title: 'dimuon mass: data and fitted model', x: 'm(μμ) [GeV]', y: 'candidates / 2 GeV' },
      ),
    );
    io.out(`      wrote fit.svg (the fitted model stacked, with the data)\n`);
    io.out(
      `  (${((performance.now() - t) / 1000).toFixed(2)} s)\n\ndone in ${((performance.now() - T0) / 1000).toFixed(1)} s\n`,
    );
    return 0;
  },
};

export default command;
