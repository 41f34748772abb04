/**
 * The FROM item of a translated plan: `hepq.root(file, tree)` for a ROOT file (its columns carry hepq's names),
 * `read_parquet([…])` for Parquet files, whose nested layout (`Muon` as LIST(STRUCT), `MET` as STRUCT) is mapped
 * to the flat names hepq's Parquet connector gives it (`Muon_pt`, `MET_pt`, `nMuon`).
 */

import type { SqlSource } from './translate.js';
import { ident, str } from './values.js';

/**
 * A ROOT file's tree through hepq's `root()` table function; several files as a `UNION ALL BY NAME` of them (which
 * keeps no entry order: only for results that do not depend on it).
 */
export function rootSource(files: string | readonly string[], tree: string): SqlSource {
  const list = typeof files === 'string' ? [files] : files;
  const one = (f: string) => `hepq.root(${str(f)}, ${str(tree)})`;
  if (list.length === 1) return { from: one(list[0]!) };
  return { from: `(${list.map((f) => `SELECT * FROM ${one(f)}`).join(' UNION ALL BY NAME ')})` };
}

/** A top-level column of a Parquet file as DuckDB describes it (`DESCRIBE SELECT * FROM read_parquet(…)`). */
export interface RawColumn {
  readonly name: string;
  readonly type: string;
}

/** Parquet files read by DuckDB, each hepq column name mapped onto the file's own layout. */
export function parquetSource(files: readonly string[], raw: readonly RawColumn[]): SqlSource {
  const byName = new Map(raw.map((c) => [c.name, c.type]));
  const isStructList = (t: string | undefined) => t !== undefined && /^STRUCT\(.*\)\[\]$/s.test(t);
  return {
    from: `read_parquet([${files.map(str).join(', ')}])`,
    column(name) {
      if (byName.has(name)) return ident(name);
      if (name.startsWith('n') && byName.get(name.slice(1))?.endsWith('[]'))
        return `len(${ident(name.slice(1))})`;
      const us = name.indexOf('_');
      if (us > 0) {
        const [top, field] = [name.slice(0, us), name.slice(us + 1)];
        const t = byName.get(top);
        if (isStructList(t)) return `list_transform(${ident(top)}, lambda s: s.${ident(field)})`;
        if (t?.startsWith('STRUCT(')) return `${ident(top)}.${ident(field)}`;
      }
      return ident(name);
    },
  };
}
