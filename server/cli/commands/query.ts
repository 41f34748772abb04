/** `hepq query 'QUERY' [FILE…]`: run a func_adl or qastle query over ROOT files and print its result. */
import { parseArgs } from 'node:util';
import { HepqError, type JsValue, toJsonSafe } from '../../../exec/batch/index.js';
import { resultToJson } from '../../../exec/index.js';
import { type DumpFormat, encodeBatch, resultBatch } from '../../output/encode.js';
import {
  drawHistogram,
  drawHistogram2D,
  histogramSpec,
  plotFormat,
  queryAxisLabel,
  writePlot,
} from '../../plot/index.js';
import { renderTable } from '../../repl/index.js';
import { histogramCsv } from '../../repl/repl.js';
import { Session } from '../../session.js';
import type { Command } from '../command.js';
import { textResult } from '../float32-text.js';
import { deviceOption, emit, nonNegativeInt } from '../output.js';
import { PLOT_HELP, PLOT_OPTIONS, plotLabels } from '../plot-options.js';
import { ProgressReporter } from '../progress.js';
import { URL_POLICY_HELP, URL_POLICY_OPTIONS, urlPrefixes } from '../url-options.js';

const FORMATS: readonly DumpFormat[] = ['jsonl', 'json', 'csv', 'arrow', 'parquet', 'root'];

const help = `usage: hepq query 'QUERY' [FILE…] [--file FILE]… [--tree NAME] [--format table|jsonl|json|csv|arrow|parquet|root]
                  [--out FILE] [--explain] [--start N] [--stop N] [--threads N] [--device cpu|gpu|auto|duckdb] [--cluster redis://HOST:PORT] [--plot FILE.svg|png] [--quiet]
                  [--param NAME=VALUE]… [--fileset FILE.json|yaml] [--allow-url-prefix P]…

Run a func_adl query (Python-lambda text, as func_adl users write it) or its qastle s-expression over the
tree of one or more ROOT files (local paths or http(s) URLs). Files may be given on the command line or in
the query's dataset: EventDataset('file.root', 'Events'). Several files are read as one tree, in order.

Rows print as jsonl by default, one row per line as awkward's tolist() gives it (dict results as objects,
tuples as arrays, a single selected value bare); --format json prints the whole list; --format table an
aligned table. Count/Sum/Min/Max/First print one JSON value; a histogram is drawn on a terminal and prints as
{edges, counts, sumw2, …} when piped or with --format json (--format csv: one row per bin). Binary formats
(arrow, parquet, root) need --out or a pipe.
csv, arrow, parquet and root write the rows as columns (tuple fields named col1, col2, …).
--explain prints the plan and the branches the query will read instead of running it.
--plot FILE draws a histogram result as an SVG or PNG for a talk (see also hepq plot; the plot options
below). On a terminal a progress bar
(events, rate, ETA) shows on stderr while the query scans; --quiet hides it, and it never shows when piped.
Queries that decompress enough data run as morsels of whole clusters on worker threads (--threads, default
the machine's cores; --threads 1 keeps everything on one thread). A query that can be fused into one WebGPU
kernel runs on the GPU when the measured costs say it is faster there (--device auto, the default, for
queries that would take longer on the CPU than opening a device); --device gpu forces it, --device cpu never
opens a GPU. --device duckdb runs the query as one SQL statement on the embedded DuckDB when it translates
(event-level Where/Select/SelectMany/Take/Skip, per-event reductions, Count/Min/Max, 1-D Hist: --explain
prints the statement, or why not, and then it runs on the CPU); results are the same as the compiled loop's. --cluster redis://HOST:PORT (or HEPQ_CLUSTER) sends large queries as morsels (files × clusters)
to the \`hepq worker --queue\` processes on that Redis queue, when the cost model says the queue's round trips
pay (--cluster-min-bytes N forces it from N decompressed bytes on); results merge as on one machine.

--param NAME=VALUE binds a free name of the query (a number, true/false, or text) at run time; the query text
is never edited. --fileset runs the query over every dataset of a coffea-style fileset, one pass per file,
with each dataset's metadata (and its name as \`dataset\`) bound as parameters; histograms print as one JSON
set labelled by dataset (and the query's categories), other results per dataset. A categorised histogram
query may end in a statistics stage — .Fit(config), .HypoTest(mu, config), .UpperLimit(config), the workspace
builder's config as a dict or a JSON/YAML path, asimov=True for the model's Asimov data — which runs once on
the histograms (of all datasets) and prints the fit's rows, as SQL's histfactory_fit_from does.
${PLOT_HELP}
URL inputs:
${URL_POLICY_HELP}

examples:
  hepq query "Select(lambda e: e.MET_pt).Hist(lambda m: m, bins=50, range=(0, 200), weight=lambda m: xsec * lumi / nevts)" \
             --fileset fileset.json --param lumi=3378
  hepq query "Select(lambda e: e.nMuon).Where(lambda n: n >= 2).Count()" nano.root
  hepq query "Where(lambda e: e.nJet >= 2).Select(lambda e: {'pt': e.Jet_pt, 'eta': e.Jet_eta})" \\
             ../shared/conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root --format json
  hepq query "SelectMany(lambda e: e.Jet_pt).Hist(lambda pt: pt, bins=100, range=(0, 200))" a.root b.root --tree Events
  hepq query "Select(lambda e: e.MET_pt)" nano.root --explain
  hepq query "Select(lambda e: e.MET_pt).Hist(lambda m: m, bins=50, range=(0, 200))" nano.root --plot met.svg \\
             --xlabel "MET [GeV]" --logy --experiment CMS --status Preliminary --lumi "4.4 fb⁻¹ (8 TeV)"
`;

const int = nonNegativeInt;

/** `--param NAME=VALUE`: numbers and true/false as such, anything else as text. */
function parseParams(items: readonly string[]): Record<string, number | boolean | string> {
  const out: Record<string, number | boolean | string> = {};
  for (const item of items) {
    const m = /^([A-Za-z_]\w*)=(.*)$/s.exec(item);
    if (!m)
      throw new HepqError('cli/bad-param', `--param ${item} is not NAME=VALUE`, {
        hint: 'e.g. --param lumi=3378 --param sample=ttbar',
      });
    const v = m[2]!;
    out[m[1]!] =
      v === 'true'
        ? true
        : v === 'false'
          ? false
          : v.trim() !== '' && Number.isFinite(Number(v))
            ? Number(v)
            : v;
  }
  return out;
}

/** A batch with its selection vector applied (an event-level Where keeps whole events). */
const command: Command = {
  help,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        tree: { type: 'string' },
        file: { type: 'string', short: 'f', multiple: true },
        format: { type: 'string' },
        out: { type: 'string' },
        explain: { type: 'boolean', default: false },
        plot: { type: 'string' },
        quiet: { type: 'boolean', short: 'q', default: false },
        analyze: { type: 'boolean', default: false },
        start: { type: 'string' },
        stop: { type: 'string' },
        threads: { type: 'string' },
        device: { type: 'string' },
        param: { type: 'string', multiple: true },
        fileset: { type: 'string' },
        ...PLOT_OPTIONS,
        cluster: { type: 'string' },
        'cluster-min-bytes': { type: 'string' },
        ...URL_POLICY_OPTIONS,
      },
      allowPositionals: true,
    });
    const params = parseParams(values.param ?? []);
    const [text, ...rest] = positionals;
    const files = [...(values.file ?? []), ...rest];
    if (!text) {
      io.err(`hepq query: expected a QUERY\n\n${help}`);
      return 2;
    }
    if (/\.(root|parquet)$/i.test(text) && !/[()]/.test(text)) {
      const q = files.find((f) => /[()]/.test(f));
      const rest = [text, ...files.filter((f) => f !== q)].join(' ');
      throw new HepqError('cli/query-first', `'${text}' looks like a file, but the query comes first`, {
        hint: q ? `hepq query "${q}" ${rest}` : `hepq query 'QUERY' ${rest}`,
      });
    }
    const format = (values.format ?? 'jsonl') as DumpFormat | 'table';
    const terminal = process.stdout.isTTY === true && !values.out;
    if (terminal && (format === 'arrow' || format === 'parquet' || format === 'root'))
      throw new HepqError('cli/binary-to-terminal', `--format ${format} is binary and stdout is a terminal`, {
        hint: `write it to a file with --out FILE.${format}, or pipe it (| …)`,
      });
    if (format !== 'table' && !FORMATS.includes(format))
      throw new HepqError('cli/bad-format', `unknown format '${values.format}'`, {
        hint: `use one of table, ${FORMATS.join(', ')}`,
      });
    const start = int(values.start, 'start');
    const stop = int(values.stop, 'stop');
    const threads = int(values.threads, 'threads');
    const device = deviceOption(values.device);
    const cluster = values.cluster ?? process.env.HEPQ_CLUSTER;
    const clusterMinBytes = int(values['cluster-min-bytes'], 'cluster-min-bytes');
    const redirectPrefixes = urlPrefixes(values);
    const session = new Session({
      ...(redirectPrefixes ? { redirectPrefixes } : {}),
      ...(threads ? { threads } : {}),
      ...(device ? { device } : {}),
      ...(cluster ? { cluster } : {}),
      ...(clusterMinBytes !== undefined ? { clusterMinBytes } : {}),
    });
    try {
      const options = {
        files,
        ...(Object.keys(params).length ? { params } : {}),
        ...(values.tree ? { tree: values.tree } : {}),
        ...(start !== undefined || stop !== undefined
          ? { range: { start: start ?? 0, stop: stop ?? Number.MAX_SAFE_INTEGER } }
          : {}),
      };
      if (values.fileset) {
        const r = await session.queryFileset(text, values.fileset, { ...options, params });
        // a statistics stage (`….Fit(config)`) gives its rows; otherwise the merged histograms
        const json = r.stats
          ? resultToJson(textResult(r.stats))
          : r.histograms
            ? r.histograms
            : r.datasets.map((d) => ({ dataset: d.dataset, results: d.results.map((x) => resultToJson(x)) }));
        await emit(`${JSON.stringify(toJsonSafe(json as JsValue))}\n`, values.out, io);
        return 0;
      }
      if (values.explain && values.analyze) {
        io.out(`${await session.explainAnalyze(text, options)}\n`);
        return 0;
      }
      if (values.explain) {
        io.out(`${await session.explain(text, options)}\n`);
        return 0;
      }
      if (values.plot) plotFormat(values.plot); // a bad plot file name fails before the scan
      const progress = new ProgressReporter({ quiet: values.quiet, label: 'scan' });
      // Ctrl-C cancels the query (a cluster's waiting morsels are withdrawn, workers stop), then exits 130.
      const cancel = new AbortController();
      const onInt = () =>
        cancel.abort(new HepqError('cli/cancelled', 'cancelled (Ctrl-C)', { kind: 'resource' }));
      process.once('SIGINT', onInt);
      const result = await session
        .query(text, { ...options, onProgress: progress.update, signal: cancel.signal })
        .finally(() => {
          process.off('SIGINT', onInt);
          progress.finish();
        });
      if (values.plot) {
        if (result.kind !== 'histogram')
          throw new HepqError(
            'cli/not-a-histogram',
            `--plot draws histograms; this query returns ${result.kind}`,
            {
              hint: 'end the query with .Hist(lambda x: x, bins=50, range=(lo, hi))',
            },
          );
        const x = queryAxisLabel(text);
        const n = await writePlot(
          values.plot,
          histogramSpec(result.histogram, plotLabels(values, x !== undefined ? { x } : {})),
        );
        if (!values.quiet) io.err(`wrote ${values.plot} (${n} bytes)\n`);
      }
      let bytes: string | Uint8Array;
      if (result.kind === 'histogram' && (format === 'csv' || (values.format === undefined && terminal))) {
        // a histogram on a terminal is drawn (as the REPL does); piped, it stays JSON; csv is one row per bin
        const h = result.histogram;
        const x = queryAxisLabel(text);
        bytes =
          format === 'csv'
            ? histogramCsv(h)
            : `${(h.edges2 ? drawHistogram2D : drawHistogram)(h, { width: Math.min(process.stdout.columns ?? 100, 120), ...(x ? { xLabel: x } : {}) }).join('\n')}\n`;
        await emit(bytes, values.out, io);
        return 0;
      }
      // Rows and values as awkward's tolist() gives them: records as objects, tuples as arrays, a bare value
      // per row for single-column selections, a top-level aggregate as a bare scalar.
      const json =
        format === 'json' || format === 'jsonl' || (format === 'table' && result.kind !== 'rows')
          ? toJsonSafe(resultToJson(textResult(result)) as JsValue)
          : undefined;
      if (format === 'json') bytes = `${JSON.stringify(json)}\n`;
      else if (format === 'jsonl')
        bytes =
          Array.isArray(json) && result.kind === 'rows'
            ? json.map((r) => `${JSON.stringify(r)}\n`).join('')
            : `${JSON.stringify(json)}\n`;
      else if (format === 'table')
        bytes =
          result.kind === 'rows'
            ? `${renderTable(resultToJson(textResult(result)) as JsValue[], result.shape, process.stdout.columns ?? 120, Number.MAX_SAFE_INTEGER)}\n`
            : `${JSON.stringify(json)}\n`;
      else if (result.kind === 'rows') {
        bytes = await encodeBatch(resultBatch(result.schema, result.batches), format);
      } else
        throw new HepqError('cli/bad-format', `this query returns one ${result.kind}, not rows`, {
          hint: 'use --format json (or jsonl, table) for values and histograms',
        });
      await emit(bytes, values.out, io);
      return 0;
    } finally {
      await session.close();
    }
  },
};

export default command;
