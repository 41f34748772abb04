/** Shared inputs of the stats commands (`fit`, `cls`, `limit`): workspace file, optional patch or patchset entry, model options. */
import { HepqError } from '../../../exec/batch/index.js';
import {
  type HistFactoryModel,
  type ModelData,
  Patchset,
  parseInterpCode,
  readJsonFile,
  validateJsonPatch,
  Workspace,
  type WorkspaceModelOptions,
} from '../../../stats/index.js';

export const STATS_OPTIONS = {
  patch: { type: 'string', short: 'p' },
  'patch-name': { type: 'string' },
  measurement: { type: 'string' },
  poi: { type: 'string' },
  'normsys-code': { type: 'string' },
  'histosys-code': { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const STATS_OPTIONS_HELP = `  --patch FILE, -p FILE  apply a JSON Patch (a list of operations) or, with --patch-name, one patch of a patchset
  --patch-name NAME      the patch of the patchset to apply
  --measurement NAME     the measurement to use (default: the first)
  --poi NAME             override the measurement's parameter of interest
  --normsys-code C       normsys interpolation code (default code4; 0, 1, 2, 4, 4p)
  --histosys-code C      histosys interpolation code (default code4p)
  --json                 print JSON`;

export interface StatsValues {
  patch?: string;
  'patch-name'?: string;
  measurement?: string;
  poi?: string;
  'normsys-code'?: string;
  'histosys-code'?: string;
}

export interface StatsInput {
  readonly label: string | null;
  readonly ws: Workspace;
}

/** The workspace, patched as asked; a patchset without --patch-name gives one input per patch when `all` is set. */
export function statsInputs(file: string, values: StatsValues, all = false): StatsInput[] {
  const ws = Workspace.fromFile(file);
  if (!values.patch) {
    if (values['patch-name'])
      throw new HepqError('cli/usage', '--patch-name needs --patch FILE (a patchset)');
    return [{ label: null, ws }];
  }
  const doc = readJsonFile(values.patch);
  if (Patchset.isPatchset(doc)) {
    const ps = Patchset.fromJSON(doc, values.patch);
    if (values['patch-name'])
      return [{ label: values['patch-name'], ws: ps.apply(ws, values['patch-name']) }];
    if (!all)
      throw new HepqError(
        'cli/usage',
        `${values.patch} is a patchset of ${ps.names.length} patches: choose one with --patch-name`,
        {
          hint: `patches include ${ps.names.slice(0, 3).join(', ')}`,
        },
      );
    return ps.names.map((n) => ({ label: n, ws: ps.apply(ws, n) }));
  }
  if (values['patch-name'])
    throw new HepqError(
      'cli/usage',
      `${values.patch} is a plain JSON Patch, not a patchset: drop --patch-name`,
    );
  return [{ label: null, ws: ws.patch(validateJsonPatch(doc, values.patch), values.patch) }];
}

/** The background-only workspace and the patchset, when --patch names a patchset and no --patch-name is given. */
export function wholePatchset(
  file: string,
  values: StatsValues,
): { bkg: Workspace; patchset: Patchset } | null {
  if (!values.patch || values['patch-name']) return null;
  const doc = readJsonFile(values.patch);
  if (!Patchset.isPatchset(doc)) return null;
  return { bkg: Workspace.fromFile(file), patchset: Patchset.fromJSON(doc, values.patch) };
}

export function modelOptionsOf(values: StatsValues): WorkspaceModelOptions {
  return {
    measurement: values.measurement,
    poi: values.poi,
    normsys: values['normsys-code'] ? parseInterpCode(values['normsys-code']) : undefined,
    histosys: values['histosys-code'] ? parseInterpCode(values['histosys-code']) : undefined,
  };
}

export function buildModel(ws: Workspace, values: StatsValues): { model: HistFactoryModel; data: ModelData } {
  const model = ws.model(modelOptionsOf(values));
  return { model, data: ws.data(model) };
}

/** A number option, with a clear error for a bad value. */
export function numberOption(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!Number.isFinite(v)) throw new HepqError('cli/usage', `--${name} expects a number, got '${text}'`);
  return v;
}
