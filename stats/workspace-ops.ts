/** Workspace operations as pyhf offers them: prune (drop channels/samples/modifiers/measurements), rename, combine. */
import { HepqError } from '../exec/batch/index.js';
import type { WorkspaceSpec } from './spec/types.js';
import { Workspace } from './workspace.js';

export interface PruneOptions {
  readonly channels?: readonly string[];
  readonly samples?: readonly string[];
  /** modifier names to drop */
  readonly modifiers?: readonly string[];
  readonly modifierTypes?: readonly string[];
  readonly measurements?: readonly string[];
}

export function pruneWorkspace(ws: Workspace, opts: PruneOptions): Workspace {
  const s = structuredClone(ws.spec);
  const has = (list: readonly string[] | undefined, x: string) => !!list?.includes(x);
  const out: WorkspaceSpec = {
    ...s,
    channels: s.channels
      .filter((c) => !has(opts.channels, c.name))
      .map((c) => ({
        ...c,
        samples: c.samples
          .filter((x) => !has(opts.samples, x.name))
          .map((x) => ({
            ...x,
            modifiers: x.modifiers.filter(
              (m) => !has(opts.modifiers, m.name) && !has(opts.modifierTypes, m.type),
            ),
          })),
      }))
      .filter((c) => c.samples.length > 0),
    observations: s.observations.filter((o) => !has(opts.channels, o.name)),
    measurements: s.measurements
      .filter((m) => !has(opts.measurements, m.name))
      .map((m) => ({
        ...m,
        config: { ...m.config, parameters: m.config.parameters.filter((p) => !has(opts.modifiers, p.name)) },
      })),
  };
  return Workspace.fromJSON(out, 'pruned workspace');
}

export interface RenameOptions {
  readonly channels?: Readonly<Record<string, string>>;
  readonly samples?: Readonly<Record<string, string>>;
  /** modifier (parameter) names */
  readonly modifiers?: Readonly<Record<string, string>>;
  readonly measurements?: Readonly<Record<string, string>>;
}

export function renameWorkspace(ws: Workspace, opts: RenameOptions): Workspace {
  const s = structuredClone(ws.spec);
  const r = (map: Readonly<Record<string, string>> | undefined, x: string) => map?.[x] ?? x;
  for (const c of s.channels) {
    c.name = r(opts.channels, c.name);
    for (const x of c.samples) {
      x.name = r(opts.samples, x.name);
      for (const m of x.modifiers) m.name = r(opts.modifiers, m.name);
    }
  }
  for (const o of s.observations) o.name = r(opts.channels, o.name);
  for (const m of s.measurements) {
    m.name = r(opts.measurements, m.name);
    m.config.poi = r(opts.modifiers, m.config.poi);
    for (const p of m.config.parameters) p.name = r(opts.modifiers, p.name);
  }
  return Workspace.fromJSON(s, 'renamed workspace');
}

/**
 * Combines two workspaces: channels must not overlap; measurements of the same name are merged (their parameter
 * configs must agree where both give one; the POI must match).
 */
export function combineWorkspaces(a: Workspace, b: Workspace): Workspace {
  const A = structuredClone(a.spec);
  const B = structuredClone(b.spec);
  const overlap = A.channels.map((c) => c.name).filter((n) => B.channels.some((c) => c.name === n));
  if (overlap.length)
    throw new HepqError(
      'stats/combine',
      `cannot combine: both workspaces have channel(s) ${overlap.join(', ')}`,
      {
        hint: 'rename the channels of one workspace first (renameWorkspace)',
      },
    );
  const measurements = A.measurements.map((m) => {
    const other = B.measurements.find((x) => x.name === m.name);
    if (!other) return m;
    if (other.config.poi !== m.config.poi)
      throw new HepqError(
        'stats/combine',
        `measurement '${m.name}' has POI '${m.config.poi}' in one workspace and '${other.config.poi}' in the other`,
      );
    const params = [...m.config.parameters];
    for (const p of other.config.parameters) {
      const mine = params.find((x) => x.name === p.name);
      if (!mine) params.push(p);
      else if (JSON.stringify(mine) !== JSON.stringify(p))
        throw new HepqError(
          'stats/combine',
          `measurement '${m.name}' configures parameter '${p.name}' differently in the two workspaces`,
        );
    }
    return { ...m, config: { ...m.config, parameters: params } };
  });
  for (const m of B.measurements) if (!measurements.some((x) => x.name === m.name)) measurements.push(m);
  return Workspace.fromJSON(
    {
      channels: [...A.channels, ...B.channels],
      observations: [...A.observations, ...B.observations],
      measurements,
      version: A.version,
    },
    'combined workspace',
  );
}
