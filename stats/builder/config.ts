/** The declarative builder config (JSON/YAML-able, after cabinetry's) and the histogram inputs it is applied to. */
import type { ParameterConfigSpec } from '../spec/types.js';

/**
 * A binned histogram: the shape of exec/sinks' HistogramResult (edges, counts, sumw2), in-range bins only.
 * `sumw2` defaults to `counts` (unweighted); `edges`, when given, must agree within a region.
 */
export interface BinnedHistogram {
  readonly edges?: ArrayLike<number>;
  readonly counts: ArrayLike<number>;
  readonly sumw2?: ArrayLike<number>;
}

/** One histogram of a region × sample × variation (`variation` empty or absent for the nominal). */
export interface HistogramEntry {
  readonly region: string;
  readonly sample: string;
  readonly variation?: string;
  readonly histogram: BinnedHistogram;
}

/** One histogram bin; `variation` is empty (or absent) for the nominal histogram. */
export interface HistogramRow {
  readonly region: string;
  readonly sample: string;
  readonly variation?: string;
  /** 0-based bin index */
  readonly bin: number;
  readonly content: number;
  /** sum of squared weights (default: content, i.e. unweighted) */
  readonly sumw2?: number;
}

/**
 * How a two-sided variation is made symmetric. Absent `down` always mirrors `up` around the nominal
 * (one-sided: down = 2·nominal − up, lo = 2 − hi); `two-sided` replaces both by nominal ± (up − down)/2.
 */
export type Symmetrize = 'none' | 'two-sided';

interface SystematicBase {
  /** the modifier (and parameter) name */
  readonly name: string;
  /** samples it applies to (default: every sample) */
  readonly samples?: readonly string[];
  /** regions it applies to (default: every region) */
  readonly regions?: readonly string[];
}

/** A normalisation uncertainty: fixed factors, or the yield ratio of variation histograms to the nominal. */
export interface NormsysConfig extends SystematicBase {
  readonly type: 'normsys';
  readonly hi?: number;
  readonly lo?: number;
  /** variation names whose total yields give hi/lo (instead of fixed factors) */
  readonly up?: string;
  readonly down?: string;
  readonly symmetrize?: Symmetrize;
}

/** A shape uncertainty from up/down variation histograms (`normplusshape` splits it into normsys + histosys). */
export interface HistosysConfig extends SystematicBase {
  readonly type: 'histosys' | 'normplusshape';
  readonly up: string;
  readonly down?: string;
  readonly symmetrize?: Symmetrize;
}

/** Per-bin γ with a Poisson constraint; σ per bin from a variation holding absolute uncertainties, else √sumw2. */
export interface ShapesysConfig extends SystematicBase {
  readonly type: 'shapesys';
  readonly uncertainty?: string;
}

/** A staterror set from the nominal histograms' √sumw2 (shared by the samples naming it). */
export interface StaterrorConfig extends SystematicBase {
  readonly type: 'staterror';
}

/**
 * A free normalisation (normfactor), free per-bin factors (shapefactor), or a luminosity modifier under its own
 * name (its auxdata and σ come from `parameters`).
 */
export interface FactorConfig extends SystematicBase {
  readonly type: 'normfactor' | 'shapefactor' | 'lumi';
}

export type SystematicConfig =
  | NormsysConfig
  | HistosysConfig
  | ShapesysConfig
  | StaterrorConfig
  | FactorConfig;

export interface SampleConfig {
  readonly name: string;
  /** scaled by the POI */
  readonly signal?: boolean;
  /** further free normalisations (e.g. a control-region-fitted background) */
  readonly normFactors?: readonly string[];
  /** luminosity uncertainty applies (default: when the config has `lumi`) */
  readonly lumi?: boolean;
  /** MC statistical uncertainty `staterror_<region>` from √sumw2 (default true) */
  readonly staterror?: boolean;
  readonly normsys?: readonly { readonly name: string; readonly hi: number; readonly lo: number }[];
  /** shape systematics from variations of the histograms (`down` absent: mirrored) */
  readonly histosys?: readonly {
    readonly name: string;
    readonly up: string;
    readonly down?: string;
    readonly symmetrize?: Symmetrize;
  }[];
  /** regions the sample contributes to (default: all) */
  readonly regions?: readonly string[];
}

/** Drop normsys / histosys whose largest relative effect is below a threshold (e.g. 0.005 for 0.5%). */
export interface PruningConfig {
  /** max(|hi − 1|, |lo − 1|) below this: the normsys is dropped */
  readonly normsys?: number;
  /** max over bins of |variation − nominal| / nominal below this (both sides): the histosys is dropped */
  readonly histosys?: number;
}

export interface BuilderConfig {
  /** region (channel) names */
  readonly regions: readonly string[];
  readonly samples: readonly SampleConfig[];
  /** further modifiers by sample and region, cabinetry-style */
  readonly systematics?: readonly SystematicConfig[];
  /** the sample name holding observed data (default 'data') */
  readonly data?: string;
  /** no data histogram: observations are the pre-fit Asimov data at POI = 1 */
  readonly asimov?: boolean;
  /** POI name (default 'mu'; '' for a model without POI) */
  readonly poi?: string;
  readonly measurement?: string;
  /** luminosity: relative uncertainty (and value, default 1) */
  readonly lumi?: { readonly relErr: number; readonly value?: number };
  readonly pruning?: PruningConfig;
  /** extra parameter settings for the measurement */
  readonly parameters?: readonly ParameterConfigSpec[];
}

/** A modifier the builder left out, and why. */
export interface PrunedModifier {
  readonly region: string;
  readonly sample: string;
  readonly name: string;
  readonly type: 'normsys' | 'histosys';
  /** the largest relative effect found */
  readonly effect: number;
}
