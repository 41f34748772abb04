/** Compiles a workspace's channels and one measurement into a `HistFactoryModel` (pyhf ordering: channels and parameters sorted by name). */
import { didYouMean, HepqError } from '../../exec/batch/index.js';
import type { MeasurementSpec, ModifierType, WorkspaceSpec } from '../spec/types.js';
import { type ChannelLayout, HistFactoryModel, type ParamSet } from './histfactory-model.js';
import type { InterpCode } from './interpolation.js';
import type { CompiledModifier, ModifierBuilder, ParamRequirement } from './modifier.js';
import { HistosysBuilder } from './modifiers/histosys.js';
import { LumiBuilder } from './modifiers/lumi.js';
import { NormfactorBuilder } from './modifiers/normfactor.js';
import { NormsysBuilder } from './modifiers/normsys.js';
import { ShapefactorBuilder } from './modifiers/shapefactor.js';
import { ShapesysBuilder } from './modifiers/shapesys.js';
import { StaterrorBuilder } from './modifiers/staterror.js';

export interface ModelOptions {
  /** interpolation code of normsys modifiers (pyhf 0.7 default: code4) */
  readonly normsys?: InterpCode;
  /** interpolation code of histosys modifiers (pyhf 0.7 default: code4p) */
  readonly histosys?: InterpCode;
  /** override the measurement's POI (empty string: no POI) */
  readonly poi?: string;
}

/** Parameter sets of these types may share one parameter (a scalar α with a unit Gaussian constraint). */
const SHAREABLE: ReadonlySet<ModifierType> = new Set(['normsys', 'histosys']);

export function compileModel(
  ws: WorkspaceSpec,
  measurement: MeasurementSpec,
  options: ModelOptions = {},
): HistFactoryModel {
  const builders: Record<ModifierType, ModifierBuilder> = {
    normfactor: new NormfactorBuilder(),
    lumi: new LumiBuilder(),
    normsys: new NormsysBuilder(options.normsys ?? 'code4'),
    histosys: new HistosysBuilder(options.histosys ?? 'code4p'),
    shapesys: new ShapesysBuilder(),
    staterror: new StaterrorBuilder(),
    shapefactor: new ShapefactorBuilder(),
  };
  const channels = ws.channels
    .map((c, i) => ({ c, i }))
    .sort((a, b) => (a.c.name < b.c.name ? -1 : a.c.name > b.c.name ? 1 : 0));
  const layout: ChannelLayout[] = [];
  const nominal: number[] = [];
  const sbBin: number[] = [];
  let binOffset = 0;
  for (const { c, i: ci } of channels) {
    const nbins = c.samples[0]!.data.length;
    const samples = c.samples
      .map((s, i) => ({ s, i }))
      .sort((a, b) => (a.s.name < b.s.name ? -1 : a.s.name > b.s.name ? 1 : 0));
    for (const { s, i: si } of samples) {
      const sbStart = nominal.length;
      for (let b = 0; b < nbins; b++) {
        nominal.push(s.data[b]!);
        sbBin.push(binOffset + b);
      }
      s.modifiers.forEach((m, mi) => {
        const builder = builders[m.type];
        if (!builder)
          throw new HepqError(
            'stats/modifier',
            `channels[${ci}].samples[${si}].modifiers[${mi}]: unknown modifier type '${m.type}'`,
          );
        builder.add(
          {
            channel: c.name,
            sample: s.name,
            sbStart,
            nbins,
            nominal: s.data,
            path: `channels[${ci}].samples[${si}].modifiers[${mi}]`,
          },
          m,
        );
      });
    }
    layout.push({ name: c.name, nbins, offset: binOffset, samples: samples.map((x) => x.s.name) });
    binOffset += nbins;
  }

  // merge requirements: one parameter set per name
  const reqs = new Map<string, ParamRequirement>();
  for (const b of Object.values(builders)) {
    for (const [name, r] of b.requirements()) {
      const prev = reqs.get(name);
      if (!prev) reqs.set(name, r);
      else if (prev.type !== r.type && !(SHAREABLE.has(prev.type) && SHAREABLE.has(r.type)))
        throw new HepqError(
          'stats/model',
          `parameter '${name}' is used by a ${prev.type} and a ${r.type} modifier, which cannot share a parameter`,
          {
            hint: 'rename one of the modifiers',
          },
        );
      else if (prev.n !== r.n)
        throw new HepqError('stats/model', `parameter '${name}' is used with ${prev.n} and ${r.n} bins`, {
          hint: 'per-bin modifiers sharing a name must be in channels with the same number of bins',
        });
    }
  }

  // measurement config overrides
  measurement.config.parameters.forEach((cfg, k) => {
    const r = reqs.get(cfg.name);
    const at = `measurement '${measurement.name}' parameters[${k}] ('${cfg.name}')`;
    if (!r) return; // pyhf ignores settings of parameters the model does not have
    const check = (what: string, arr: unknown[] | undefined) => {
      if (arr && arr.length !== r.n)
        throw new HepqError(
          'stats/model',
          `${at}: ${what} has ${arr.length} entries, the parameter has ${r.n}`,
        );
    };
    check('inits', cfg.inits);
    check('bounds', cfg.bounds);
    if (cfg.inits) r.inits = cfg.inits.slice();
    if (cfg.bounds) r.bounds = cfg.bounds.map((b) => [b[0], b[1]] as [number, number]);
    if (cfg.fixed !== undefined) r.fixed = Array(r.n).fill(cfg.fixed);
    if (r.constraint) {
      check('auxdata', cfg.auxdata);
      if (cfg.auxdata) r.auxdata = cfg.auxdata.slice();
      if (r.constraint === 'normal' && cfg.sigmas) {
        check('sigmas', cfg.sigmas);
        r.sigmas = cfg.sigmas.slice();
      }
      if (r.constraint === 'poisson' && cfg.factors) {
        check('factors', cfg.factors);
        r.factors = cfg.factors.slice();
      }
    }
  });
  for (const [name, r] of reqs)
    if (r.sigmaFromConfig && r.sigmas.some((s) => !(s > 0)))
      throw new HepqError(
        'stats/model',
        `${r.type} parameter '${name}' needs its constraint width: measurement '${measurement.name}' gives no sigmas for it`,
        {
          hint: `add {"name": "${name}", "auxdata": [1.0], "sigmas": [0.02]} (your luminosity uncertainty) to the measurement's parameters`,
        },
      );

  const names = [...reqs.keys()].sort();
  const params: ParamSet[] = [];
  const offsets = new Map<string, number>();
  let off = 0;
  for (const name of names) {
    const r = reqs.get(name)!;
    offsets.set(name, off);
    params.push({ name, ...r, offset: off });
    off += r.n;
  }
  const modifiers: CompiledModifier[] = [];
  for (const b of Object.values(builders)) {
    const m = b.compile((name) => offsets.get(name)!);
    if (m) modifiers.push(m);
  }

  const poi = options.poi ?? measurement.config.poi;
  if (poi) {
    const p = reqs.get(poi);
    if (!p)
      throw new HepqError(
        'stats/poi-missing',
        `POI '${poi}' of measurement '${measurement.name}' is not a parameter of the model`,
        {
          hint: didYouMean(poi, names)
            ? `did you mean '${didYouMean(poi, names)}'?`
            : 'name a normfactor of the signal sample',
        },
      );
    if (p.n !== 1)
      throw new HepqError(
        'stats/model',
        `POI '${poi}' has ${p.n} components; the POI must be a scalar parameter`,
      );
  }
  return new HistFactoryModel({
    channels: layout,
    params,
    poi: poi || null,
    nominal: Float64Array.from(nominal),
    sbBin: Int32Array.from(sbBin),
    modifiers,
  });
}
