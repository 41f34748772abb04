/** A validated HistFactory workspace: measurement selection, model and data construction, JSON patching. */
import { readFileSync } from 'node:fs';
import jsonpatch from 'fast-json-patch';
import { didYouMean, HepqError } from '../exec/batch/index.js';
import { compileModel, type ModelOptions } from './model/compile-model.js';
import type { HistFactoryModel, ModelData } from './model/histfactory-model.js';
import type { JsonPatchOp, MeasurementSpec, WorkspaceSpec } from './spec/types.js';
import { validateWorkspace } from './spec/validate.js';

export interface WorkspaceModelOptions extends ModelOptions {
  /** measurement name; the first measurement when omitted */
  readonly measurement?: string;
}

/** Reads and parses a JSON file, turning I/O and syntax errors into located `HepqError`s. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new HepqError('stats/io', `cannot read ${path}: ${(e as Error).message}`, {
      location: { file: path },
    });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    throw new HepqError('stats/json', `${path} is not valid JSON: ${(e as Error).message}`, {
      location: { file: path, offset: m ? Number(m[1]) : undefined },
    });
  }
}

export class Workspace {
  readonly spec: WorkspaceSpec;

  private constructor(spec: WorkspaceSpec) {
    this.spec = spec;
  }

  /** Validates `doc` (schema and semantics) and wraps it. The document is not copied: treat it as immutable. */
  static fromJSON(doc: unknown, source = 'workspace'): Workspace {
    return new Workspace(validateWorkspace(doc, source));
  }

  static fromFile(path: string): Workspace {
    return Workspace.fromJSON(readJsonFile(path), path);
  }

  get channelNames(): string[] {
    return this.spec.channels.map((c) => c.name);
  }

  get measurementNames(): string[] {
    return this.spec.measurements.map((m) => m.name);
  }

  measurement(name?: string): MeasurementSpec {
    if (name === undefined) return this.spec.measurements[0]!;
    const m = this.spec.measurements.find((x) => x.name === name);
    if (!m) {
      const guess = didYouMean(name, this.measurementNames);
      throw new HepqError('stats/measurement', `no measurement '${name}' in the workspace`, {
        hint: guess ? `did you mean '${guess}'?` : `measurements: ${this.measurementNames.join(', ')}`,
      });
    }
    return m;
  }

  model(options: WorkspaceModelOptions = {}): HistFactoryModel {
    return compileModel(this.spec, this.measurement(options.measurement), options);
  }

  /** Observed main data in the model's channel order, followed by the model's auxiliary data. */
  data(model: HistFactoryModel): ModelData {
    const main = new Float64Array(model.nMain);
    for (const ch of model.channels) {
      const obs = this.spec.observations.find((o) => o.name === ch.name);
      if (!obs) throw new HepqError('stats/workspace', `no observation for channel '${ch.name}'`);
      main.set(obs.data, ch.offset);
    }
    return { main, aux: model.auxdata() };
  }

  /** A new workspace with RFC 6902 operations applied (validated again). */
  patch(ops: readonly JsonPatchOp[], source = 'patch'): Workspace {
    const doc = structuredClone(this.spec);
    try {
      const res = jsonpatch.applyPatch(doc, ops as jsonpatch.Operation[], true, true);
      return Workspace.fromJSON(res.newDocument, `workspace after ${source}`);
    } catch (e) {
      if (e instanceof HepqError) throw e;
      const err = e as { message: string; index?: number; operation?: JsonPatchOp };
      const at =
        err.index !== undefined
          ? `operation [${err.index}] (${err.operation?.op} ${err.operation?.path})`
          : 'an operation';
      throw new HepqError('stats/patch', `${source} does not apply: ${at}: ${err.message.split('\n')[0]}`, {
        hint: 'the patch must be made for this workspace (check the background-only file it belongs to)',
      });
    }
  }
}
