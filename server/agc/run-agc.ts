/**
 * The AGC tt̄ chain end to end: generated samples → every histogram (2 regions × 5 samples × 13 variations)
 * in one pass per file → a HistFactory workspace (stats/builder) → fit of the tt̄ signal strength and CLs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFileset } from '../../connectors/index.js';
import { Rng } from '../../connectors/synthetic/index.js';
import type { HistogramSet } from '../../exec/index.js';
import type { BuilderConfig, HistogramEntry, WorkspaceSpec } from '../../stats/index.js';
import { queryFileset } from '../fileset-query.js';
import { fitHistograms } from '../fit-histograms.js';
import { Session } from '../session.js';
import { AGC_OBJECT_VARIATIONS, AGC_QUERY, AGC_REGIONS } from './agc-query.js';
import { AGC_SAMPLES, writeAgcSamples } from './agc-samples.js';

/** The integrated luminosity of the AGC's CMS 2015 open data, in pb⁻¹. */
export const AGC_LUMI = 3378;

export interface AgcOptions {
  /** Events generated per sample. */
  readonly events: number;
  /** Fit the Asimov data of the built model (μ = 1) instead of the Poisson pseudo-data. */
  readonly asimov?: boolean;
  /**
   * Where the samples go; existing samples of the same size and seed are reused. Default: a temporary folder,
   * removed when the chain is done.
   */
  readonly dir?: string;
  readonly seed?: number;
  readonly threads?: number;
  readonly signal?: AbortSignal;
  /** Progress lines (to stderr in the CLI). */
  readonly log?: (line: string) => void;
}

export interface AgcResult {
  readonly mu_hat: number;
  readonly mu_err: number;
  readonly cls_obs: number;
  /** Expected CLs at μ = 1: −2σ, −1σ, median, +1σ, +2σ. */
  readonly cls_exp: readonly number[];
  readonly twice_nll: number;
  readonly converged: boolean;
  /** Histograms filled (all datasets, regions and variations). */
  readonly histograms: number;
  readonly files: number;
  readonly events: number;
  /** Wall-clock seconds of the whole chain, and of its parts. */
  readonly seconds: number;
  readonly timing: { readonly generate: number; readonly histograms: number; readonly fit: number };
  /** Modifiers the builder pruned. */
  readonly pruned: number;
  /** The samples' folder and fileset (absent when they went to a temporary folder, now removed). */
  readonly dir?: string;
  readonly fileset?: string;
  readonly workspace: WorkspaceSpec;
  /** The filled histograms (labelled dataset, region, variation): the fit's inputs, for plots and checks. */
  readonly set: HistogramSet;
}

/**
 * The builder config of the analysis: tt̄ signal; b-tag, W+jets scale, jet energy scale and resolution. Samples
 * empty in a region and bins without prediction need no special care: the builder handles both.
 */
export function agcBuilderConfig(asimov: boolean): BuilderConfig {
  return {
    regions: [...AGC_REGIONS],
    samples: AGC_SAMPLES.map((name) => ({ name, ...(name === 'ttbar' ? { signal: true } : {}) })),
    systematics: [
      ...[0, 1, 2, 3].map((i) => ({
        name: `btag_var_${i}`,
        type: 'normplusshape' as const,
        up: `btag_var_${i}_up`,
        down: `btag_var_${i}_down`,
      })),
      {
        name: 'scale_var',
        type: 'normplusshape' as const,
        up: 'scale_var_up',
        down: 'scale_var_down',
        samples: ['wjets'],
      },
      { name: 'jet_energy_scale', type: 'normplusshape' as const, up: AGC_OBJECT_VARIATIONS[0] },
      { name: 'jet_energy_res', type: 'normplusshape' as const, up: AGC_OBJECT_VARIATIONS[1] },
    ],
    lumi: { relErr: 0.03 },
    pruning: { normsys: 0.001, histosys: 0.001 },
    ...(asimov ? { asimov: true } : { data: 'data' }),
  };
}

/**
 * Pseudo-data: the total nominal prediction per region, Poisson-fluctuated with a fixed seed (normal
 * approximation above 1000 expected events).
 */
export function pseudoData(set: HistogramSet, seed: number): HistogramEntry[] {
  const rng = new Rng(seed, 0x5eed);
  return AGC_REGIONS.map((region) => {
    const nominal = set.histograms.filter(
      (h) => h.labels.region === region && h.labels.variation === 'nominal',
    );
    const mean = nominal[0]!.counts.map((_c, i) => nominal.reduce((a, h) => a + h.counts[i]!, 0));
    const counts = mean.map((m) =>
      m > 1000 ? Math.max(0, Math.round(rng.normal(m, Math.sqrt(m)))) : rng.poisson(m),
    );
    return { region, sample: 'data', histogram: { edges: nominal[0]!.edges, counts, sumw2: counts } };
  });
}

/** Run the chain. */
export async function runAgc(options: AgcOptions): Promise<AgcResult> {
  const t0 = performance.now();
  const log = options.log ?? (() => {});
  const seed = options.seed ?? 1;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'hepq-agc-'));
  log(`generating ${AGC_SAMPLES.length} samples of ${options.events} events in ${dir}`);
  const written = await writeAgcSamples({
    dir,
    events: options.events,
    seed,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const t1 = performance.now();
  const session = new Session({ threads: options.threads ?? 1 });
  let set: HistogramSet;
  let files: number;
  try {
    log('filling histograms: one pass per file');
    const r = await queryFileset(session, AGC_QUERY, loadFileset(written.path), {
      params: { lumi: AGC_LUMI, seed },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    set = r.histograms!;
    files = r.files;
  } finally {
    await session.close();
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
  }
  const t2 = performance.now();
  log(`filled ${set.histograms.length} histograms; building the workspace and fitting`);
  const asimov = options.asimov ?? false;
  const fitted = fitHistograms(set, agcBuilderConfig(asimov), {
    ...(asimov ? {} : { extra: pseudoData(set, seed) }),
  });
  const t3 = performance.now();
  return {
    mu_hat: fitted.mu_hat,
    mu_err: fitted.mu_err,
    cls_obs: fitted.cls_obs,
    cls_exp: fitted.cls_exp,
    twice_nll: fitted.twice_nll,
    converged: fitted.converged,
    histograms: set.histograms.length,
    files,
    events: files * options.events,
    seconds: (t3 - t0) / 1000,
    timing: { generate: (t1 - t0) / 1000, histograms: (t2 - t1) / 1000, fit: (t3 - t2) / 1000 },
    pruned: fitted.pruned,
    ...(options.dir ? { dir, fileset: written.path } : {}),
    workspace: fitted.workspace,
    set,
  };
}
