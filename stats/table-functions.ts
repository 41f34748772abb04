/**
 * HistFactory as table functions (udfs/api.ts contract): `histfactory_fit`, `hypotest`, `upper_limit`. The workspace
 * comes from the arguments (file, JSON text or object, optional patch) or is built from the input stream: a histogram
 * table (region, sample, [variation], bin, content, [sumw2]) plus a builder config.
 */
import {
  type Batch,
  type BatchStream,
  type Field,
  HepqError,
  primitive,
  type Schema,
  utf8FromStrings,
} from '../exec/batch/index.js';
import type { FunctionRegistry, TableFunction } from '../udfs/api.js';
import { buildWorkspace } from './builder/build-workspace.js';
import type { BuilderConfig } from './builder/config.js';
import { histogramRowsFromBatch } from './builder/histogram-store.js';
import { hypotest } from './infer/asymptotic-calculator.js';
import { fitModel, uncertainties } from './infer/fit.js';
import { upperLimit } from './infer/upper-limit.js';
import { Patchset } from './patchset.js';
import type { JsonPatchOp } from './spec/types.js';
import { validateJsonPatch } from './spec/validate.js';
import { readJsonFile, Workspace, type WorkspaceModelOptions } from './workspace.js';

export interface StatsFunctionArgs {
  /** a workspace file path, JSON text, or the parsed workspace; omit to build one from the input stream */
  readonly workspace?: string | object;
  /** a JSON Patch (operations, or a file holding them or a patchset) */
  readonly patch?: string | readonly JsonPatchOp[];
  readonly patchName?: string;
  readonly model?: WorkspaceModelOptions;
  /** builder config for a histogram-table input */
  readonly builder?: BuilderConfig;
  /** hypotest: POI value(s) to test (default 1) */
  readonly mu?: number | readonly number[];
  readonly testStat?: 'qtilde' | 'q';
  /** upper_limit: CLs level (default 0.05) */
  readonly level?: number;
}

const f64 = (name: string): Field => ({ name, type: { kind: 'primitive', type: 'float64' } });
const BAND = ['m2', 'm1', 'median', 'p1', 'p2'];

async function resolveWorkspace(
  args: StatsFunctionArgs,
  input: BatchStream,
  signal?: AbortSignal,
): Promise<Workspace> {
  let ws: Workspace;
  if (args.workspace !== undefined) {
    const w = args.workspace;
    ws =
      typeof w === 'object'
        ? Workspace.fromJSON(w)
        : w.trimStart().startsWith('{')
          ? Workspace.fromJSON(JSON.parse(w), 'workspace argument')
          : Workspace.fromFile(w);
  } else {
    if (!args.builder)
      throw new HepqError(
        'stats/args',
        'give a workspace (file, JSON) or a builder config for the histogram table input',
      );
    const rows = [];
    for await (const batch of input) {
      signal?.throwIfAborted();
      rows.push(...histogramRowsFromBatch(batch));
    }
    ws = buildWorkspace(args.builder, rows);
  }
  if (args.patch !== undefined) {
    const doc = typeof args.patch === 'string' ? readJsonFile(args.patch) : args.patch;
    if (Patchset.isPatchset(doc)) {
      if (!args.patchName)
        throw new HepqError('stats/args', 'the patch is a patchset: name the patch (patchName)');
      ws = Patchset.fromJSON(doc).apply(ws, args.patchName);
    } else ws = ws.patch(validateJsonPatch(doc));
  }
  return ws;
}

function stream(schema: Schema, produce: () => Promise<Batch>): BatchStream {
  return {
    schema,
    async *[Symbol.asyncIterator]() {
      yield await produce();
    },
  };
}

const checkInput = (args: StatsFunctionArgs, input: Schema) => {
  if (args.workspace === undefined && args.builder) {
    for (const c of ['region', 'sample', 'bin', 'content'])
      if (!input.fields.some((f) => f.name === c))
        throw new HepqError('stats/args', `the histogram table needs a '${c}' column`, {
          hint: 'columns: region, sample, bin, content (optional: variation, sumw2)',
        });
  }
};

export const histfactoryFit: TableFunction<StatsFunctionArgs> = {
  name: 'histfactory_fit',
  description:
    'maximum-likelihood fit of a HistFactory workspace: one row per parameter (value, error), with twice_nll',
  bind(args, input) {
    checkInput(args, input);
    return {
      fields: [
        { name: 'parameter', type: { kind: 'utf8' } },
        f64('value'),
        f64('error'),
        f64('twice_nll'),
        { name: 'converged', type: { kind: 'primitive', type: 'bool' } },
      ],
    };
  },
  execute(args, input, signal) {
    return stream(this.bind(args, input.schema), async () => {
      const ws = await resolveWorkspace(args, input, signal);
      const model = ws.model(args.model);
      const data = ws.data(model);
      const r = fitModel(model, data);
      const e = uncertainties(model, data, r).errors;
      const n = model.nPars;
      return {
        schema: this.bind(args, input.schema),
        columns: [
          utf8FromStrings([...model.parLabels]),
          primitive('float64', r.x.slice()),
          primitive('float64', e),
          primitive('float64', new Float64Array(n).fill(r.twiceNll)),
          primitive('bool', new Uint8Array(n).fill(r.converged ? 1 : 0)),
        ],
        length: n,
      };
    });
  },
};

export const hypotestFunction: TableFunction<StatsFunctionArgs> = {
  name: 'hypotest',
  description: 'asymptotic CLs of a HistFactory workspace at one or more POI values: one row per μ',
  bind(args, input) {
    checkInput(args, input);
    return {
      fields: [
        f64('mu'),
        f64('cls_obs'),
        f64('clsb_obs'),
        f64('clb_obs'),
        ...BAND.map((b) => f64(`cls_exp_${b}`)),
        // false where a fit behind the row did not converge (hepq cls names which): the numbers need a look
        { name: 'converged', type: { kind: 'primitive', type: 'bool' } },
      ],
    };
  },
  execute(args, input, signal) {
    return stream(this.bind(args, input.schema), async () => {
      const ws = await resolveWorkspace(args, input, signal);
      const model = ws.model(args.model);
      const data = ws.data(model);
      const mus = args.mu === undefined ? [1] : typeof args.mu === 'number' ? [args.mu] : [...args.mu];
      const rs = mus.map((mu) => {
        signal?.throwIfAborted();
        return hypotest(mu, model, data, { testStat: args.testStat });
      });
      const col = (f: (r: (typeof rs)[number]) => number) => primitive('float64', Float64Array.from(rs, f));
      return {
        schema: this.bind(args, input.schema),
        columns: [
          col((r) => r.mu),
          col((r) => r.clsObs),
          col((r) => r.clsbObs),
          col((r) => r.clbObs),
          ...BAND.map((_, k) => col((r) => r.clsExp[k]!)),
          primitive(
            'bool',
            Uint8Array.from(rs, (r) => (r.converged ? 1 : 0)),
          ),
        ],
        length: rs.length,
      };
    });
  },
};

export const upperLimitFunction: TableFunction<StatsFunctionArgs> = {
  name: 'upper_limit',
  description: 'observed and expected CLs upper limits on the POI of a HistFactory workspace (one row)',
  bind(args, input) {
    checkInput(args, input);
    return { fields: [f64('obs'), ...BAND.map((b) => f64(`exp_${b}`))] };
  },
  execute(args, input, signal) {
    return stream(this.bind(args, input.schema), async () => {
      const ws = await resolveWorkspace(args, input, signal);
      const model = ws.model(args.model);
      const u = upperLimit(model, ws.data(model), { level: args.level, testStat: args.testStat });
      return {
        schema: this.bind(args, input.schema),
        columns: [
          primitive('float64', Float64Array.of(u.obs)),
          ...u.exp.map((v) => primitive('float64', Float64Array.of(v))),
        ],
        length: 1,
      };
    });
  },
};

/** Registers histfactory_fit, hypotest and upper_limit. */
export function registerStatsFunctions(registry: FunctionRegistry): FunctionRegistry {
  return registry
    .registerTable(histfactoryFit as TableFunction)
    .registerTable(hypotestFunction as TableFunction)
    .registerTable(upperLimitFunction as TableFunction);
}
