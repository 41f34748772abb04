/**
 * The AGC example's inputs: one generated NanoAOD-like ROOT file per process (cross section in the file's
 * `hepq_metadata`), and the coffea-style fileset that names them with their metadata.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROCESSES, type SyntheticProcess } from '../../connectors/synthetic/index.js';
import { generateEventsParallel, writeRoot } from '../output/index.js';

/** The samples of the AGC tt̄ analysis (tt̄ is the signal). */
export const AGC_SAMPLES: readonly SyntheticProcess[] = [
  'ttbar',
  'single_top_s',
  'single_top_t',
  'single_top_tW',
  'wjets',
];

export interface SampleOptions {
  readonly dir: string;
  readonly events: number;
  readonly seed: number;
  /** Reuse files of the same name, events and seed already in `dir` (default true). */
  readonly reuse?: boolean;
  readonly signal?: AbortSignal;
}

/** The fileset JSON written beside the samples, as coffea writes one. */
export interface AgcFileset {
  readonly path: string;
  readonly json: Record<
    string,
    { files: Record<string, string>; metadata: Record<string, number | string | boolean> }
  >;
}

/** Generate (or reuse) one file per sample and write `fileset.json`; returns the fileset. */
export async function writeAgcSamples(options: SampleOptions): Promise<AgcFileset> {
  mkdirSync(options.dir, { recursive: true });
  const json: AgcFileset['json'] = {};
  for (const [k, process] of AGC_SAMPLES.entries()) {
    const seed = options.seed + k;
    const file = `${process}_${options.events}_s${seed}.root`;
    const path = join(options.dir, file);
    if (!(options.reuse ?? true) || !existsSync(path)) {
      const info = PROCESSES[process];
      const tmp = `${path}.part`;
      await writeRoot(
        tmp,
        generateEventsParallel({
          schema: 'nanoaod',
          events: options.events,
          seed,
          process,
          ...(options.signal ? { signal: options.signal } : {}),
        }),
        {
          tree: 'Events',
          metadata: { process, xsec_pb: info.xsec, truth_process: info.code, events: options.events, seed },
        },
      );
      renameSync(tmp, path);
    }
    json[process] = {
      files: { [file]: 'Events' },
      metadata: { xsec: PROCESSES[process].xsec, nevts: options.events, is_data: false, process },
    };
  }
  const path = join(options.dir, 'fileset.json');
  writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
  return { path, json };
}
