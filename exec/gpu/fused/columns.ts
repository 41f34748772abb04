/** Column slots of a fused kernel: how `e.X` names resolve to device arrays, and their host-side extraction. */
import type { Column, DataType, Schema } from '../../batch/index.js';
import { unsupported } from './values.js';

/** Device element type of a slot: values are converted on the host (bool and small ints → i32, f64 → f32). */
export type SlotType = 'f32' | 'i32';

/**
 * One array bound to the kernel: a column (`Jet_pt`), or a field of a struct column (`Jet` + `pt`), as its
 * values (`role: 'values'`) or, for a list, its offsets (`role: 'offsets'`).
 */
export interface Slot {
  readonly key: string;
  readonly column: string;
  readonly field?: string;
  readonly role: 'values' | 'offsets';
  readonly type: SlotType;
  /** The kernel variable name. */
  readonly name: string;
}

export function slotType(t: DataType, what: string): SlotType {
  if (t.kind !== 'primitive') unsupported(`${what} is ${t.kind}, not a number`);
  switch (t.type) {
    case 'float32':
    case 'float64':
      return 'f32';
    case 'bool':
    case 'int8':
    case 'uint8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
      return 'i32';
    default:
      unsupported(`${what} is ${t.type} (no 64-bit integers in WGSL)`);
  }
}

/** The kernel value type of a primitive column: bool stays boolean (stored as i32 0/1). */
export function valType(t: DataType, what: string): SlotType | 'bool' {
  return t.kind === 'primitive' && t.type === 'bool' ? 'bool' : slotType(t, what);
}

/** Field `field` of a list<struct> / struct column type. */
export function structField(t: DataType, field: string): DataType | undefined {
  let s = t;
  while (s.kind === 'list' || s.kind === 'fixed-list') s = s.item;
  return s.kind === 'struct' ? s.fields.find((f) => f.name === field)?.type : undefined;
}

export function schemaType(schema: Schema, column: string): DataType | undefined {
  return schema.fields.find((f) => f.name === column)?.type;
}

/** The slot's host array over the whole (concatenated) column: offsets as Int32Array, values converted. */
export function extractSlot(slot: Slot, col: Column): Int32Array | Float32Array {
  let c = col;
  if (slot.role === 'offsets') {
    if (c.kind !== 'list') unsupported(`${slot.column} is not a list column`);
    const base = c.offsets[0]!;
    return base === 0 ? c.offsets : c.offsets.map((o) => o - base);
  }
  let start = 0;
  if (c.kind === 'list') {
    start = c.offsets[0]!;
    c = c.child;
  }
  if (slot.field !== undefined) {
    if (c.kind !== 'struct') unsupported(`${slot.column} is not a struct column`);
    const i = c.names.indexOf(slot.field);
    c = c.children[i]!;
  }
  if (c.kind !== 'primitive') unsupported(`${slot.key} is ${c.kind}, not a number`);
  const v = start ? c.values.subarray(start) : c.values;
  if (slot.type === 'f32') return v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
  return v instanceof Int32Array ? v : Int32Array.from(v as ArrayLike<number>);
}
