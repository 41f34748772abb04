/** The structural fields of the original ROOT and Parquet files (headers, keys, baskets, anchors, footers) that length edits aim at. */
import { RootFile } from '../../connectors/root/index.js';
import { MemorySource } from '../../connectors/root/io/index.js';
import { readAnchor } from '../../connectors/root/rntuple/index.js';
import type { Field, MutationPlan } from './byte-mutations.js';

/** TKey header fields at `seek` (small-file form; the 64-bit form only moves SeekKey/SeekPdir's width). */
function keyFields(seek: number, keylen: number, what: string, basket: boolean): Field[] {
  const out: Field[] = [
    { at: seek, width: 4, what: `${what} fNbytes` },
    { at: seek + 4, width: 2, what: `${what} fVersion` },
    { at: seek + 6, width: 4, what: `${what} fObjlen` },
    { at: seek + 14, width: 2, what: `${what} fKeylen` },
    { at: seek + 16, width: 2, what: `${what} fCycle` },
    { at: seek + 18, width: 4, what: `${what} fSeekKey` },
    { at: seek + 22, width: 4, what: `${what} fSeekPdir` },
    // the compression block header right after the key: 3-byte compressed and uncompressed sizes
    { at: seek + keylen + 3, width: 3, le: true, what: `${what} block c-size` },
    { at: seek + keylen + 6, width: 3, le: true, what: `${what} block u-size` },
  ];
  if (basket) {
    // TBasket's own header closes the key: fVersion, fBufferSize, fNevBufSize, fNevBuf, fLast, flag
    out.push(
      { at: seek + keylen - 17, width: 4, what: `${what} fBufferSize` },
      { at: seek + keylen - 13, width: 4, what: `${what} fNevBufSize` },
      { at: seek + keylen - 9, width: 4, what: `${what} fNevBuf` },
      { at: seek + keylen - 5, width: 4, what: `${what} fLast` },
    );
  }
  return out;
}

/** Header, directory keys, tree baskets and RNTuple anchors of a ROOT file. */
export async function rootPlan(name: string, bytes: Uint8Array): Promise<MutationPlan> {
  const fields: Field[] = [];
  const big = new DataView(bytes.buffer, bytes.byteOffset).getInt32(4) >= 1000000;
  const w = big ? 8 : 4;
  // fVersion, fBEGIN, fEND, fSeekFree, fNbytesFree, nfree, fNbytesName, fUnits, fCompress, fSeekInfo, fNbytesInfo
  let at = 4;
  for (const [what, width] of [
    ['fVersion', 4],
    ['fBEGIN', 4],
    ['fEND', w],
    ['fSeekFree', w],
    ['fNbytesFree', 4],
    ['nfree', 4],
    ['fNbytesName', 4],
    ['fUnits', 1],
    ['fCompress', 4],
    ['fSeekInfo', w],
    ['fNbytesInfo', 4],
  ] as const) {
    fields.push({ at, width: width as Field['width'], what: `header ${what}` });
    at += width;
  }
  const file = await RootFile.open(new MemorySource(bytes, name));
  for (const { path, key } of await file.walk()) {
    fields.push(...keyFields(key.seekKey, key.keylen, path, false));
    if (key.className === 'TTree') {
      const tree = await file.tree(path);
      for (const b of tree.branches) {
        const seeks = b.branch.basketSeek;
        for (let i = 0; i < b.branch.writeBasket && i < seeks.length; i++) {
          const seek = seeks[i]!;
          if (seek <= 0 || seek + 26 > bytes.length) continue;
          const keylen = new DataView(bytes.buffer, bytes.byteOffset).getInt16(seek + 14);
          fields.push(...keyFields(seek, keylen, `${b.name} basket ${i}`, true));
        }
      }
    } else if (key.className === 'ROOT::RNTuple') {
      const anchor = await readAnchor(file, path);
      const base = key.seekKey + key.keylen + 6 + 8; // byte count + version, then the 4 version u16s
      for (let i = 0; i < 7; i++)
        fields.push({ at: base + 8 * i, width: 8, what: `${path} anchor field ${i}` });
      // the envelopes are little-endian: their leading type/length word and the first frames
      for (const env of [anchor.header, anchor.footer]) {
        for (let k = 0; k < 64; k += 4)
          fields.push({ at: env.offset + k, width: 4, le: true, what: `${path} envelope +${k}` });
      }
    }
  }
  await file.close();
  return { fields: fields.filter((f) => f.at >= 0 && f.at + f.width <= bytes.length) };
}

/** A Parquet file's footer: its length word and the Thrift metadata it frames (where every offset lives). */
export function parquetPlan(bytes: Uint8Array): MutationPlan {
  const n = bytes.length;
  const len = new DataView(bytes.buffer, bytes.byteOffset).getUint32(n - 8, true);
  const start = Math.max(4, n - 8 - len);
  const fields: Field[] = [{ at: n - 8, width: 4, le: true, what: 'footer length' }];
  // Thrift compact integers are varints: edit single bytes and little-endian words across the footer.
  for (let at = start; at < n - 8; at += 7) fields.push({ at, width: 1, what: `footer byte ${at}` });
  return { fields, hot: [[start, n - 8]] };
}
