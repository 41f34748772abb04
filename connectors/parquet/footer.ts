/**
 * Parquet's footer (FileMetaData, Thrift compact) as a small model: the schema tree with each leaf's
 * definition/repetition levels, and per row group the column chunks (codec, encodings, byte range, statistics).
 */
import { type FileHandle, open as openFile } from 'node:fs/promises';
import { CompactReader, get, type TStruct, type TValue } from './thrift.js';

/** Parquet physical types. */
export const Physical = {
  BOOLEAN: 0,
  INT32: 1,
  INT64: 2,
  INT96: 3,
  FLOAT: 4,
  DOUBLE: 5,
  BYTE_ARRAY: 6,
  FIXED: 7,
};
/** Compression codecs. */
export const Codec = { UNCOMPRESSED: 0, SNAPPY: 1, GZIP: 2, LZO: 3, BROTLI: 4, LZ4: 5, ZSTD: 6, LZ4_RAW: 7 };
/** Value and level encodings. */
export const Encoding = { PLAIN: 0, PLAIN_DICTIONARY: 2, RLE: 3, BIT_PACKED: 4, RLE_DICTIONARY: 8 };

export interface Leaf {
  /** `Muon.list.item.pt` */
  readonly path: readonly string[];
  readonly physical: number;
  readonly maxDef: number;
  readonly maxRep: number;
  /** Definition level at which the innermost repeated ancestor has an element (0 when not repeated). */
  readonly elementDef: number;
}

export interface ChunkMeta {
  readonly path: string;
  readonly codec: number;
  readonly encodings: readonly number[];
  readonly numValues: number;
  /** Byte range of the chunk's pages (dictionary page first when there is one). */
  readonly start: number;
  readonly length: number;
  readonly uncompressed: number;
  readonly stats?: { readonly min?: Uint8Array; readonly max?: Uint8Array; readonly nullCount?: number };
}

export interface RowGroupMeta {
  readonly numRows: number;
  readonly chunks: ReadonlyMap<string, ChunkMeta>;
}

export interface Footer {
  readonly numRows: number;
  readonly leaves: ReadonlyMap<string, Leaf>;
  readonly rowGroups: readonly RowGroupMeta[];
  /** The raw tree, for the writer that joins files. */
  readonly raw: TStruct;
}

export class FooterError extends Error {}

/** The footer's bytes of a whole file's tail: `tail` ends with `<len:u32> PAR1`. */
export function footerLength(tail: Uint8Array): number {
  const n = tail.length;
  if (n < 8 || String.fromCharCode(...tail.subarray(n - 4)) !== 'PAR1')
    throw new FooterError('the file does not end with the Parquet magic PAR1');
  return new DataView(tail.buffer, tail.byteOffset + n - 8, 4).getUint32(0, true);
}

export function parseFooter(bytes: Uint8Array, fileSize: number): Footer {
  const raw = new CompactReader(bytes).struct();
  const schema = get.list(raw, 2) as TStruct[];
  const leaves = new Map<string, Leaf>();
  let i = 0;
  const walk = (path: string[], def: number, rep: number, elementDef: number): void => {
    const el = schema[i++];
    if (!el) throw new FooterError('the schema ends early');
    const repetition = get.int(el, 3) ?? 0;
    const name = get.str(el, 4) ?? '';
    const d = def + (repetition === 0 ? 0 : 1);
    const r = rep + (repetition === 2 ? 1 : 0);
    const e = repetition === 2 ? d : elementDef;
    const here = [...path, name];
    const children = get.int(el, 5) ?? 0;
    if (children > 0) for (let c = 0; c < children; c++) walk(here, d, r, e);
    else {
      const physical = get.int(el, 1);
      if (physical === undefined) throw new FooterError(`schema leaf ${here.join('.')} has no type`);
      leaves.set(here.slice(1).join('.'), {
        path: here.slice(1),
        physical,
        maxDef: d,
        maxRep: r,
        elementDef: e,
      });
    }
  };
  const root = schema[0];
  if (!root) throw new FooterError('the schema is empty');
  i = 1;
  for (let c = 0; c < (get.int(root, 5) ?? 0); c++) walk([''], 0, 0, 0);

  const rowGroups: RowGroupMeta[] = [];
  for (const g of get.list(raw, 4) as TStruct[]) {
    const chunks = new Map<string, ChunkMeta>();
    for (const cc of get.list(g, 1) as TStruct[]) {
      if (get.str(cc, 1)) throw new FooterError('column chunks in other files are not supported');
      const m = get.struct(cc, 3);
      if (!m) throw new FooterError('a column chunk has no metadata');
      const path = (get.list(m, 3) as TValue[])
        .map((p) => new TextDecoder().decode(p as Uint8Array))
        .join('.');
      const data = get.int(m, 9) ?? 0;
      const dict = get.int(m, 11);
      const start = dict !== undefined && dict > 0 && dict < data ? dict : data;
      const length = get.int(m, 7) ?? 0;
      if (start < 4 || length < 0 || start + length > fileSize)
        throw new FooterError(
          `column chunk ${path} lies outside the file (${start}+${length} of ${fileSize} bytes)`,
        );
      const s = get.struct(m, 12);
      const min = s && (get.bin(s, 6) ?? get.bin(s, 2));
      const max = s && (get.bin(s, 5) ?? get.bin(s, 1));
      const nullCount = s && get.int(s, 3);
      chunks.set(path, {
        path,
        codec: get.int(m, 4) ?? 0,
        encodings: (get.list(m, 2) as number[]).slice(),
        numValues: get.int(m, 5) ?? 0,
        start,
        length,
        uncompressed: get.int(m, 6) ?? 0,
        ...(s
          ? {
              stats: {
                ...(min ? { min } : {}),
                ...(max ? { max } : {}),
                ...(nullCount !== undefined ? { nullCount } : {}),
              },
            }
          : {}),
      });
    }
    rowGroups.push({ numRows: get.int(g, 3) ?? 0, chunks });
  }
  return { numRows: get.int(raw, 3) ?? 0, leaves, rowGroups, raw };
}

/** The file handle and parsed footer for the direct read, or undefined when the footer is not ours to read. */
export async function openDirect(path: string): Promise<{ handle: FileHandle; footer: Footer } | undefined> {
  const handle = await openFile(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const tail = new Uint8Array(8);
    await handle.read(tail, 0, 8, size - 8);
    const n = footerLength(tail);
    if (n + 12 > size) return undefined;
    const bytes = new Uint8Array(n);
    await handle.read(bytes, 0, n, size - 8 - n);
    return { handle, footer: parseFooter(bytes, size) }; // the handle is the table's until close
  } catch {
    // parquet-wasm opened this file: whatever we cannot parse it reads (or reports) itself.
    await handle.close();
    return undefined;
  }
}
