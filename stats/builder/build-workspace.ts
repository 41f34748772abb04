/**
 * Builds a pyhf workspace from histograms (region × sample × variation, e.g. filled by a query) and a declarative
 * config after cabinetry's `build_workspace`: signal and free normalisations, lumi, staterror from sumw2, normsys
 * and histosys from factors or variation histograms (symmetrised on request), shapesys, shapefactors, pruning.
 */
import { assertNever, HepqError } from '../../exec/batch/index.js';
import { asimovData } from '../infer/asimov.js';
import type { ChannelSpec, ModifierSpec, ParameterConfigSpec, WorkspaceSpec } from '../spec/types.js';
import { Workspace } from '../workspace.js';
import type { BuilderConfig, PrunedModifier, SampleConfig, SystematicConfig } from './config.js';
import { type BuilderInput, HistogramStore, type StoredHistogram } from './histogram-store.js';
import { normEffect, shapeEffect, sum, symmetricFactors, symmetricTemplates } from './variations.js';

export interface BuildResult {
  /** the workspace, validated against pyhf's schema */
  readonly workspace: Workspace;
  /** modifiers dropped by pruning */
  readonly pruned: readonly PrunedModifier[];
  /** bin edges per region, when the input histograms carried them */
  readonly edges: Readonly<Record<string, readonly number[]>>;
}

const applies = (
  s: { samples?: readonly string[]; regions?: readonly string[] },
  region: string,
  sample: string,
) => (!s.samples || s.samples.includes(sample)) && (!s.regions || s.regions.includes(region));

function checkConfig(config: BuilderConfig): void {
  const regions = new Set(config.regions);
  const samples = new Set(config.samples.map((s) => s.name));
  const check = (what: string, names: readonly string[] | undefined, known: Set<string>, kind: string) => {
    for (const n of names ?? [])
      if (!known.has(n))
        throw new HepqError(
          'stats/builder',
          `${what} names ${kind} '${n}', which the config does not define`,
          {
            hint: `${kind}s: ${[...known].join(', ')}`,
          },
        );
  };
  for (const s of config.samples) check(`sample '${s.name}'`, s.regions, regions, 'region');
  for (const sys of config.systematics ?? []) {
    check(`systematic '${sys.name}'`, sys.regions, regions, 'region');
    check(`systematic '${sys.name}'`, sys.samples, samples, 'sample');
  }
}

/** Builds the workspace and reports what pruning dropped (see BuilderConfig). */
export function buildWorkspaceWithReport(config: BuilderConfig, input: BuilderInput): BuildResult {
  checkConfig(config);
  const store = new HistogramStore(input);
  const poi = config.poi ?? 'mu';
  const pruned: PrunedModifier[] = [];

  const addNormsys = (
    mods: ModifierSpec[],
    region: string,
    sample: string,
    name: string,
    hi: number,
    lo: number,
  ) => {
    if (!(hi > 0 && lo > 0))
      throw new HepqError(
        'stats/builder',
        `normsys '${name}' on ${region}/${sample}: factors hi = ${hi}, lo = ${lo} must be positive`,
        { hint: 'a one-sided variation larger than 100% cannot be mirrored; give the down variation' },
      );
    const effect = normEffect(hi, lo);
    if (config.pruning?.normsys !== undefined && effect < config.pruning.normsys) {
      pruned.push({ region, sample, name, type: 'normsys', effect });
      return;
    }
    mods.push({ name, type: 'normsys', data: { hi, lo } });
  };
  const addHistosys = (
    mods: ModifierSpec[],
    region: string,
    sample: string,
    name: string,
    nominal: readonly number[],
    hi: number[],
    lo: number[],
  ) => {
    const effect = shapeEffect(nominal, hi, lo);
    if (config.pruning?.histosys !== undefined && effect < config.pruning.histosys) {
      pruned.push({ region, sample, name, type: 'histosys', effect });
      return;
    }
    mods.push({ name, type: 'histosys', data: { hi_data: hi, lo_data: lo } });
  };

  const systematic = (
    mods: ModifierSpec[],
    sys: SystematicConfig,
    region: string,
    sample: string,
    nominal: StoredHistogram,
  ) => {
    // A sample with no yield in the region gets no normsys or shape modifier from variations (its normalisation
    // ratio would be 0/0), reported as pruned with effect 0. A one-sided variation is mirrored around the
    // nominal, which an empty nominal bin cannot be: an event migrating in would give a template (up > 0,
    // down clamped to 0) that code4p interpolates to negative rates, an unbounded likelihood; there the
    // variation is taken as equal to the nominal.
    const variation = (name: string) => store.get(region, sample, name).content;
    const oneSided = (name: string) => variation(name).map((x, i) => (nominal.content[i] === 0 ? 0 : x));
    const empty = sum(nominal.content) === 0;
    const dropEmpty = (...types: PrunedModifier['type'][]) => {
      for (const type of types) pruned.push({ region, sample, name: sys.name, type, effect: 0 });
    };
    switch (sys.type) {
      case 'normfactor':
        mods.push({ name: sys.name, type: 'normfactor', data: null });
        return;
      case 'shapefactor':
      case 'lumi':
        mods.push({ name: sys.name, type: sys.type, data: null });
        return;
      case 'staterror':
        mods.push({ name: sys.name, type: 'staterror', data: nominal.sumw2.map(Math.sqrt) });
        return;
      case 'shapesys':
        mods.push({
          name: sys.name,
          type: 'shapesys',
          data: sys.uncertainty ? variation(sys.uncertainty) : nominal.sumw2.map(Math.sqrt),
        });
        return;
      case 'normsys': {
        let hi: number;
        let lo: number | undefined;
        if (sys.up !== undefined) {
          if (empty) return dropEmpty('normsys');
          const n = sum(nominal.content);
          hi = sum(variation(sys.up)) / n;
          lo = sys.down !== undefined ? sum(variation(sys.down)) / n : undefined;
        } else if (sys.hi !== undefined) {
          hi = sys.hi;
          lo = sys.lo;
        } else
          throw new HepqError('stats/builder', `normsys '${sys.name}' needs hi (and lo) or an up variation`);
        const f = symmetricFactors(hi, lo, sys.symmetrize);
        addNormsys(mods, region, sample, sys.name, f.hi, f.lo);
        return;
      }
      case 'histosys':
      case 'normplusshape': {
        if (empty)
          return dropEmpty(
            ...(sys.type === 'histosys' ? ['histosys' as const] : ['normsys' as const, 'histosys' as const]),
          );
        const nom = nominal.content;
        const t = symmetricTemplates(
          nom,
          sys.down !== undefined ? variation(sys.up) : oneSided(sys.up),
          sys.down !== undefined ? variation(sys.down) : undefined,
          sys.symmetrize,
        );
        if (sys.type === 'histosys') {
          addHistosys(mods, region, sample, sys.name, nom, t.hi, t.lo);
          return;
        }
        // normalisation as a normsys, the shape normalised to the nominal total as a histosys
        const n = sum(nom);
        const [sh, sl] = [sum(t.hi), sum(t.lo)];
        addNormsys(mods, region, sample, sys.name, sh / n, sl / n);
        const scale = (a: number[], s: number) => a.map((x) => (s > 0 ? (x * n) / s : x));
        addHistosys(mods, region, sample, sys.name, nom, scale(t.hi, sh), scale(t.lo, sl));
        return;
      }
      default:
        return assertNever(sys, 'systematic type');
    }
  };

  const sampleModifiers = (s: SampleConfig, region: string, nominal: StoredHistogram): ModifierSpec[] => {
    const mods: ModifierSpec[] = [];
    if (s.signal) {
      if (!poi)
        throw new HepqError(
          'stats/builder',
          `sample '${s.name}' is marked signal, but the config has no POI`,
        );
      mods.push({ name: poi, type: 'normfactor', data: null });
    }
    for (const nf of s.normFactors ?? []) {
      mods.push({ name: nf, type: 'normfactor', data: null });
    }
    if (s.lumi === true || (s.lumi !== false && config.lumi))
      mods.push({ name: 'lumi', type: 'lumi', data: null });
    if (s.staterror ?? true)
      mods.push({ name: `staterror_${region}`, type: 'staterror', data: nominal.sumw2.map(Math.sqrt) });
    for (const n of s.normsys ?? []) addNormsys(mods, region, s.name, n.name, n.hi, n.lo);
    for (const h of s.histosys ?? []) systematic(mods, { type: 'histosys', ...h }, region, s.name, nominal);
    for (const sys of config.systematics ?? [])
      if (applies(sys, region, s.name)) systematic(mods, sys, region, s.name, nominal);
    return mods;
  };

  const channels: ChannelSpec[] = config.regions.map((region) => {
    const samples = config.samples
      .filter((s) => !s.regions || s.regions.includes(region))
      .map((s) => {
        const nominal = store.get(region, s.name);
        return { name: s.name, data: nominal.content, modifiers: sampleModifiers(s, region, nominal) };
      });
    if (samples.length === 0)
      throw new HepqError('stats/builder', `region '${region}' has no samples`, {
        hint: "check the samples' regions lists",
      });
    return { name: region, samples };
  });
  const dataName = config.data ?? 'data';
  const observations = config.regions.map((region, i) => ({
    name: region,
    data: config.asimov ? channels[i]!.samples[0]!.data.map(() => 0) : store.get(region, dataName).content,
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
  const named = new Set(channels.flatMap((c) => c.samples.flatMap((s) => s.modifiers.map((m) => m.name))));
  if (poi && !named.has(poi))
    throw new HepqError(
      'stats/builder',
      `no sample is marked as signal, so the POI '${poi}' scales nothing`,
      {
        hint: "set signal: true on the signal sample (or poi: '' for a model without POI)",
      },
    );
  const spec: WorkspaceSpec = {
    channels,
    observations,
    measurements: [{ name: config.measurement ?? 'meas', config: { poi, parameters } }],
    version: '1.0.0',
  };
  let workspace = Workspace.fromJSON(spec, 'built workspace');
  if (config.asimov) {
    const model = workspace.model();
    const main = asimovData(model, poi ? { poi: 1 } : {}).main;
    for (const [i, obs] of spec.observations.entries()) {
      const ch = model.channels.find((c) => c.name === obs.name)!;
      spec.observations[i] = {
        name: obs.name,
        data: Array.from(main.subarray(ch.offset, ch.offset + ch.nbins)),
      };
    }
    workspace = Workspace.fromJSON(spec, 'built workspace (Asimov data)');
  }
  const edges: Record<string, number[]> = {};
  for (const r of config.regions) {
    const e = store.regionEdges(r);
    if (e) edges[r] = e;
  }
  return { workspace, pruned, edges };
}

/** The workspace built from histograms and a config (see buildWorkspaceWithReport for what pruning dropped). */
export function buildWorkspace(config: BuilderConfig, input: BuilderInput): Workspace {
  return buildWorkspaceWithReport(config, input).workspace;
}
