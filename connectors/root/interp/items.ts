/** The fixed-width values of ROOT branches: their on-disk and decoded types, widths and C++ names. */
import type { DataType, PrimitiveType } from '../../../exec/batch/index.js';
import { type FloatRange, parseFloatRange, T } from '../streamers/streamer-info.js';

/** One on-disk value: its big-endian type, the type it is decoded to, and Double32/Float16 packing. */
export interface Item {
  readonly disk: PrimitiveType;
  readonly out: PrimitiveType;
  readonly packed?: FloatRange;
  /** Bytes one value occupies on disk. */
  readonly width: number;
}

const WIDTH: Record<PrimitiveType, number> = {
  bool: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  float32: 4,
  float64: 8,
};

const CPP: Record<PrimitiveType, string> = {
  bool: 'bool',
  int8: 'int8_t',
  uint8: 'uint8_t',
  int16: 'int16_t',
  uint16: 'uint16_t',
  int32: 'int32_t',
  uint32: 'uint32_t',
  int64: 'int64_t',
  uint64: 'uint64_t',
  float32: 'float',
  float64: 'double',
};

export function item(disk: PrimitiveType, out: PrimitiveType = disk, packed?: FloatRange): Item {
  return { disk, out, packed, width: packed ? (packed.mode === 'truncated' ? 3 : 4) : WIDTH[disk] };
}

/** The item of ROOT basic type code 1..19 (64-bit longs and Double32/Float16 included). */
export function itemOfCode(code: number, title = ''): Item | undefined {
  switch (code) {
    case T.Char:
    case T.LegacyChar:
      return item('int8');
    case T.Short:
      return item('int16');
    case T.Int:
    case T.Counter:
      return item('int32');
    case T.Long:
    case T.Long64:
      return item('int64');
    case T.Float:
      return item('float32');
    case T.Double:
      return item('float64');
    case T.Double32:
      return item('float32', 'float64', parseFloatRange(title, false));
    case T.Float16:
      return item('float32', 'float32', parseFloatRange(title, true));
    case T.UChar:
      return item('uint8');
    case T.UShort:
      return item('uint16');
    case T.UInt:
    case T.Bits:
      return item('uint32');
    case T.ULong:
    case T.ULong64:
      return item('uint64');
    case T.Bool:
      return item('bool');
    default:
      return undefined;
  }
}

/** The item of a C++ / ROOT basic type name (`float`, `Float_t`, `int32_t`, `unsigned int`, ...). */
export function itemOfName(name: string): Item | undefined {
  const n = name
    .replace(/^std::/, '')
    .replace(/\s+/g, ' ')
    .trim();
  const table: Record<string, PrimitiveType> = {
    bool: 'bool',
    Bool_t: 'bool',
    char: 'int8',
    Char_t: 'int8',
    int8_t: 'int8',
    'signed char': 'int8',
    'unsigned char': 'uint8',
    UChar_t: 'uint8',
    uint8_t: 'uint8',
    short: 'int16',
    Short_t: 'int16',
    int16_t: 'int16',
    'unsigned short': 'uint16',
    UShort_t: 'uint16',
    uint16_t: 'uint16',
    int: 'int32',
    Int_t: 'int32',
    int32_t: 'int32',
    'unsigned int': 'uint32',
    UInt_t: 'uint32',
    uint32_t: 'uint32',
    unsigned: 'uint32',
    long: 'int64',
    Long_t: 'int64',
    Long64_t: 'int64',
    int64_t: 'int64',
    'long long': 'int64',
    'unsigned long': 'uint64',
    ULong_t: 'uint64',
    ULong64_t: 'uint64',
    uint64_t: 'uint64',
    'unsigned long long': 'uint64',
    float: 'float32',
    Float_t: 'float32',
    double: 'float64',
    Double_t: 'float64',
  };
  if (n === 'Double32_t') return item('float32', 'float64', { mode: 'float' });
  if (n === 'Float16_t') return item('float32', 'float32', { mode: 'truncated', nbits: 12 });
  const t = table[n];
  return t ? item(t) : undefined;
}

export function typeOfItem(it: Item, dims: readonly number[]): DataType {
  let t: DataType = { kind: 'primitive', type: it.out };
  for (let i = dims.length - 1; i >= 0; i--) t = { kind: 'fixed-list', item: t, size: dims[i]! };
  return t;
}

export function cppOfItem(it: Item, packedName?: string): string {
  if (it.packed) return packedName ?? (it.out === 'float64' ? 'Double32_t' : 'Float16_t');
  return CPP[it.disk === it.out ? it.disk : it.out];
}
