/** The `ROOT::RNTuple` anchor: a TKey'd object (big-endian) pointing at the header and footer envelopes. */
import { HepqError } from '../../../exec/batch/index.js';
import { decompressRoot } from '../compression/index.js';
import type { RootFile } from '../root-file.js';
import type { Locator } from './le-reader.js';

export interface Anchor {
  readonly version: readonly [number, number, number, number];
  readonly header: Locator & { readonly length: number };
  readonly footer: Locator & { readonly length: number };
  readonly maxKeySize: number;
}

/** Read the anchor of the RNTuple at `path` (e.g. `Events` or `dir/ntuple;1`). */
export async function readAnchor(file: RootFile, path: string): Promise<Anchor> {
  const { key } = await file.key(path);
  const clean = path.replace(/;\d+$/, '');
  const location = { file: file.name, object: clean, offset: key.seekKey };
  if (key.className !== 'ROOT::RNTuple')
    throw new HepqError(
      'rntuple/not-an-rntuple',
      `'${clean}' in ${file.name} is a ${key.className}, not an RNTuple`,
      {
        location,
      },
    );
  const size = await file.source.size();
  if (key.seekKey + key.nbytes > size)
    throw new HepqError('rntuple/corrupt-anchor', `the anchor of ${clean} lies past the end of the file`, {
      location,
    });
  const raw = await file.source.read(key.seekKey + key.keylen, key.nbytes - key.keylen);
  const payload = decompressRoot(raw, key.objlen, { ...location, offset: key.seekKey + key.keylen });
  const v = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  // A streamed object: byte count (flagged 0x40000000) and class version, then the anchor's big-endian fields.
  if (payload.length < 6 + 8 + 7 * 8 || !(v.getUint32(0) & 0x40000000))
    throw new HepqError(
      'rntuple/corrupt-anchor',
      `the anchor of ${clean} is ${payload.length} bytes, too short`,
      {
        location,
      },
    );
  let pos = 6;
  const u16 = () => {
    pos += 2;
    return v.getUint16(pos - 2);
  };
  const u64 = () => {
    pos += 8;
    const x = v.getBigUint64(pos - 8);
    if (x > BigInt(Number.MAX_SAFE_INTEGER))
      throw new HepqError(
        'rntuple/corrupt-anchor',
        `the anchor of ${clean} holds an out-of-range value ${x}`,
        {
          location,
        },
      );
    return Number(x);
  };
  const version = [u16(), u16(), u16(), u16()] as const;
  if (version[0] !== 1)
    throw new HepqError(
      'rntuple/unsupported-version',
      `not supported yet: RNTuple format epoch ${version.join('.')} in ${clean}`,
      { location, hint: 'hepq reads RNTuple format 1.x (ROOT 6.34 and later)' },
    );
  const header = { offset: u64(), size: u64(), length: u64() };
  const footer = { offset: u64(), size: u64(), length: u64() };
  return { version, header, footer, maxKeySize: u64() };
}
