/** `hepq plot RESULT.json --out FILE.svg|png`: draw a saved histogram, sample stack or CLs scan as a plot file. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { HepqError } from '../../../exec/batch/index.js';
import {
  type ClsScan,
  clsSpec,
  drawHistogram,
  type HistogramData,
  histogramSpec,
  type PlotLabels,
  type StackData,
  stackSpec,
  type VegaLiteSpec,
  writePlot,
} from '../../plot/index.js';
import type { Command } from '../command.js';
import { PLOT_HELP, PLOT_OPTIONS, plotLabels } from '../plot-options.js';

const help = `usage: hepq plot RESULT.json [--out FILE.svg|FILE.png] [--title T] [--xlabel X] [--ylabel Y] [--logy] [--lumi L]

Draws a result file as a plot for a talk (SVG, or PNG at twice the size), or in the terminal without --out.
RESULT ('-' reads standard input) is one of:
  a histogram, as hepq query --format json prints it for a Hist query: {"edges": [...], "counts": [...]}
  stacked samples with data: {"edges": [...], "samples": [{"name": "Z", "counts": [...]}, ...], "data": [...]}
  a CLs scan, as hepq limit --scan LO:HI:N --json prints it: {"scan": [μ...], "cls_obs": [...], "cls_exp": [[5], ...]}
A "labels" object in the file ({"x", "y", "title", "lumi", …}) is used unless the options say otherwise.

${PLOT_HELP}

examples:
  hepq query "SelectMany(lambda e: e.Jet_pt).Hist(lambda pt: pt, bins=45, range=(15, 60))" run.root --format json > jets.json
  hepq plot jets.json --out jets.svg --xlabel "jet pT [GeV]"
  hepq query "Select(lambda e: e.MET_pt).Hist(lambda m: m, bins=50, range=(0, 200))" run.root --plot met.png
  hepq plot jets.json              (draws it in the terminal)
`;

/** The plot spec a parsed result file asks for (by its fields), or a located error naming what was found. */
export function specForResult(v: unknown, labels: PlotLabels, source = 'RESULT'): VegaLiteSpec {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if ('samples' in o && 'edges' in o) return stackSpec(o as unknown as StackData, labels);
    if ('edges' in o && 'counts' in o) return histogramSpec(o as unknown as HistogramData, labels);
    if ('scan' in o && 'cls_obs' in o && 'cls_exp' in o) {
      const scan: ClsScan = {
        mu: o.scan as number[],
        obs: o.cls_obs as number[],
        exp: o.cls_exp as number[][],
        ...(typeof o.level === 'number' ? { level: o.level } : {}),
      };
      return clsSpec(scan, labels);
    }
  }
  const keys = v !== null && typeof v === 'object' ? Object.keys(v).slice(0, 8).join(', ') : typeof v;
  throw new HepqError(
    'plot/bad-input',
    `${source} is not a histogram, a sample stack or a CLs scan (found: ${keys || 'nothing'})`,
    {
      hint: 'a histogram file is what hepq query --format json prints for a query ending in .Hist(…)',
    },
  );
}

const command: Command = {
  help,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string', short: 'o' },
        ...PLOT_OPTIONS,
      },
      allowPositionals: true,
    });
    if (positionals.length !== 1) {
      io.err(`hepq plot: expected one RESULT file\n\n${help}`);
      return 2;
    }
    const file = positionals[0]!;
    let text: string;
    try {
      text = readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (e) {
      throw new HepqError('plot/no-file', `cannot read ${file}: ${(e as Error).message}`);
    }
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      throw new HepqError('plot/bad-json', `${file} is not JSON: ${(e as Error).message}`, {
        hint: 'write the result with hepq query … --format json > RESULT.json',
      });
    }
    // labels saved with the result (`labels`: {x, y, title, …}, as hepq demo writes them), then the options
    const saved = (v as { labels?: PlotLabels } | null)?.labels;
    const labels: PlotLabels = plotLabels(values, typeof saved === 'object' && saved !== null ? saved : {});
    const spec = specForResult(v, labels, file);
    if (!values.out) {
      const o = v as Record<string, unknown>;
      if (!('counts' in o))
        throw new HepqError('plot/no-out', 'only a histogram can be drawn in the terminal', {
          hint: 'give --out FILE.svg',
        });
      io.out(
        `${drawHistogram(o as unknown as HistogramData, { width: process.stdout.columns ?? 80, ...(labels.title ? { title: labels.title } : {}), ...(labels.x ? { xLabel: labels.x } : {}) }).join('\n')}\n`,
      );
      return 0;
    }
    const n = await writePlot(values.out, spec);
    io.err(`wrote ${values.out} (${n} bytes)\n`);
    return 0;
  },
};

export default command;
