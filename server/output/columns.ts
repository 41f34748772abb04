/** Column rewrites for file formats: unsigned integers widened to signed 64-bit (as Spark/DuckDB-made Parquet has them). */
import { type Batch, type Column, type DataType, HepqError } from '../../exec/batch/index.js';

function widenType(t: DataType): DataType {
  switch (t.kind) {
    case 'primitive':
      return t.type === 'uint32' || t.type === 'uint64' ? { kind: 'primitive', type: 'int64' } : t;
    case 'list':
    case 'fixed-list':
      return { ...t, item: widenType(t.item) };
    case 'struct':
      return { kind: 'struct', fields: t.fields.map((f) => ({ ...f, type: widenType(f.type) })) };
    default:
      return t;
  }
}

function widenColumn(c: Column, name: string): Column {
  switch (c.kind) {
    case 'primitive': {
      if (c.type === 'uint32')
        return {
          kind: 'primitive',
          type: 'int64',
          values: BigInt64Array.from(c.values as Uint32Array, (v) => BigInt(v)),
        };
      if (c.type === 'uint64') {
        const v = c.values as BigUint64Array;
        for (let i = 0; i < v.length; i++)
          if (v[i]! >= 1n << 63n)
            throw new HepqError(
              'output/overflow',
              `column '${name}' holds ${v[i]}, beyond the signed 64-bit range`,
              {
                hint: 'write without unsigned-to-signed widening',
              },
            );
        return {
          kind: 'primitive',
          type: 'int64',
          values: new BigInt64Array(v.buffer, v.byteOffset, v.length),
        };
      }
      return c;
    }
    case 'list':
      return { ...c, child: widenColumn(c.child, name) };
    case 'fixed-list':
      return { ...c, child: widenColumn(c.child, name) };
    case 'struct':
      return { ...c, children: c.children.map((ch, i) => widenColumn(ch, `${name}.${c.names[i]}`)) };
    default:
      return c;
  }
}

/** The batch with every uint32/uint64 (at any depth) as int64. */
export function widenUnsigned(batch: Batch): Batch {
  return {
    ...batch,
    schema: { fields: batch.schema.fields.map((f) => ({ ...f, type: widenType(f.type) })) },
    columns: batch.columns.map((c, i) => widenColumn(c, batch.schema.fields[i]!.name)),
  };
}
