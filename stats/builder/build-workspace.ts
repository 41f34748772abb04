/**
 * Builds a workspace from histograms (e.g. filled by a query: one row per region × sample × variation × bin) and a
 * small declarative config: which sample is signal, which variations form a histosys, which normsys values apply.
 */
import { type Batch, didYouMean, HepqError, valueAt } from '../../exec/batch/index.js';
import type { ChannelSpec, ModifierSpec, ParameterConfigSpec, WorkspaceSpec } from '../spec/types.js';
import { Workspace } from '../workspace.js';

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

export interface SampleConfig {
  readonly name: string;
  /** scaled by the POI */
  readonly signal?: boolean;
  /** further free normalisations (e.g. a control-region-fitted background) */
  readonly normFactors?: readonly string[];
  /** luminosity uncertainty applies (default true) */
  readonly lumi?: boolean;
  /** MC statistical uncertainty (staterror per region) applies (default true) */
  readonly staterror?: boolean;
  readonly normsys?: readonly { readonly name: string; readonly hi: number; readonly lo: number }[];
  /** shape systematics from two variations of the histograms */
  readonly histosys?: readonly { readonly name: string; readonly up: string; readonly down: string }[];
  /** regions the sample contributes to (default: all) */
  readonly regions?: readonly string[];
}

export interface BuilderConfig {
  /** region (channel) names, in order */
  readonly regions: readonly string[];
  readonly samples: readonly SampleConfig[];
  /** the sample name holding observed data (default 'data') */
  readonly data?: string;
  /** POI name (default 'mu') */
  readonly poi?: string;
  readonly measurement?: string;
  /** luminosity: relative uncertainty (and value, default 1) */
  readonly lumi?: { readonly relErr: number; readonly value?: number };
  /** extra parameter settings for the measurement */
  readonly parameters?: readonly ParameterConfigSpec[];
}

/** Rows from a batch with columns region, sample, [variation], bin, content, [sumw2]. */
export function histogramRowsFromBatch(batch: Batch): HistogramRow[] {
  const idx = (name: string, required: boolean) => {
    const i = batch.schema.fields.findIndex((f) => f.name === name);
    if (i < 0 && required)
      throw new HepqError('STATS_BUILDER', `the histogram table has no '${name}' column`, {
        hint: `columns needed: region, sample, bin, content (optional: variation, sumw2); found ${batch.schema.fields.map((f) => f.name).join(', ')}`,
      });
    return i;
  };
  const [r, s, v, b, c, w] = [
    idx('region', true),
    idx('sample', true),
    idx('variation', false),
    idx('bin', true),
    idx('content', true),
    idx('sumw2', false),
  ];
  const rows: HistogramRow[] = [];
  const n = batch.selection ? batch.selection.length : batch.length;
  for (let k = 0; k < n; k++) {
    const i = batch.selection ? batch.selection[k]! : k;
    const get = (col: number) => (col < 0 ? undefined : valueAt(batch.columns[col]!, i));
    rows.push({
      region: String(get(r)),
      sample: String(get(s)),
      variation: v < 0 ? '' : String(get(v) ?? ''),
      bin: Number(get(b)),
      content: Number(get(c)),
      sumw2: w < 0 ? undefined : Number(get(w)),
    });
  }
  return rows;
}

export function buildWorkspace(config: BuilderConfig, input: Iterable<HistogramRow> | Batch): Workspace {
  const rows =
    Symbol.iterator in Object(input)
      ? [...(input as Iterable<HistogramRow>)]
      : histogramRowsFromBatch(input as Batch);
  const hists = new Map<string, { content: number[]; sumw2: number[] }>();
  const key = (region: string, sample: string, variation = '') =>
    `${region}\u0000${sample}\u0000${variation}`;
  for (const row of rows) {
    const k = key(row.region, row.sample, row.variation ?? '');
    let h = hists.get(k);
    if (!h) {
      h = { content: [], sumw2: [] };
      hists.set(k, h);
    }
    h.content[row.bin] = (h.content[row.bin] ?? 0) + row.content;
    h.sumw2[row.bin] = (h.sumw2[row.bin] ?? 0) + (row.sumw2 ?? row.content);
  }
  const available = (region: string) =>
    [...hists.keys()]
      .filter((k) => k.startsWith(`${region}\u0000`))
      .map((k) => k.split('\u0000').slice(1).filter(Boolean).join('/'));
  const nbins = new Map<string, number>();
  const hist = (region: string, sample: string, variation = '') => {
    const h = hists.get(key(region, sample, variation));
    if (!h) {
      const what = `${region}/${sample}${variation ? `/${variation}` : ''}`;
      const guess = didYouMean(`${sample}${variation ? `/${variation}` : ''}`, available(region));
      throw new HepqError('STATS_BUILDER', `no histogram for ${what}`, {
        hint: guess
          ? `did you mean '${region}/${guess}'?`
          : `region '${region}' has: ${available(region).join(', ') || 'nothing'}`,
      });
    }
    const n = nbins.get(region) ?? h.content.length;
    nbins.set(region, n);
    if (h.content.length > n)
      throw new HepqError(
        'STATS_BUILDER',
        `${region}/${sample}${variation ? `/${variation}` : ''} has ${h.content.length} bins, the region has ${n}`,
      );
    const fill = (a: number[]) => Array.from({ length: n }, (_, i) => a[i] ?? 0);
    return { content: fill(h.content), sumw2: fill(h.sumw2) };
  };

  const poi = config.poi ?? 'mu';
  const dataName = config.data ?? 'data';
  const normfactors = new Set<string>();
  const channels: ChannelSpec[] = config.regions.map((region) => {
    const samples = config.samples
      .filter((s) => !s.regions || s.regions.includes(region))
      .map((s) => {
        const nominal = hist(region, s.name);
        const modifiers: ModifierSpec[] = [];
        if (s.signal) {
          modifiers.push({ name: poi, type: 'normfactor', data: null });
          normfactors.add(poi);
        }
        for (const nf of s.normFactors ?? []) {
          modifiers.push({ name: nf, type: 'normfactor', data: null });
          normfactors.add(nf);
        }
        if ((s.lumi ?? true) && config.lumi) modifiers.push({ name: 'lumi', type: 'lumi', data: null });
        if (s.staterror ?? true)
          modifiers.push({
            name: `staterror_${region}`,
            type: 'staterror',
            data: nominal.sumw2.map((x) => Math.sqrt(x)),
          });
        for (const n of s.normsys ?? [])
          modifiers.push({ name: n.name, type: 'normsys', data: { hi: n.hi, lo: n.lo } });
        for (const h of s.histosys ?? [])
          modifiers.push({
            name: h.name,
            type: 'histosys',
            data: {
              hi_data: hist(region, s.name, h.up).content,
              lo_data: hist(region, s.name, h.down).content,
            },
          });
        return { name: s.name, data: nominal.content, modifiers };
      });
    return { name: region, samples };
  });
  const observations = config.regions.map((region) => ({
    name: region,
    data: hist(region, dataName).content,
  }));
  const parameters: ParameterConfigSpec[] = [];
  if (config.lumi) {
    const v = config.lumi.value ?? 1;
    const s = v * config.lumi.relErr;
    parameters.push({
      name: 'lumi',
      auxdata: [v],
      sigmas: [s],
      inits: [v],
      bounds: [[Math.max(0, v - 5 * s), v + 5 * s]],
    });
  }
  for (const p of config.parameters ?? []) parameters.push(structuredClone(p) as ParameterConfigSpec);
  if (!normfactors.has(poi))
    throw new HepqError(
      'STATS_BUILDER',
      `no sample is marked as signal, so the POI '${poi}' scales nothing`,
      {
        hint: 'set signal: true on the signal sample',
      },
    );
  const spec: WorkspaceSpec = {
    channels,
    observations,
    measurements: [{ name: config.measurement ?? 'meas', config: { poi, parameters } }],
    version: '1.0.0',
  };
  return Workspace.fromJSON(spec, 'built workspace');
}
