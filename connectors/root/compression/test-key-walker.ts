/** Test-only linear walker over a ROOT file's TKey records, so compression can be tested without the full reader. */

/** One TKey record found by walking the file from fBEGIN to fEND. */
export interface WalkedKey {
  /** File offset of the key header. */
  readonly start: number;
  /** Total bytes of the record (header + payload). */
  readonly nbytes: number;
  readonly version: number;
  /** Uncompressed size of the payload. */
  readonly objLen: number;
  readonly keyLen: number;
  readonly cycle: number;
  readonly className: string;
  readonly name: string;
  readonly title: string;
  /** File offset of the (possibly compressed) payload. */
  readonly payloadOffset: number;
  /** The payload bytes, a view into the file buffer. */
  readonly payload: Uint8Array;
}

const latin1 = new TextDecoder('latin1');

/** The fields of the TFile header needed to walk the keys. */
export interface FileHeader {
  readonly version: number;
  readonly begin: number;
  readonly end: number;
}

/** Reads the TFile header: magic, fVersion, fBEGIN, fEND (32- or 64-bit layout). */
export function readFileHeader(file: Uint8Array): FileHeader {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const magic = String.fromCharCode(file[0]!, file[1]!, file[2]!, file[3]!);
  if (magic !== 'root') throw new Error(`not a ROOT file (magic ${JSON.stringify(magic)})`);
  const version = view.getInt32(4);
  const begin = view.getInt32(8);
  const end = version > 1_000_000 ? Number(view.getBigInt64(12)) : view.getInt32(12);
  return { version, begin, end };
}

/** The keys found, and where the walk stopped early if a record did not look like a key. */
export interface KeyWalk {
  readonly keys: WalkedKey[];
  /** Offset of the first implausible record (e.g. a reused gap holding basket data), if the walk stopped early. */
  readonly stoppedAt?: number;
}

/** Walks TKey records from fBEGIN to fEND, skipping free gaps (negative Nbytes); stops at an implausible record. */
export function walkKeys(file: Uint8Array): KeyWalk {
  const { begin, end } = readFileHeader(file);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const keys: WalkedKey[] = [];
  let pos = begin;
  const stop = Math.min(end, file.length);
  while (pos + 4 <= stop) {
    const nbytes = view.getInt32(pos);
    if (nbytes < 0) {
      pos += -nbytes;
      continue;
    }
    if (nbytes < 26 || pos + nbytes > stop) return { keys, stoppedAt: pos };
    let p = pos + 4;
    const version = view.getInt16(p);
    p += 2;
    const objLen = view.getInt32(p);
    p += 4 + 4; // ObjLen, Datime
    const keyLen = view.getInt16(p);
    if (keyLen < 26 || keyLen > nbytes || objLen < 0 || version % 1000 > 10) return { keys, stoppedAt: pos };
    p += 2;
    const cycle = view.getInt16(p);
    p += 2;
    p += version > 1000 ? 16 : 8; // SeekKey, SeekPdir
    const strings: string[] = [];
    for (let i = 0; i < 3; i++) {
      let len = file[p]!;
      p += 1;
      if (len === 255) {
        len = view.getInt32(p);
        p += 4;
      }
      strings.push(latin1.decode(file.subarray(p, p + len)));
      p += len;
    }
    const payloadOffset = pos + keyLen;
    keys.push({
      start: pos,
      nbytes,
      version,
      objLen,
      keyLen,
      cycle,
      className: strings[0]!,
      name: strings[1]!,
      title: strings[2]!,
      payloadOffset,
      payload: file.subarray(payloadOffset, pos + nbytes),
    });
    pos += nbytes;
  }
  return { keys };
}
