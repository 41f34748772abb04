/** Builds hepq columns from plain JS values (arrays for lists, objects for structs), for in-memory tables. */
import {
  type Column,
  type DataType,
  HepqError,
  typedArrayFor,
  typeName,
  utf8FromStrings,
} from '../../exec/batch/index.js';

/** One column of `type` holding `values` (one per row). */
export function columnFromValues(type: DataType, values: readonly unknown[]): Column {
  switch (type.kind) {
    case 'primitive': {
      const arr = new (typedArrayFor(type.type))(values.length);
      const big = type.type === 'int64' || type.type === 'uint64';
      values.forEach((v, i) => {
        const x = typeof v === 'boolean' ? Number(v) : v;
        arr[i] = (big ? BigInt(x as number) : Number(x)) as never;
      });
      return { kind: 'primitive', type: type.type, values: arr };
    }
    case 'list': {
      const offsets = new Int32Array(values.length + 1);
      const flat: unknown[] = [];
      values.forEach((v, i) => {
        if (!Array.isArray(v))
          throw new HepqError('memory/bad-table', `row ${i}: expected an array for ${typeName(type)}`);
        flat.push(...v);
        offsets[i + 1] = flat.length;
      });
      return { kind: 'list', offsets, child: columnFromValues(type.item, flat) };
    }
    case 'fixed-list': {
      const flat = values.flatMap((v) => v as unknown[]);
      return { kind: 'fixed-list', size: type.size, child: columnFromValues(type.item, flat) };
    }
    case 'struct':
      return {
        kind: 'struct',
        names: type.fields.map((f) => f.name),
        children: type.fields.map((f) =>
          columnFromValues(
            f.type,
            values.map((v) => (v as Record<string, unknown>)[f.name]),
          ),
        ),
        length: values.length,
      };
    case 'utf8':
      return utf8FromStrings(values.map(String));
  }
}
