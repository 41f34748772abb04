/**
 * Decoded column chunks (levels + dense values, `pages.ts`) as `exec/batch` columns: a flat leaf becomes a
 * primitive column, a leaf under one repeated level a list column (offsets from the repetition levels, an
 * element wherever the definition level reaches the repeated node). Values without nulls stay views of the
 * decoded bytes; a null float reads as NaN, a null integer as 0 (as the Arrow route does).
 */
import type { Column, PrimitiveType, TypedArray } from '../../exec/batch/index.js';
import { type Alloc, freshAlloc } from '../../exec/batch/index.js';
import { type Leaf, Physical } from './footer.js';
import { offsetsFromLevels } from './levels.js';
import type { DecodedChunk } from './pages.js';

/** Whether a leaf of this physical type can be read as our primitive type without loss. */
export function physicalFits(physical: number, type: PrimitiveType): boolean {
  switch (physical) {
    case Physical.BOOLEAN:
      return type === 'bool';
    case Physical.INT32:
      return ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32'].includes(type);
    case Physical.INT64:
      return type === 'int64' || type === 'uint64';
    case Physical.FLOAT:
      return type === 'float32';
    case Physical.DOUBLE:
      return type === 'float64';
    default:
      return false;
  }
}

/** A typed view of `n` physical values in `bytes` (aligned: decoded buffers start at offset 0). */
function physicalView(physical: number, bytes: Uint8Array, n: number): TypedArray {
  switch (physical) {
    case Physical.INT32:
      return new Int32Array(bytes.buffer, bytes.byteOffset, n);
    case Physical.INT64:
      return new BigInt64Array(bytes.buffer, bytes.byteOffset, n);
    case Physical.FLOAT:
      return new Float32Array(bytes.buffer, bytes.byteOffset, n);
    case Physical.DOUBLE:
      return new Float64Array(bytes.buffer, bytes.byteOffset, n);
    default:
      return bytes.subarray(0, n);
  }
}

/** Physical values as our primitive type: a view where the layout agrees, else a converting copy. */
function asType(v: TypedArray, type: PrimitiveType): TypedArray {
  switch (type) {
    case 'int8':
      return new Int8Array(v as Int32Array);
    case 'uint8':
      return v instanceof Uint8Array ? v : new Uint8Array(v as Int32Array);
    case 'int16':
      return new Int16Array(v as Int32Array);
    case 'uint16':
      return new Uint16Array(v as Int32Array);
    case 'uint32':
      return new Uint32Array(v.buffer, v.byteOffset, v.length);
    case 'uint64':
      return new BigUint64Array(v.buffer, v.byteOffset, v.length);
    default:
      return v;
  }
}

/** `n` slots, present values where `present(i)` holds, nulls (NaN / 0) elsewhere. */
function scatter(
  dense: TypedArray,
  n: number,
  def: Uint8Array,
  keep: (d: number) => boolean,
  maxDef: number,
): TypedArray {
  const Ctor = dense.constructor as new (n: number) => TypedArray;
  const out = new Ctor(n);
  const isBig = dense instanceof BigInt64Array;
  const nul = dense instanceof Float32Array || dense instanceof Float64Array ? Number.NaN : 0;
  let j = 0;
  let k = 0;
  for (let i = 0; i < def.length; i++) {
    const d = def[i]!;
    if (!keep(d)) continue;
    if (d === maxDef) (out as Float64Array)[k++] = (dense as Float64Array)[j++]!;
    else if (isBig) (out as BigInt64Array)[k++] = 0n;
    else (out as Float64Array)[k++] = nul;
  }
  return out;
}

/** A flat leaf (no repeated level) as a primitive column of `rows` values. */
export function flatColumn(c: DecodedChunk, leaf: Leaf, type: PrimitiveType): Column {
  const dense = physicalView(leaf.physical, c.values, c.count);
  const values =
    c.def && c.count !== c.entries
      ? scatter(dense, c.entries, c.def.decode(), () => true, leaf.maxDef)
      : dense;
  return { kind: 'primitive', type, values: asType(values, type) };
}

/**
 * The list offsets of a leaf under one repeated level: a row starts at repetition level 0 (`levels.ts`). The
 * empty lists are read from the definition runs only when some entry holds no value (an empty or null list, a
 * null element).
 */
export function listOffsets(
  c: DecodedChunk,
  leaf: Leaf,
  rows: number,
  alloc: Alloc = freshAlloc,
): Int32Array {
  const offsets = new Int32Array(alloc((rows + 1) * 4).buffer, 0, rows + 1);
  const empties = c.def && c.count !== c.entries ? c.def.below(leaf.elementDef) : undefined;
  const empty = offsetsFromLevels(c.rep!, empties, rows, offsets);
  offsets[rows] = c.entries - empty;
  return offsets;
}

/** A leaf under one repeated level as the child values of a list column with `elements` entries. */
export function listChild(c: DecodedChunk, leaf: Leaf, type: PrimitiveType, elements: number): Column {
  const dense = physicalView(leaf.physical, c.values, c.count);
  const values =
    c.def && c.count !== elements
      ? scatter(dense, elements, c.def.decode(), (d) => d >= leaf.elementDef, leaf.maxDef)
      : dense;
  if (values.length !== elements)
    throw new Error(`the column has ${values.length} values for ${elements} list elements`);
  return { kind: 'primitive', type, values: asType(values, type) };
}
