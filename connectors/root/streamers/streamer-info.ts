/** TStreamerInfo and TStreamerElement: the file's own description of how each class is serialised. */

/** ROOT's element type codes (TVirtualStreamerInfo::EReadWrite). */
export enum T {
  Base = 0,
  Char = 1,
  Short = 2,
  Int = 3,
  Long = 4,
  Float = 5,
  Counter = 6,
  CharStar = 7,
  Double = 8,
  Double32 = 9,
  LegacyChar = 10,
  UChar = 11,
  UShort = 12,
  UInt = 13,
  ULong = 14,
  Bits = 15,
  Long64 = 16,
  ULong64 = 17,
  Bool = 18,
  Float16 = 19,
  OffsetL = 20,
  OffsetP = 40,
  Object = 61,
  Any = 62,
  Objectp = 63,
  ObjectP = 64,
  TString = 65,
  TObject = 66,
  TNamed = 67,
  Anyp = 68,
  AnyP = 69,
  AnyPnoVT = 70,
  STLp = 71,
  STL = 300,
  Streamer = 500,
  StreamLoop = 501,
  STLstring = 365,
}

export interface StreamerElement {
  readonly className: string; // TStreamerBasicType, TStreamerBase, TStreamerSTL, ...
  readonly name: string;
  readonly title: string;
  type: number;
  readonly size: number;
  readonly arrayLength: number;
  readonly arrayDim: number;
  readonly maxIndex: readonly number[];
  readonly typeName: string;
  /** TStreamerBase: the base class version. */
  baseVersion?: number;
  /** TStreamerBasicPointer / TStreamerLoop: the member holding the element count. */
  countName?: string;
  countClass?: string;
  /** TStreamerSTL: container kind (1 vector, 4 map, ...) and content type code. */
  stlType?: number;
  ctype?: number;
  /** Double32_t / Float16_t packing from the title `[xmin, xmax, nbits]`. */
  range?: FloatRange;
}

export interface StreamerInfo {
  readonly name: string;
  readonly title: string;
  readonly checksum: number;
  readonly classVersion: number;
  readonly elements: readonly StreamerElement[];
}

/** Attach the Double32_t/Float16_t packing to an element whose type needs it. */
export function applyFloatRange(el: StreamerElement): void {
  const base = el.type % 20;
  if ((base === T.Double32 || base === T.Float16) && el.type < T.Object)
    el.range = parseFloatRange(el.title, base === T.Float16);
}

/** How a Double32_t/Float16_t value is packed on disk. */
export type FloatRange =
  | { readonly mode: 'factor'; readonly xmin: number; readonly factor: number }
  | { readonly mode: 'truncated'; readonly nbits: number }
  | { readonly mode: 'float' };

/** The packing a Double32_t/Float16_t title `[xmin, xmax, nbits]` asks for (ROOT's TStreamerElement::GetRange). */
export function parseFloatRange(title: string, isFloat16: boolean): FloatRange {
  const bracket = /\[\s*([^,\]]+)\s*,\s*([^,\]]+)\s*(?:,\s*([^\]]+))?\]/.exec(title);
  let xmin = 0;
  let xmax = 0;
  let nbits = 32;
  if (bracket) {
    xmin = evalRangeNumber(bracket[1]!);
    xmax = evalRangeNumber(bracket[2]!);
    if (bracket[3] !== undefined) nbits = Number.parseInt(bracket[3], 10);
    if (!(nbits >= 2 && nbits <= 32)) nbits = 32;
    if (!Number.isFinite(xmin) || !Number.isFinite(xmax)) xmin = xmax = 0;
  }
  if (xmin < xmax)
    return { mode: 'factor', xmin, factor: (nbits < 32 ? 2 ** nbits : 0xffffffff) / (xmax - xmin) };
  if (bracket && nbits < 15) return { mode: 'truncated', nbits };
  const n = Math.trunc(xmin);
  if (n > 0) return { mode: 'truncated', nbits: n };
  return isFloat16 ? { mode: 'truncated', nbits: 12 } : { mode: 'float' };
}

/** Numbers in range titles may be written with `pi`, e.g. `[-pi, pi, 16]` or `[0, 2*pi]`. */
function evalRangeNumber(s: string): number {
  const t = s
    .trim()
    .toLowerCase()
    .replace(/tmath::pi\(\)/g, 'pi');
  const m = /^([+-]?)(?:([\d.eE+-]+)\s*\*\s*)?pi(?:\s*\/\s*([\d.eE+-]+))?$/.exec(t);
  if (m) {
    const sign = m[1] === '-' ? -1 : 1;
    return (sign * (m[2] ? Number(m[2]) : 1) * Math.PI) / (m[3] ? Number(m[3]) : 1);
  }
  return Number(t);
}

/** A C++ type name with `std::` and spaces inside template brackets removed: `vector<vector<int>>`. */
export function normaliseTypeName(name: string): string {
  return name
    .replace(/std::/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([<>,*])\s*/g, '$1')
    .trim();
}

/**
 * The streamer infos of a file, by class name and version; `fallback` answers for a class the file has no
 * streamer for (hepq's built-in ones, `builtin.ts`). `has` and `names` are the file's own.
 */
export class StreamerRegistry {
  private readonly byName = new Map<string, StreamerInfo[]>();
  constructor(private readonly fallback?: StreamerRegistry) {}

  /** The same lists by normalised name: ROOT spells `ElementLink<DataVector<X> >`, a branch's type may not. */
  private readonly byNormal = new Map<string, StreamerInfo[]>();

  add(info: StreamerInfo): void {
    const list = this.byName.get(info.name) ?? [];
    if (!list.some((i) => i.classVersion === info.classVersion)) list.push(info);
    this.byName.set(info.name, list);
    const normal = normaliseTypeName(info.name);
    if (!this.byNormal.has(normal)) this.byNormal.set(normal, list);
  }

  /** The streamer of `name` for `version` (or the latest when that version is not stored). */
  get(name: string, version?: number): StreamerInfo | undefined {
    const list = this.byName.get(name) ?? this.byNormal.get(normaliseTypeName(name));
    if (!list?.length) return this.fallback?.get(name, version);
    if (version !== undefined) {
      const exact = list.find((i) => i.classVersion === version);
      if (exact) return exact;
    }
    return list.reduce((a, b) => (b.classVersion > a.classVersion ? b : a));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}
