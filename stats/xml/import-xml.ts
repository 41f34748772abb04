/**
 * Imports a HistFactory XML configuration (a Combination file and its Channel files) into a pyhf-format workspace, as
 * pyhf's readxml does. Histograms are read through a caller-supplied function, so stats/ needs no ROOT reader.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { HepqError } from '../../exec/batch/index.js';
import type {
  ChannelSpec,
  ModifierSpec,
  ParameterConfigSpec,
  SampleSpec,
  WorkspaceSpec,
} from '../spec/types.js';
import { Workspace } from '../workspace.js';
import { parseXml, type XmlElement } from './parse-xml.js';

/** Bin contents and sums of squared weights of a 1D histogram, without under/overflow. */
export interface HistogramValues {
  readonly content: ArrayLike<number>;
  readonly sumw2: ArrayLike<number>;
}

export type HistogramReader = (file: string, path: string) => Promise<HistogramValues>;

export interface ImportXmlOptions {
  /** directory that the paths in the XML are relative to (default: found by trying the XML's folder and its parent) */
  readonly basedir?: string;
  readonly readHistogram: HistogramReader;
}

const truthy = (v: string | undefined) => v === 'True' || v === 'true' || v === 'TRUE' || v === '1';
const num = (el: XmlElement, attr: string, file: string): number => {
  const v = Number(el.attrs[attr]);
  if (el.attrs[attr] === undefined || !Number.isFinite(v))
    throw new HepqError(
      'stats/xml',
      `${file}: <${el.name}${el.attrs.Name ? ` Name="${el.attrs.Name}"` : ''}> needs a numeric ${attr}`,
    );
  return v;
};

export async function importHistFactoryXml(topPath: string, options: ImportXmlOptions): Promise<Workspace> {
  const top = parseXml(readFileSync(topPath, 'utf8'), topPath);
  if (top.name !== 'Combination')
    throw new HepqError(
      'stats/xml',
      `${topPath}: the top-level element is <${top.name}>, expected <Combination>`,
    );
  const inputs = top.children.filter((c) => c.name === 'Input').map((c) => c.text);
  const candidates = options.basedir
    ? [options.basedir]
    : [dirname(topPath), dirname(dirname(topPath)), process.cwd()];
  const base =
    candidates.find((b) => inputs.every((f) => existsSync(isAbsolute(f) ? f : join(b, f)))) ?? candidates[0]!;
  const at = (f: string) => (isAbsolute(f) ? f : resolve(base, f));
  const read = async (file: string, path: string, name: string) => {
    try {
      return await options.readHistogram(at(file), `${path}${name}`);
    } catch (e) {
      throw new HepqError(
        'stats/xml',
        `cannot read histogram '${path}${name}' from ${file}: ${(e as Error).message}`,
        { cause: e },
      );
    }
  };

  const channels: ChannelSpec[] = [];
  const observations: { name: string; data: number[] }[] = [];
  const normfactors = new Map<string, ParameterConfigSpec>();
  for (const input of inputs) {
    const file = at(input);
    const ch = parseXml(readFileSync(file, 'utf8'), file);
    if (ch.name !== 'Channel')
      throw new HepqError('stats/xml', `${file}: expected <Channel>, found <${ch.name}>`);
    const chName = ch.attrs.Name ?? '';
    const chFile = ch.attrs.InputFile ?? '';
    const chPath = ch.attrs.HistoPath ?? '';
    const samples: SampleSpec[] = [];
    for (const el of ch.children) {
      if (el.name === 'Data') {
        const h = await read(
          el.attrs.InputFile ?? chFile,
          el.attrs.HistoPath ?? chPath,
          el.attrs.HistoName ?? '',
        );
        observations.push({ name: chName, data: Array.from(h.content) });
      } else if (el.name === 'Sample') {
        const sFile = el.attrs.InputFile ?? chFile;
        const sPath = el.attrs.HistoPath ?? chPath;
        const nominal = await read(sFile, sPath, el.attrs.HistoName ?? '');
        const data = Array.from(nominal.content);
        const modifiers: ModifierSpec[] = [];
        if (truthy(el.attrs.NormalizeByTheory)) modifiers.push({ name: 'lumi', type: 'lumi', data: null });
        for (const m of el.children) {
          const name = m.attrs.Name ?? '';
          switch (m.name) {
            case 'NormFactor': {
              modifiers.push({ name, type: 'normfactor', data: null });
              if (!normfactors.has(name)) {
                const cfg: ParameterConfigSpec = {
                  name,
                  bounds: [[num(m, 'Low', file), num(m, 'High', file)]],
                  inits: [num(m, 'Val', file)],
                };
                if (truthy(m.attrs.Const)) cfg.fixed = true;
                normfactors.set(name, cfg);
              }
              break;
            }
            case 'OverallSys':
              modifiers.push({
                name,
                type: 'normsys',
                data: { hi: num(m, 'High', file), lo: num(m, 'Low', file) },
              });
              break;
            case 'HistoSys': {
              const hi = await read(
                m.attrs.InputFileHigh ?? sFile,
                m.attrs.HistoPathHigh ?? sPath,
                m.attrs.HistoNameHigh ?? '',
              );
              const lo = await read(
                m.attrs.InputFileLow ?? sFile,
                m.attrs.HistoPathLow ?? sPath,
                m.attrs.HistoNameLow ?? '',
              );
              modifiers.push({
                name,
                type: 'histosys',
                data: { hi_data: Array.from(hi.content), lo_data: Array.from(lo.content) },
              });
              break;
            }
            case 'ShapeSys': {
              const rel = await read(
                m.attrs.InputFile ?? sFile,
                m.attrs.HistoPath ?? sPath,
                m.attrs.HistoName ?? '',
              );
              modifiers.push({ name, type: 'shapesys', data: data.map((x, b) => x * rel.content[b]!) });
              break;
            }
            case 'ShapeFactor':
              modifiers.push({ name, type: 'shapefactor', data: null });
              break;
            case 'StatError': {
              if (!truthy(m.attrs.Activate)) break;
              let err: number[];
              if (m.attrs.HistoName) {
                const rel = await read(
                  m.attrs.InputFile ?? sFile,
                  m.attrs.HistoPath ?? sPath,
                  m.attrs.HistoName,
                );
                err = data.map((x, b) => x * rel.content[b]!);
              } else err = Array.from(nominal.sumw2, (v) => Math.sqrt(v));
              modifiers.push({ name: `staterror_${chName}`, type: 'staterror', data: err });
              break;
            }
            default:
              throw new HepqError(
                'stats/xml',
                `${file}: <${m.name}> in sample '${el.attrs.Name}' is not a HistFactory modifier hepq knows`,
                {
                  hint: 'known: NormFactor, OverallSys, HistoSys, ShapeSys, ShapeFactor, StatError',
                },
              );
          }
        }
        samples.push({ name: el.attrs.Name ?? '', data, modifiers });
      }
    }
    channels.push({ name: chName, samples });
  }

  const measurements = top.children
    .filter((c) => c.name === 'Measurement')
    .map((m) => {
      const lumi = num(m, 'Lumi', topPath);
      const lumiErr = lumi * num(m, 'LumiRelErr', topPath);
      const params: ParameterConfigSpec[] = [
        {
          name: 'lumi',
          auxdata: [lumi],
          bounds: [[lumi - 5 * lumiErr, lumi + 5 * lumiErr]],
          inits: [lumi],
          sigmas: [lumiErr],
        },
        ...[...normfactors.values()].map((p) => structuredClone(p)),
      ];
      for (const s of m.children.filter((c) => c.name === 'ParamSetting' && truthy(c.attrs.Const)))
        for (const raw of s.text.split(/\s+/).filter(Boolean)) {
          const name = raw === 'Lumi' ? 'lumi' : raw.replace(/^alpha_/, '').replace(/^gamma_/, '');
          const p = params.find((x) => x.name === name);
          if (p) p.fixed = true;
          else params.push({ name, fixed: true });
        }
      const poi = m.children.find((c) => c.name === 'POI')?.text ?? '';
      return { name: m.attrs.Name ?? '', config: { poi, parameters: params } };
    });
  const spec: WorkspaceSpec = { channels, measurements, observations, version: '1.0.0' };
  return Workspace.fromJSON(spec, `workspace imported from ${topPath}`);
}
