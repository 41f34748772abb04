/**
 * Arguments of the analysis table functions in SQL: func_adl's `params`, the rows of `fileset(path)`, the
 * builder config and the histogram rows of `histfactory_fit_from` / `hypotest_from` / `upper_limit_from`.
 */
import { readFileSync } from 'node:fs';
import { loadFileset, type MetadataValue, parseYaml } from '../../connectors/index.js';
import { type Column, HepqError, primitive, type Schema, utf8FromStrings } from '../../exec/batch/index.js';
import type { FileAccess } from '../../exec/duckdb/index.js';
import type { BuilderConfig, HistogramRow } from '../../stats/index.js';

/** A materialised table function result. */
export interface Rows {
  readonly schema: Schema;
  readonly columns: readonly Column[];
  readonly length: number;
}

/** `params := '{"lumi": 3378}'`: named query parameters as a JSON object of numbers, booleans and strings. */
export function paramsArg(text: string | undefined): Record<string, MetadataValue> | undefined {
  if (text === undefined) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new HepqError('sql/bad-argument', `func_adl: params is not JSON: ${(e as Error).message}`, {
      hint: `e.g. params := '{"lumi": 3378, "xsec": 729.84}'`,
    });
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new HepqError('sql/bad-argument', 'func_adl: params must be a JSON object of name → value');
  for (const [k, x] of Object.entries(v))
    if (!['number', 'boolean', 'string'].includes(typeof x))
      throw new HepqError('sql/bad-argument', `func_adl: parameter ${k} must be a number, boolean or string`);
  return v as Record<string, MetadataValue>;
}

/** The rows of `fileset('fileset.json')`: one per file, with its dataset, tree and metadata (one column per key). */
export function filesetRows(path: string): Rows {
  const fs = loadFileset(path);
  const keys = [...new Set(fs.datasets.flatMap((d) => Object.keys(d.metadata)))];
  const kinds = keys.map((k) => {
    const types = new Set(fs.datasets.map((d) => typeof d.metadata[k]).filter((t) => t !== 'undefined'));
    return types.size === 1 && types.has('number')
      ? 'number'
      : types.size === 1 && types.has('boolean')
        ? 'boolean'
        : 'string';
  });
  const rows = fs.datasets.flatMap((d) => d.files.map((file) => ({ d, file })));
  const text = (values: (string | undefined)[]): Column => utf8FromStrings(values.map((v) => v ?? ''));
  const columns: Column[] = [
    text(rows.map((r) => r.d.name)),
    text(rows.map((r) => r.file)),
    text(rows.map((r) => r.d.tree)),
    ...keys.map((k, i) => {
      const vals = rows.map((r) => r.d.metadata[k]);
      if (kinds[i] === 'number')
        return primitive(
          'float64',
          Float64Array.from(vals, (v) => (v === undefined ? Number.NaN : Number(v))),
        );
      if (kinds[i] === 'boolean')
        return primitive(
          'bool',
          Uint8Array.from(vals, (v) => (v ? 1 : 0)),
        );
      return text(vals.map((v) => (v === undefined ? undefined : String(v))));
    }),
  ];
  const utf8 = { kind: 'utf8' } as const;
  const schema: Schema = {
    fields: [
      { name: 'dataset', type: utf8 },
      { name: 'file', type: utf8 },
      { name: 'tree', type: utf8 },
      ...keys.map((name, i) => ({
        name,
        type:
          kinds[i] === 'number'
            ? ({ kind: 'primitive', type: 'float64' } as const)
            : kinds[i] === 'boolean'
              ? ({ kind: 'primitive', type: 'bool' } as const)
              : utf8,
      })),
    ],
  };
  return { schema, columns, length: rows.length };
}

/** The builder config argument of `*_from`: a JSON object, or a path to a JSON/YAML file. */
export function builderConfigArg(name: string, text: string, files: FileAccess): BuilderConfig {
  try {
    const t = text.trimStart();
    if (t.startsWith('{')) return JSON.parse(t) as BuilderConfig;
    const path = files.resolve(text);
    const body = readFileSync(path, 'utf8');
    return (/\.ya?ml$/i.test(path) ? parseYaml(body) : JSON.parse(body)) as BuilderConfig;
  } catch (e) {
    if (e instanceof HepqError) throw e;
    throw new HepqError(
      'sql/bad-argument',
      `${name}: the builder config is not valid: ${(e as Error).message}`,
      {
        hint: `e.g. '{"regions": ["SR"], "samples": [{"name": "signal", "signal": true}, {"name": "bkg"}]}'`,
      },
    );
  }
}

/** Histogram bin rows (region, sample, [variation], bin, content, [sumw2]) from the rows of a SQL query. */
export function histogramRowsOf(name: string, rows: ReadonlyArray<Record<string, unknown>>): HistogramRow[] {
  const first = rows[0];
  if (!first) throw new HepqError('sql/empty-histograms', `${name}: the histogram query returned no rows`);
  const missing = ['region', 'sample', 'bin', 'content'].filter((c) => !(c in first));
  if (missing.length)
    throw new HepqError(
      'sql/bad-argument',
      `${name}: the histogram query has no column ${missing.join(', ')}`,
      {
        hint: `it needs region, sample, bin, content (optional: variation, sumw2); it has ${Object.keys(first).join(', ')}`,
      },
    );
  return rows.map((r) => ({
    region: String(r.region),
    sample: String(r.sample),
    variation: r.variation === null || r.variation === undefined ? '' : String(r.variation),
    bin: Number(r.bin),
    content: Number(r.content),
    ...(r.sumw2 === null || r.sumw2 === undefined ? {} : { sumw2: Number(r.sumw2) }),
  }));
}
