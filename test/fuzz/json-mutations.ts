/** Mutations of pyhf workspace JSON as replayable edits: delete, retype, hostile numbers, duplicated and deep-nested values. */
import { assertNever } from '../../exec/batch/index.js';
import type { Rng } from './rng.js';

type Path = readonly (string | number)[];

/** One edit at a JSON path; values are small tags, expanded when applied, so a recipe stays small. */
export type JsonEdit =
  | { readonly op: 'delete'; readonly path: Path }
  | { readonly op: 'set'; readonly path: Path; readonly value: HostileValue }
  | { readonly op: 'duplicate'; readonly path: Path }
  | { readonly op: 'nest'; readonly path: Path; readonly depth: number }
  | { readonly op: 'grow'; readonly path: Path; readonly length: number };

export type HostileValue =
  | null
  | number
  | string
  | boolean
  | { readonly tag: 'array' | 'object' | 'nan' | 'inf' | 'long-string' };

const VALUES: readonly HostileValue[] = [
  null,
  0,
  -1,
  1e308,
  -1e308,
  1e-320,
  2 ** 53 + 1,
  0.5,
  '',
  'x',
  true,
  { tag: 'array' },
  { tag: 'object' },
  { tag: 'nan' },
  { tag: 'inf' },
  { tag: 'long-string' },
];

function expand(v: HostileValue): unknown {
  if (v === null || typeof v !== 'object') return v;
  switch (v.tag) {
    case 'array':
      return [];
    case 'object':
      return {};
    case 'nan':
      return Number.NaN;
    case 'inf':
      return Number.POSITIVE_INFINITY;
    case 'long-string':
      return 'n'.repeat(100000);
    default:
      return assertNever(v.tag, 'hostile value');
  }
}

/** Every path in a document (containers and leaves), for picking edit targets. */
function paths(doc: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(doc)) for (const [i, x] of doc.entries()) paths(x, [...prefix, i], out);
  else if (doc && typeof doc === 'object')
    for (const [k, x] of Object.entries(doc)) paths(x, [...prefix, k], out);
  return out;
}

export function randomJsonEdits(rng: Rng, doc: unknown): JsonEdit[] {
  const all = paths(doc).filter((p) => p.length > 0);
  const n = rng.chance(0.6) ? 1 : rng.range(2, 4);
  const out: JsonEdit[] = [];
  for (let i = 0; i < n && all.length; i++) {
    const path = rng.pick(all);
    const r = rng.next();
    if (r < 0.2) out.push({ op: 'delete', path });
    else if (r < 0.7) out.push({ op: 'set', path, value: rng.pick(VALUES) });
    else if (r < 0.8) out.push({ op: 'duplicate', path });
    else if (r < 0.9) out.push({ op: 'nest', path, depth: rng.pick([10, 100, 1000, 10000]) });
    else out.push({ op: 'grow', path, length: rng.pick([100, 10000, 200000]) });
  }
  return out;
}

/** Apply edits to a deep copy of `doc` (copies made by the edits share their values: the checks only read them). */
export function applyJsonEdits(doc: unknown, edits: readonly JsonEdit[]): unknown {
  const root = { v: structuredClone(doc) as unknown };
  for (const e of edits) {
    const full: Path = ['v', ...e.path];
    let parent: Record<string | number, unknown> = root as Record<string, unknown>;
    for (const k of full.slice(0, -1)) {
      const next = parent[k];
      if (!next || typeof next !== 'object') {
        parent = {};
        break;
      }
      parent = next as Record<string | number, unknown>;
    }
    const key = full.at(-1)!;
    switch (e.op) {
      case 'delete':
        if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
        else delete parent[key];
        break;
      case 'set':
        parent[key] = expand(e.value);
        break;
      case 'duplicate':
        if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 0, parent[key]);
        else parent[`${key}_copy`] = parent[key];
        break;
      case 'nest': {
        let v: unknown = parent[key];
        for (let i = 0; i < e.depth; i++) v = [v];
        parent[key] = v;
        break;
      }
      case 'grow': {
        const v = parent[key];
        if (Array.isArray(v))
          parent[key] = Array.from({ length: e.length }, (_, i) => v[i % Math.max(1, v.length)] ?? 1);
        break;
      }
      default:
        assertNever(e, 'json edit');
    }
  }
  return root.v;
}
