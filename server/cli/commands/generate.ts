/** `hepq generate`: synthetic events (seeded, reproducible) written as ROOT, Parquet or Arrow IPC. */
import { parseArgs } from 'node:util';
import {
  PROCESSES,
  ROOT_LAYOUT,
  SYNTHETIC_PROCESSES,
  SYNTHETIC_SCHEMAS,
  type SyntheticProcess,
  type SyntheticSchema,
} from '../../../connectors/synthetic/index.js';
import { didYouMean, HepqError } from '../../../exec/batch/index.js';
import { generateEventsParallel, writeArrow, writeParquet, writeRoot } from '../../output/index.js';
import type { Command } from '../command.js';
import { nonNegativeInt } from '../output.js';
import { ProgressReporter, streamWithProgress } from '../progress.js';

const FORMATS = ['root', 'parquet', 'arrow'] as const;
type Format = (typeof FORMATS)[number];

const help = `usage: hepq generate --schema adl|nanoaod|physlite --events N --out FILE
                     [--process ttbar|single_top_s|single_top_t|single_top_tW|wjets|dy|qcd] [--seed S] [--format root|parquet|arrow] [--compression zstd:5] [--cluster N] [--workers N] [--quiet]

Generate N synthetic collision events — a seeded mixture of Z→μμ, W→μν, tt̄ and QCD multijet events with
jets, muons, electrons, taus, photons and MET — and write them batch by batch (never all in memory).
The same seed gives the same events in every format, so engines can be compared on identical data.

  --schema       adl (default): the ADL benchmark layout; ROOT gets the flat NanoAOD names of
                 Run2012B_SingleMu (nMuon, Muon_pt[nMuon], MET_pt, …), Parquet/Arrow its nested layout
                 (Muon as a list of structs, MET and PV as structs).
                 nanoaod: NanoAOD-like with today's names; physlite: ATLAS AuxDyn std::vector branches (MeV).
  --process      one process only (the AGC tt̄ analysis's samples; schema nanoaod unless given): each event
                 carries its truth label in truth_process (0 QCD, 1 DY, 2 W+jets, 3 tt̄, 4/5/6 single top s/t/tW);
                 the file also holds hepq_metadata, JSON with process, xsec_pb (cross section in pb), events
                 and seed: a TNamed's title in ROOT, a key-value entry in Parquet.
  --format       from the file name (.root, .parquet, .arrow) unless given.
  --compression  ROOT: zstd[:1-9] (default zstd:5), lz4, zlib, lzma, none; Parquet: zstd, snappy, gzip, none.
  --cluster      events per cluster / row group / batch (default 100000).
  --workers      threads generating clusters while this one writes (default 0; the output is identical).

examples:
  hepq generate --schema adl --events 1000000 --out adl.root --seed 42
  hepq generate --schema adl --events 1000000 --out adl.parquet --seed 42
  hepq generate --process ttbar --events 100000 --out ttbar.root
`;

function formatOf(out: string, given: string | undefined): Format {
  const f =
    given ?? (/\.parquet$/i.test(out) ? 'parquet' : /\.(arrow|feather|ipc)$/i.test(out) ? 'arrow' : 'root');
  if (!FORMATS.includes(f as Format))
    throw new HepqError('cli/bad-format', `unknown format '${f}'`, {
      hint: `use one of ${FORMATS.join(', ')}`,
    });
  return f as Format;
}

function integer(s: string | undefined, name: string, fallback?: number): number {
  if (s === undefined) {
    if (fallback === undefined)
      throw new HepqError('cli/missing-option', `--${name} is required`, { hint: help.split('\n')[0] });
    return fallback;
  }
  return nonNegativeInt(s.replace(/_/g, ''), name)!;
}

const command: Command = {
  help,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        schema: { type: 'string' },
        process: { type: 'string' },
        events: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string' },
        format: { type: 'string' },
        compression: { type: 'string' },
        cluster: { type: 'string' },
        workers: { type: 'string' },
        quiet: { type: 'boolean', short: 'q', default: false },
      },
      allowPositionals: true,
    });
    if (positionals.length || !values.out) {
      io.err(
        `hepq generate: ${positionals.length ? `unexpected argument '${positionals[0]}'` : '--out FILE is required'}\n\n${help}`,
      );
      return 2;
    }
    const process = values.process as SyntheticProcess | undefined;
    if (process !== undefined && !SYNTHETIC_PROCESSES.includes(process)) {
      const near = didYouMean(process, SYNTHETIC_PROCESSES);
      throw new HepqError('cli/bad-process', `unknown process '${process}'`, {
        hint: near ? `did you mean ${near}?` : `use one of ${SYNTHETIC_PROCESSES.join(', ')}`,
      });
    }
    const schema = (values.schema ?? (process ? 'nanoaod' : 'adl')) as SyntheticSchema;
    if (!SYNTHETIC_SCHEMAS.includes(schema))
      throw new HepqError('cli/bad-schema', `unknown schema '${values.schema}'`, {
        hint: `use one of ${SYNTHETIC_SCHEMAS.join(', ')}`,
      });
    const events = integer(values.events, 'events');
    const seed = integer(values.seed, 'seed', 1);
    const batchSize = Math.max(1, integer(values.cluster, 'cluster', 100_000));
    const format = formatOf(values.out, values.format);
    // a progress bar on a terminal (stderr), none when piped or with --quiet
    const progress = new ProgressReporter({ quiet: values.quiet, label: 'generate' });
    const stream = streamWithProgress(
      generateEventsParallel({
        schema,
        events,
        seed,
        batchSize,
        columnOrder: format === 'root' ? 'root' : 'columnar',
        workers: integer(values.workers, 'workers', 0),
        ...(process ? { process } : {}),
      }),
      events,
      progress.update,
    );
    const metadata = process
      ? {
          process,
          xsec_pb: PROCESSES[process].xsec,
          description: PROCESSES[process].description,
          truth_process: PROCESSES[process].code,
          events,
          seed,
          generator: 'hepq generate',
        }
      : undefined;
    const t0 = performance.now();
    let bytes: number;
    if (format === 'root') {
      const layout = ROOT_LAYOUT[schema];
      const s = await writeRoot(values.out, stream, {
        tree: layout.tree,
        vectors: layout.vectors,
        compression: values.compression ?? 'zstd:5',
        clusterEntries: batchSize,
        ...(metadata ? { metadata } : {}),
      });
      bytes = s.bytes;
    } else {
      const widen = schema === 'adl';
      if (format === 'parquet') {
        const c = (values.compression ?? 'zstd').replace(/:\d+$/, '');
        const ok = ['zstd', 'snappy', 'gzip', 'brotli', 'lz4', 'none'];
        if (!ok.includes(c))
          throw new HepqError(
            'cli/bad-compression',
            `Parquet cannot use compression '${values.compression}'`,
            { hint: `use one of ${ok.join(', ')}` },
          );
        bytes = (
          await writeParquet(values.out, stream, {
            widenUnsigned: widen,
            compression: c as never,
            rowGroupRows: batchSize,
            ...(metadata ? { metadata } : {}),
          })
        ).bytes;
      } else bytes = (await writeArrow(values.out, stream, { widenUnsigned: widen })).bytes;
    }
    progress.finish();
    const s = (performance.now() - t0) / 1000;
    io.err(
      `wrote ${events} ${schema} events (seed ${seed}) to ${values.out} as ${format}: ${(bytes / 1e6).toFixed(1)} MB in ${s.toFixed(1)} s ` +
        `(${Math.round(events / s).toLocaleString('en-US')} events/s, ${(bytes / 1e6 / s).toFixed(1)} MB/s)\n`,
    );
    return 0;
  },
};

export default command;
