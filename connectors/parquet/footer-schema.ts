/**
 * The file's columns as our fields, read from its own footer (no parquet-wasm): the Arrow schema a writer of
 * the Arrow family embeds (`ARROW:schema`, an IPC schema message, decoded by apache-arrow) where there is
 * one, else the Parquet schema tree with its logical / converted types mapped as arrow-rs maps them (a LIST
 * group → list, another group → struct; strings, small and unsigned integers; dates, times, decimals and maps
 * have no column kind here and are left out, as on the parquet-wasm route).
 */
import { tableFromIPC } from 'apache-arrow';
import type { DataType, Field, PrimitiveType } from '../../exec/batch/index.js';
import { Physical } from './footer.js';
import { typeFromArrow } from './from-arrow.js';
import { get, type TStruct } from './thrift.js';

/** Converted types (parquet.thrift) that matter here. */
const CT = {
  UTF8: 0,
  MAP: 1,
  MAP_KEY_VALUE: 2,
  LIST: 3,
  ENUM: 4,
  UINT_8: 11,
  UINT_16: 12,
  UINT_32: 13,
  UINT_64: 14,
  INT_8: 15,
  INT_16: 16,
  INT_32: 17,
  INT_64: 18,
  JSON: 19,
};

interface Node {
  readonly name: string;
  readonly repetition: number; // 0 required, 1 optional, 2 repeated
  readonly physical?: number;
  readonly converted?: number;
  readonly logical?: TStruct;
  readonly children: Node[];
}

function tree(elements: readonly TStruct[]): Node {
  let i = 0;
  const node = (): Node => {
    const el = elements[i++];
    if (!el) throw new Error('the schema ends early');
    const n = get.int(el, 5) ?? 0;
    const children: Node[] = [];
    for (let c = 0; c < n; c++) children.push(node());
    const physical = get.int(el, 1);
    const converted = get.int(el, 6);
    const logical = get.struct(el, 10);
    return {
      name: get.str(el, 4) ?? '',
      repetition: get.int(el, 3) ?? 0,
      ...(physical !== undefined && n === 0 ? { physical } : {}),
      ...(converted !== undefined ? { converted } : {}),
      ...(logical ? { logical } : {}),
      children,
    };
  };
  return node();
}

/** A leaf's primitive type, or undefined for logical types we have no column for. */
function leafType(n: Node): DataType | undefined {
  const lg = n.logical;
  const integer = lg && get.struct(lg, 10);
  const ct = n.converted;
  if (lg && !integer && !lg.has(1) && !lg.has(4) && !lg.has(12)) return undefined; // dates, decimals, …
  let bits = 0;
  let signed = true;
  if (integer) {
    bits = get.int(integer, 1) ?? 0;
    signed = get.bool(integer, 2) ?? true;
  } else if (ct !== undefined && ct >= CT.UINT_8 && ct <= CT.INT_64) {
    bits = 8 << ((ct - CT.UINT_8) % 4);
    signed = ct >= CT.INT_8;
  }
  const int = (): DataType => ({
    kind: 'primitive',
    type: `${signed ? 'int' : 'uint'}${bits}` as PrimitiveType,
  });
  switch (n.physical) {
    case Physical.BOOLEAN:
      return { kind: 'primitive', type: 'bool' };
    case Physical.INT32:
      if (ct !== undefined && !integer && (ct < CT.UINT_8 || ct > CT.INT_64)) return undefined;
      if (!bits) bits = 32;
      return int();
    case Physical.INT64:
      if (ct !== undefined && !integer && (ct < CT.UINT_8 || ct > CT.INT_64)) return undefined;
      if (!bits) bits = 64;
      return int();
    case Physical.FLOAT:
      return { kind: 'primitive', type: 'float32' };
    case Physical.DOUBLE:
      return { kind: 'primitive', type: 'float64' };
    case Physical.BYTE_ARRAY: {
      const isString =
        (lg && (lg.has(1) || lg.has(4) || lg.has(12))) || ct === CT.UTF8 || ct === CT.ENUM || ct === CT.JSON;
      return isString ? { kind: 'utf8' } : undefined;
    }
    default:
      return undefined;
  }
}

/** The type of a node ignoring its own repetition. */
function nodeType(n: Node): DataType | undefined {
  if (n.children.length === 0) return leafType(n);
  const lg = n.logical;
  if (n.converted === CT.MAP || n.converted === CT.MAP_KEY_VALUE || lg?.has(2)) return undefined;
  if (n.converted === CT.LIST || lg?.has(3)) {
    const rep = n.children[0];
    if (n.children.length !== 1 || !rep || rep.repetition !== 2) return undefined;
    // The backward-compatibility rules of the format: the repeated node itself is the element when it is a
    // leaf, a group of several fields, or named `array` / `<list>_tuple`; else its one child is.
    const isElement = rep.children.length !== 1 || rep.name === 'array' || rep.name === `${n.name}_tuple`;
    const item = isElement ? nodeType(rep) : wrap(rep.children[0]!);
    return item ? { kind: 'list', item } : undefined;
  }
  const fields: Field[] = [];
  for (const c of n.children) {
    const t = wrap(c);
    if (t) fields.push({ name: c.name, type: t });
  }
  return { kind: 'struct', fields };
}

/** A node's type with its repetition: an unannotated repeated field is a list of it. */
function wrap(n: Node): DataType | undefined {
  const t = nodeType(n);
  return t && n.repetition === 2 ? { kind: 'list', item: t } : t;
}

/** Our fields of the file's top-level columns (those with a column kind here), from the footer alone. */
export function footerFields(raw: TStruct): Field[] {
  for (const kv of get.list(raw, 5) as TStruct[]) {
    if (get.str(kv, 1) !== 'ARROW:schema') continue;
    const text = get.str(kv, 2);
    if (!text) break;
    try {
      const schema = tableFromIPC(Buffer.from(text, 'base64')).schema;
      const out: Field[] = [];
      for (const f of schema.fields) {
        const type = typeFromArrow(f.type);
        if (type) out.push({ name: f.name, type });
      }
      return out;
    } catch {
      break; // an unreadable hint: the Parquet schema decides, as arrow-rs does
    }
  }
  const root = tree(get.list(raw, 2) as TStruct[]);
  const out: Field[] = [];
  for (const c of root.children) {
    const type = wrap(c);
    if (type) out.push({ name: c.name, type });
  }
  return out;
}
