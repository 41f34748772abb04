/**
 * Arrow (apache-arrow JS) data to `exec/batch` columns, zero-copy where the layouts agree: numbers stay views,
 * list offsets are rebased only when a slice starts past zero, booleans are unpacked from bits to bytes.
 * Nulls have no representation in our columns yet: a null float reads as NaN, a null integer as 0.
 */
import { type DataType as ArrowType, type Data, Type } from 'apache-arrow';
import {
  type Column,
  type DataType,
  HepqError,
  normalizeOffsets,
  type PrimitiveType,
} from '../../exec/batch/index.js';

function primitiveOf(t: ArrowType): PrimitiveType | undefined {
  switch (t.typeId) {
    case Type.Bool:
      return 'bool';
    case Type.Float:
    case Type.Float32:
    case Type.Float64:
    case Type.Float16: {
      const precision = (t as unknown as { precision: number }).precision;
      return precision === 2 ? 'float64' : 'float32';
    }
    case Type.Int:
    case Type.Int8:
    case Type.Int16:
    case Type.Int32:
    case Type.Int64:
    case Type.Uint8:
    case Type.Uint16:
    case Type.Uint32:
    case Type.Uint64: {
      const { bitWidth, isSigned } = t as unknown as { bitWidth: number; isSigned: boolean };
      return `${isSigned ? 'int' : 'uint'}${bitWidth}` as PrimitiveType;
    }
    default:
      return undefined;
  }
}

/** Our type for an Arrow type, or undefined where we have no column kind for it (dates, decimals, maps). */
export function typeFromArrow(t: ArrowType): DataType | undefined {
  const p = primitiveOf(t);
  if (p) return { kind: 'primitive', type: p };
  switch (t.typeId) {
    case Type.Utf8:
    case Type.LargeUtf8:
      return { kind: 'utf8' };
    case Type.List: {
      const item = typeFromArrow(t.children[0]!.type);
      return item ? { kind: 'list', item } : undefined;
    }
    case Type.FixedSizeList: {
      const item = typeFromArrow(t.children[0]!.type);
      const size = (t as unknown as { listSize: number }).listSize;
      return item ? { kind: 'fixed-list', item, size } : undefined;
    }
    case Type.Struct: {
      const fields = [];
      for (const c of t.children) {
        const ft = typeFromArrow(c.type);
        if (ft) fields.push({ name: c.name, type: ft });
      }
      return { kind: 'struct', fields };
    }
    default:
      return undefined;
  }
}

function hasNulls(d: Data): boolean {
  return d.nullCount > 0 && d.nullBitmap !== undefined && d.nullBitmap.length > 0;
}

function isValid(d: Data, i: number): boolean {
  const bit = d.offset + i;
  return ((d.nullBitmap![bit >> 3]! >> (bit & 7)) & 1) === 1;
}

/** One Arrow Data (a record batch's column, or a child) as our column. */
export function columnFromArrow(d: Data, name: string): Column {
  const p = primitiveOf(d.type);
  if (p === 'bool') {
    const out = new Uint8Array(d.length);
    const bits = d.values as Uint8Array;
    for (let i = 0; i < d.length; i++) {
      const b = d.offset + i;
      out[i] = (bits[b >> 3]! >> (b & 7)) & 1;
    }
    return { kind: 'primitive', type: 'bool', values: out };
  }
  if (p) {
    let values = (d.values as Exclude<Column & { kind: 'primitive' }, undefined>['values']).subarray(
      d.offset,
      d.offset + d.length,
    );
    if (hasNulls(d)) {
      values = values.slice();
      const nul = p.startsWith('float') ? Number.NaN : p.endsWith('64') ? 0n : 0;
      for (let i = 0; i < d.length; i++) if (!isValid(d, i)) (values as Float64Array)[i] = nul as never;
    }
    return { kind: 'primitive', type: p, values };
  }
  switch (d.type.typeId) {
    case Type.Utf8: {
      const offsets = (d.valueOffsets as Int32Array).subarray(d.offset, d.offset + d.length + 1);
      return normalizeOffsets({ kind: 'utf8', offsets, bytes: d.values as Uint8Array });
    }
    case Type.List: {
      const offsets = (d.valueOffsets as Int32Array).subarray(d.offset, d.offset + d.length + 1);
      return normalizeOffsets({ kind: 'list', offsets, child: columnFromArrow(d.children[0]!, name) });
    }
    case Type.FixedSizeList: {
      const size = (d.type as unknown as { listSize: number }).listSize;
      return { kind: 'fixed-list', size, child: columnFromArrow(d.children[0]!, name) };
    }
    case Type.Struct: {
      const names: string[] = [];
      const children: Column[] = [];
      d.type.children.forEach((f: { name: string; type: ArrowType }, i: number) => {
        if (!typeFromArrow(f.type)) return;
        names.push(f.name);
        children.push(columnFromArrow(d.children[i]!, `${name}.${f.name}`));
      });
      return { kind: 'struct', names, children, length: d.length };
    }
    default:
      throw new HepqError(
        'parquet/unsupported-type',
        `column ${name} has Arrow type ${String(d.type)}, which hepq does not read yet`,
      );
  }
}
