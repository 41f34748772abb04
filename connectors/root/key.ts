/** TKey: the record in front of every object stored in a ROOT file, and reading its (decompressed) payload. */
import { decompressRoot } from './compression/index.js';
import { Cursor } from './cursor.js';
import type { ByteSource } from './io/index.js';

export interface TKey {
  readonly nbytes: number;
  readonly version: number;
  readonly objlen: number;
  readonly datime: number;
  readonly keylen: number;
  readonly cycle: number;
  readonly seekKey: number;
  readonly seekPdir: number;
  readonly className: string;
  readonly name: string;
  readonly title: string;
}

/** Parse a key header at the cursor. */
export function readKey(c: Cursor, strict = true): TKey {
  const start = c.pos;
  const nbytes = c.i32();
  const version = c.i16();
  const objlen = c.i32();
  const datime = c.u32();
  const keylen = c.i16();
  const cycle = c.i16();
  const big = version > 1000;
  const seekKey = big ? c.i64() : c.i32();
  const seekPdir = big ? c.i64() : c.i32();
  const className = c.string();
  const name = c.string();
  const title = c.string();
  if (strict && (keylen < 0 || nbytes < keylen || objlen < 0)) {
    throw c.error(
      'root/bad-key',
      `key '${name}' has inconsistent sizes (Nbytes=${nbytes}, KeyLen=${keylen}, ObjLen=${objlen})`,
      start,
    );
  }
  return { nbytes, version, objlen, datime, keylen, cycle, seekKey, seekPdir, className, name, title };
}

/** The largest size of a key header (64-bit seeks and three 255-byte strings). */
export const MAX_KEY_HEADER = 4 + 2 + 4 + 4 + 2 + 2 + 8 + 8 + 3 * 260;

/** Read and decompress the object a key points to. */
export async function readKeyPayload(source: ByteSource, key: TKey, objectPath: string): Promise<Uint8Array> {
  const size = await source.size();
  if (key.seekKey < 0 || key.seekKey + key.nbytes > size) {
    throw new Cursor(new Uint8Array(0), { file: source.name, object: objectPath, base: key.seekKey }).error(
      'root/key-past-end',
      `key '${key.name}' points to bytes [${key.seekKey}, ${key.seekKey + key.nbytes}) but the file has ${size} bytes`,
      0,
      'the file is truncated or the key is corrupt',
    );
  }
  const raw = await source.read(key.seekKey + key.keylen, key.nbytes - key.keylen);
  return decompressRoot(raw, key.objlen, {
    file: source.name,
    object: objectPath,
    offset: key.seekKey + key.keylen,
  });
}
