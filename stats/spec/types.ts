/** TypeScript shapes of the pyhf JSON workspace and patchset formats (version 1.0.0). */

export type ModifierType =
  | 'normfactor'
  | 'lumi'
  | 'normsys'
  | 'histosys'
  | 'shapesys'
  | 'staterror'
  | 'shapefactor';

export const MODIFIER_TYPES: readonly ModifierType[] = [
  'normfactor',
  'lumi',
  'normsys',
  'histosys',
  'shapesys',
  'staterror',
  'shapefactor',
];

export interface NormsysData {
  hi: number;
  lo: number;
}
export interface HistosysData {
  hi_data: number[];
  lo_data: number[];
}

export interface ModifierSpec {
  name: string;
  type: ModifierType;
  data: null | number[] | NormsysData | HistosysData;
}

export interface SampleSpec {
  name: string;
  data: number[];
  modifiers: ModifierSpec[];
}

export interface ChannelSpec {
  name: string;
  samples: SampleSpec[];
}

export interface ObservationSpec {
  name: string;
  data: number[];
}

export interface ParameterConfigSpec {
  name: string;
  inits?: number[];
  bounds?: [number, number][];
  auxdata?: number[];
  factors?: number[];
  sigmas?: number[];
  fixed?: boolean;
}

export interface MeasurementSpec {
  name: string;
  config: { poi: string; parameters: ParameterConfigSpec[] };
}

export interface WorkspaceSpec {
  channels: ChannelSpec[];
  measurements: MeasurementSpec[];
  observations: ObservationSpec[];
  version: string;
  metadata?: Record<string, unknown>;
}

/** One RFC 6902 operation. */
export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

export interface PatchSpec {
  metadata: { name: string; values: (number | string)[]; [k: string]: unknown };
  patch: JsonPatchOp[];
}

export interface PatchsetSpec {
  metadata: {
    description: string;
    digests: Record<string, string>;
    labels: string[];
    references: Record<string, string>;
    [k: string]: unknown;
  };
  patches: PatchSpec[];
  version: string;
}
