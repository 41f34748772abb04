/**
 * A result's column names as DuckDB's files name them. A query may repeat a name (`SELECT 1 AS a, 2 AS a`,
 * `SELECT * FROM t1 JOIN t2 ON …`); DuckDB's own shell prints the names as they are, but its `COPY … TO`
 * (CSV header, Parquet schema) gives each repeat a suffix: `a, a` → `a, a_1`. Names are compared without ASCII
 * case (`a, A` → `a, A_1`; `É, é` stay), and a suffixed name that is taken already takes the next number (`a, a_1, a` →
 * `a, a_1, a_2`). The files (csv, json, jsonl, arrow, parquet) use these names, so no column is lost where a
 * name is a key; the text table keeps DuckDB's own names.
 */
import type { Batch, Schema } from '../batch/index.js';

/** ASCII letters in lower case (DuckDB folds only those when it compares names). */
const fold = (name: string) => name.replace(/[A-Z]+/g, (s) => s.toLowerCase());

/** The names as DuckDB's `COPY … TO` writes them (unchanged, the same array, when none repeats). */
export function copyColumnNames(names: readonly string[]): readonly string[] {
  const seen = new Set(names.map(fold));
  if (seen.size === names.length) return names;
  // taken: each lower-cased name written so far, with the next suffix to try for it as a base
  const taken = new Map<string, number>();
  return names.map((name) => {
    const low = fold(name);
    const next = taken.get(low);
    if (next === undefined) {
      taken.set(low, 1);
      return name;
    }
    let k = next;
    while (taken.has(`${low}_${k}`)) k++;
    taken.set(low, k);
    taken.set(`${low}_${k}`, 1);
    return `${name}_${k}`;
  });
}

/** A schema with its fields named as DuckDB's files name them (the same schema when no name repeats). */
export function copyNamedSchema(schema: Schema): Schema {
  const names = copyColumnNames(schema.fields.map((f) => f.name));
  if (names.every((n, k) => n === schema.fields[k]!.name)) return schema;
  return { ...schema, fields: schema.fields.map((f, k) => ({ ...f, name: names[k]! })) };
}

/** A batch whose columns are named as DuckDB's files name them (the same batch when no name repeats). */
export function copyNamedBatch(batch: Batch): Batch {
  const schema = copyNamedSchema(batch.schema);
  return schema === batch.schema ? batch : { ...batch, schema };
}
