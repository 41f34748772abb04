/**
 * The NanoAOD-like view of a Parquet file's columns: a struct `MET{pt, phi}` becomes `MET_pt`, `MET_phi`; a list
 * of structs `Muon[{pt, eta}]` becomes jagged `Muon_pt`, `Muon_eta` sharing its offsets, plus the count `nMuon`
 * (unless the file has one). `flatten` maps the file's top-level fields to our columns, `extract` cuts one of
 * our columns out of its decoded top-level column, `leafPaths` says which Parquet leaves a scan reads.
 */
import {
  type Alloc,
  type Column,
  type DataType,
  type Field,
  freshAlloc,
  HepqError,
} from '../../exec/batch/index.js';

/** How one of our columns comes out of a top-level Parquet column. */
export type Source =
  | { readonly kind: 'whole'; readonly top: string }
  | { readonly kind: 'struct-field'; readonly top: string; readonly field: string }
  | { readonly kind: 'list-field'; readonly top: string; readonly field: string }
  | { readonly kind: 'list-count'; readonly top: string };

export interface Mapped {
  readonly field: Field;
  readonly source: Source;
}

export function flatten(fields: readonly Field[]): Mapped[] {
  const out: Mapped[] = [];
  const names = new Set(fields.map((f) => f.name));
  for (const f of fields) {
    const t = f.type;
    if (t.kind === 'struct') {
      for (const c of t.fields)
        out.push({
          field: { name: `${f.name}_${c.name}`, type: c.type },
          source: { kind: 'struct-field', top: f.name, field: c.name },
        });
    } else if (t.kind === 'list' && t.item.kind === 'struct') {
      if (!names.has(`n${f.name}`))
        out.push({
          field: { name: `n${f.name}`, type: { kind: 'primitive', type: 'int32' } },
          source: { kind: 'list-count', top: f.name },
        });
      for (const c of t.item.fields)
        out.push({
          field: { name: `${f.name}_${c.name}`, type: { kind: 'list', item: c.type } as DataType },
          source: { kind: 'list-field', top: f.name, field: c.name },
        });
    } else out.push({ field: f, source: { kind: 'whole', top: f.name } });
  }
  return out;
}

export function extract(m: Mapped, top: Column, length: number, alloc: Alloc = freshAlloc): Column {
  const s = m.source;
  switch (s.kind) {
    case 'whole':
      return top;
    case 'struct-field': {
      if (top.kind !== 'struct') break;
      return top.children[top.names.indexOf(s.field)]!;
    }
    case 'list-field': {
      if (top.kind !== 'list' || top.child.kind !== 'struct') break;
      const st = top.child;
      return { kind: 'list', offsets: top.offsets, child: st.children[st.names.indexOf(s.field)]! };
    }
    case 'list-count': {
      if (top.kind !== 'list') break;
      const n = new Int32Array(alloc(length * 4).buffer, 0, length);
      for (let i = 0; i < length; i++) n[i] = top.offsets[i + 1]! - top.offsets[i]!;
      return { kind: 'primitive', type: 'int32', values: n };
    }
  }
  throw new HepqError('parquet/internal', `column ${m.field.name} does not match its Parquet layout`);
}

/**
 * The Parquet columns to read for some of our columns: only the struct / list-of-struct fields asked for
 * (`MET.pt`, `Muon.list.element.pt`), not every field of their top-level column; a count alone (`nMuon`)
 * reads one field of its collection for the offsets. `byTop`: the file's leaf paths by top-level column.
 */
export function leafPaths(mapped: readonly Mapped[], byTop: ReadonlyMap<string, string[][]>): string[] {
  const out = new Set<string>();
  const counts: string[] = [];
  for (const m of mapped) {
    const s = m.source;
    if (s.kind === 'list-count') counts.push(s.top);
    else if (s.kind === 'whole') out.add(s.top);
    else {
      const leaf = byTop.get(s.top)?.find((p) => p.length > 1 && p[p.length - 1] === s.field);
      out.add(leaf ? leaf.join('.') : s.top);
    }
  }
  for (const top of counts) {
    const leaves = byTop.get(top) ?? [];
    if (out.has(top) || leaves.some((p) => out.has(p.join('.')))) continue;
    out.add(leaves[0] ? leaves[0].join('.') : top);
  }
  return [...out];
}
