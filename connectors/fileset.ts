/**
 * Filesets as coffea users write them (JSON or YAML): dataset name → files (a list, or path → tree name) and
 * metadata (cross section, sum of weights, is-data, …) that queries read as named parameters.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { didYouMean, HepqError } from '../exec/batch/index.js';

/** A metadata value: what a query parameter can be bound to. */
export type MetadataValue = number | boolean | string;

export interface FilesetDataset {
  readonly name: string;
  readonly files: readonly string[];
  /** The tree to read (from `treename`, or the value of a `{path: tree}` files map); undefined: the file's own. */
  readonly tree?: string;
  readonly metadata: Readonly<Record<string, MetadataValue>>;
}

export interface Fileset {
  readonly datasets: readonly FilesetDataset[];
}

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

function bad(message: string, file: string | undefined, hint?: string): never {
  throw new HepqError('fileset/invalid', message, {
    ...(file ? { location: { file } } : {}),
    hint:
      hint ??
      'a fileset maps each dataset to {"files": [...] or {"path": "tree"}, "metadata": {"xsec": ..., ...}}',
  });
}

/**
 * Check and normalise a parsed fileset. Relative file paths resolve against `baseDir` (the fileset's folder);
 * URLs are kept as they are.
 */
export function parseFileset(raw: unknown, baseDir = '.', source?: string): Fileset {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    bad('a fileset must be an object of dataset name → dataset', source);
  const datasets: FilesetDataset[] = [];
  const where = (name: string) => `dataset '${name}'`;
  for (const [name, d] of Object.entries(raw as Record<string, unknown>)) {
    if (d === null || typeof d !== 'object' || Array.isArray(d))
      bad(`${where(name)} must be an object`, source);
    const obj = d as Record<string, unknown>;
    const known = ['files', 'metadata', 'treename', 'tree'];
    for (const k of Object.keys(obj))
      if (!known.includes(k)) {
        const near = didYouMean(k, known);
        bad(`${where(name)} has an unknown key '${k}'`, source, near ? `did you mean ${near}?` : undefined);
      }
    const at = (f: string) => (URL_LIKE.test(f) || isAbsolute(f) ? f : resolve(baseDir, f));
    let files: string[];
    let tree = (obj.treename ?? obj.tree) as string | undefined;
    if (tree !== undefined && typeof tree !== 'string')
      bad(`${where(name)}: treename must be a string`, source);
    if (Array.isArray(obj.files)) {
      if (!obj.files.every((f) => typeof f === 'string'))
        bad(`${where(name)}: files must be strings`, source);
      files = (obj.files as string[]).map(at);
    } else if (obj.files && typeof obj.files === 'object') {
      const entries = Object.entries(obj.files as Record<string, unknown>);
      const trees = new Set(entries.map(([, t]) => t));
      if ([...trees].some((t) => typeof t !== 'string'))
        bad(`${where(name)}: files maps each path to its tree name (a string)`, source);
      if (trees.size > 1)
        bad(
          `${where(name)}: its files name different trees (${[...trees].join(', ')})`,
          source,
          'split it into datasets',
        );
      files = entries.map(([f]) => at(f));
      tree ??= entries[0]?.[1] as string | undefined;
    } else if (typeof obj.files === 'string') files = [at(obj.files)];
    else return bad(`${where(name)} has no files`, source);
    if (files.length === 0) bad(`${where(name)} lists no files`, source);
    const metadata: Record<string, MetadataValue> = {};
    if (obj.metadata !== undefined) {
      if (obj.metadata === null || typeof obj.metadata !== 'object' || Array.isArray(obj.metadata))
        bad(`${where(name)}: metadata must be an object of name → number, string or boolean`, source);
      for (const [k, v] of Object.entries(obj.metadata as Record<string, unknown>)) {
        if (!['number', 'string', 'boolean'].includes(typeof v))
          bad(`${where(name)}: metadata ${k} must be a number, string or boolean`, source);
        if (!/^[A-Za-z_]\w*$/.test(k))
          bad(
            `${where(name)}: metadata name '${k}' cannot be used in a query`,
            source,
            'use letters, digits and _',
          );
        metadata[k] = v as MetadataValue;
      }
    }
    datasets.push({ name, files, ...(tree ? { tree } : {}), metadata });
  }
  if (datasets.length === 0) bad('the fileset has no datasets', source);
  return { datasets };
}

/** YAML's parser, loaded with the first YAML file (every command imports this module; few read YAML). */
export function parseYaml(text: string): unknown {
  return (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text);
}

/** Read a fileset from a `.json`, `.yaml` or `.yml` file. */
export function loadFileset(path: string): Fileset {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new HepqError('fileset/cannot-read', `cannot read fileset ${path}: ${(e as Error).message}`, {
      location: { file: path },
      cause: e,
    });
  }
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new HepqError(
      'fileset/syntax',
      `fileset ${path} is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(e as Error).message}`,
      {
        location: { file: path },
        cause: e,
      },
    );
  }
  return parseFileset(raw, dirname(path), path);
}
