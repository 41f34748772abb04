/** Bad input to the ROOT reader: truncation, corrupted baskets, wrong checksums, keys past the end, random byte flips. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RootFile } from '../../../connectors/root/index.js';
import { MemorySource } from '../../../connectors/root/io/index.js';
import { HepqError } from '../../../exec/batch/index.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../helpers/shared-data.js';

/** Open and read every readable branch of every tree; the bytes are a mutated copy of a real file. */
async function readAll(name: string, bytes: Uint8Array): Promise<void> {
  const file = await RootFile.open(new MemorySource(bytes, name));
  for (const { path, key } of await file.walk()) {
    if (key.className !== 'TTree') continue;
    const tree = await file.tree(path);
    for (const b of tree.readable()) await tree.readBranch(b.name);
  }
}

/** Either the read succeeds (a flip inside raw float data is undetectable) or it fails with a located HepqError. */
async function expectCleanOutcome(name: string, bytes: Uint8Array): Promise<'ok' | HepqError> {
  try {
    await readAll(name, bytes);
    return 'ok';
  } catch (e) {
    if (!(e instanceof HepqError)) throw new Error(`${name}: not a HepqError: ${(e as Error).stack}`);
    expect(e.location?.file).toBe(name);
    return e;
  }
}

/** A small deterministic generator so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe.skipIf(!HAVE_ROOT_DATA)('corrupt ROOT files give located errors, never crashes or hangs', () => {
  const original = (name: string) => new Uint8Array(readFileSync(ROOT_DATA + name));

  it('a truncated file names the file and where it was cut', async () => {
    const bytes = original('uproot-HZZ-zlib.root');
    const e = await expectCleanOutcome('cut.root', bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(e).toBeInstanceOf(HepqError);
    expect((e as HepqError).code).toBe('root/truncated-file');
  });

  it('a file that is not ROOT says so', async () => {
    const e = await expectCleanOutcome(
      'text.root',
      new TextEncoder().encode('PAR1 this is not a ROOT file at all'),
    );
    expect((e as HepqError).code).toBe('root/not-root');
  });

  it('a corrupted compressed basket names the branch, basket and byte offset', async () => {
    const bytes = original('uproot-HZZ-zlib.root').slice();
    const file = await RootFile.open(new MemorySource(bytes, 'hzz.root'));
    const tree = await file.tree('events');
    const b = tree.info('Jet_Px').branch;
    const seek = b.basketSeek[0]!;
    // Overwrite the middle of the first basket's deflate stream.
    for (let i = 0; i < 16; i++) bytes[seek + 120 + i] = 0xff;
    const e = (await expectCleanOutcome('hzz.root', bytes)) as HepqError;
    expect(e).toBeInstanceOf(HepqError);
    expect(e.location?.object).toMatch(/^events\/Jet_Px \(basket 0\)$/);
    expect(e.location?.offset).toBeGreaterThanOrEqual(seek);
  });

  it('a wrong LZ4 checksum is detected', async () => {
    const bytes = original('uproot-HZZ-lz4.root').slice();
    const file = await RootFile.open(new MemorySource(bytes, 'lz4.root'));
    const b = (await file.tree('events')).info('Jet_Px').branch;
    const seek = b.basketSeek[0]!;
    const keylen = new DataView(bytes.buffer).getInt16(seek + 14);
    bytes[seek + keylen + 9] ^= 0x01; // first byte of the 8-byte checksum after the 9-byte block header
    const e = (await expectCleanOutcome('lz4.root', bytes)) as HepqError;
    expect(e.code).toMatch(/checksum/);
    expect(e.location?.object).toContain('Jet_Px');
  });

  it('a key pointing past the end of the file is refused with its offset', async () => {
    const bytes = original('uproot-HZZ-zlib.root').slice();
    const file = await RootFile.open(new MemorySource(bytes, 'hzz.root'));
    const b = (await file.tree('events')).info('MET_px').branch;
    // Basket seeks live in the TTree metadata; point the basket record past the end by corrupting the basket's own key.
    new DataView(bytes.buffer).setInt32(b.basketSeek[0]!, bytes.length * 2);
    const e = (await expectCleanOutcome('hzz.root', bytes)) as HepqError;
    expect(e).toBeInstanceOf(HepqError);
    expect(e.location?.object).toContain('MET_px');
  });

  it('a header whose fNbytesName is 0xFFFFFFFE (a negative seek) is a located header error', async () => {
    const bytes = original('uproot-HZZ.root').slice();
    const v = new DataView(bytes.buffer);
    expect(v.getInt32(4)).toBeLessThan(1000000); // the small header: fNbytesName sits at byte 28
    v.setUint32(28, 0xfffffffe);
    const e = (await expectCleanOutcome('neg.root', bytes)) as HepqError;
    expect(e).toBeInstanceOf(HepqError);
    expect(e.code).toBe('root/bad-header');
    expect(e.message).toMatch(/fNbytesName \(-2\)/);
    expect(e.location?.offset).toBe(28);
  });

  it('every 2-byte change inside the first basket of an LZ4 string branch ends in a result or a located error', async () => {
    // Baskets this small are stored uncompressed, entry offsets included: a changed offset pointed the string
    // decoder outside the basket ("offset is out of bounds", 180 of these mutants before the fix).
    const bytes = original('uproot-sample-6.20.04-lz4.root');
    const file = await RootFile.open(new MemorySource(bytes, 'lz4.root'));
    const b = (await file.tree('sample')).info('str').branch;
    const seek = b.basketSeek[0]!;
    let errors = 0;
    for (let at = seek; at < seek + b.basketBytes[0]!; at++) {
      for (const v of [0xffff, 0x7fff]) {
        const copy = bytes.slice();
        copy[at] = v >> 8;
        copy[at + 1] = v & 0xff;
        if ((await expectCleanOutcome('lz4.root', copy)) !== 'ok') errors++;
      }
    }
    expect(errors).toBeGreaterThan(0);
  });

  for (const name of [
    'uproot-HZZ-zlib.root',
    'uproot-sample-6.20.04-lz4.root',
    'uproot-small-evnt-tree-fullsplit.root',
    'uproot-stl_containers.root',
  ]) {
    it(`random byte flips in ${name} never crash`, async () => {
      const rand = lcg(name.length * 7919);
      const bytes = original(name);
      let errors = 0;
      for (let trial = 0; trial < 60; trial++) {
        const copy = bytes.slice();
        const at = Math.floor(rand() * copy.length);
        copy[at] ^= 1 + Math.floor(rand() * 255);
        if ((await expectCleanOutcome(name, copy)) !== 'ok') errors++;
      }
      // Most flips land in compressed data or metadata and must be caught; some land in padding.
      expect(errors).toBeGreaterThan(0);
    });
  }
});
