/** Helpers for the RNTuple tests: the shared files, manifest facts, and plain values to compare with jsroot. */
import { readdirSync, readFileSync } from 'node:fs';
import { type Column, type JsValue, valueAt } from '../../../../exec/batch/index.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../../helpers/shared-data.js';

/** The RNTuple files of ../shared/data/root (their names contain `rntuple`). */
export function rntupleFiles(): string[] {
  if (!HAVE_ROOT_DATA) return [];
  return readdirSync(ROOT_DATA)
    .filter((f) => f.endsWith('.root') && f.includes('rntuple'))
    .sort();
}

export interface ManifestRNTuple {
  readonly name: string;
  readonly anchor: string;
  readonly entries: number;
  readonly fields: number;
  /** Field name → type, from the "key branches" column. */
  readonly keyFields: ReadonlyMap<string, string>;
}

/** RNTuple facts per file name, parsed from MANIFEST.md. */
export function manifestRNTuples(): Map<string, ManifestRNTuple> {
  const text = readFileSync(`${ROOT_DATA}MANIFEST.md`, 'utf8');
  const out = new Map<string, ManifestRNTuple>();
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const file = /^`([^`]+\.root)`$/.exec(cells[1] ?? '')?.[1];
    const m = /RNTuple `([^`]+)` \(anchor v([\d.]+)\): (\d+) entries, (\d+) fields/.exec(cells[5] ?? '');
    if (!file || !m) continue;
    const keyFields = new Map<string, string>();
    for (const part of (cells[6] ?? '').split('<br>')) {
      const k = /^`([^`]+)` ?(.*)$/.exec(part.trim());
      if (k) keyFields.set(k[1]!, k[2]!.trim());
    }
    out.set(file, { name: m[1]!, anchor: m[2]!, entries: Number(m[3]), fields: Number(m[4]), keyFields });
  }
  return out;
}

/** jsroot-comparable values: 64-bit integers as numbers, booleans as 0/1. */
export function plain(v: JsValue): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = plain(x);
    return out;
  }
  return v;
}

/** Every row of a column as plain values. */
export function rows(c: Column, n: number): unknown[] {
  return Array.from({ length: n }, (_, i) => plain(valueAt(c, i)));
}

/** A record member through arrays: `member([{pt: 1}, {pt: 2}], ['pt'])` is `[1, 2]`. */
export function member(v: unknown, path: readonly string[]): unknown {
  if (path.length === 0) return v;
  if (Array.isArray(v)) return v.map((x) => member(x, path));
  return member((v as Record<string, unknown>)[path[0]!], path.slice(1));
}
