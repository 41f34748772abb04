/**
 * Damaged RNTuple files: a flipped byte in a copy (in a temp dir) must give a located HepqError naming the
 * file, the field and the byte offset — never a crash, a hang or silently wrong offsets.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRoot } from '../../../../connectors/root/index.js';
import { RNTuple, readAnchor } from '../../../../connectors/root/rntuple/index.js';
import { xxh3 } from '../../../../connectors/root/rntuple/xxh3.js';
import { HepqError } from '../../../../exec/batch/index.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../../helpers/shared-data.js';

const dir = HAVE_ROOT_DATA ? mkdtempSync(join(tmpdir(), 'hepq-rntuple-')) : '';

/** A copy of `file` with `mutate` applied to its bytes. */
function damaged(file: string, name: string, mutate: (b: Uint8Array) => void): string {
  const out = join(dir, name);
  copyFileSync(`${ROOT_DATA}${file}`, out);
  const bytes = new Uint8Array(readFileSync(out));
  mutate(bytes);
  writeFileSync(out, bytes);
  return out;
}

/** Where the first page of `field`'s first column lies (from the intact file). */
async function firstPage(file: string, ntuple: string, field: string): Promise<number> {
  const h = await openRoot(`${ROOT_DATA}${file}`);
  try {
    const nt = await RNTuple.open(h.file, ntuple);
    const f = nt.schema.fields.find((x) => x.name === field && x.parentId === x.id)!;
    const col = nt.schema.fieldColumns[f.id]![0]!;
    return nt.clusters[0]!.columns[col]!.pages[0]!.locator.offset;
  } finally {
    await h.close();
  }
}

async function readError(path: string, ntuple: string, field: string): Promise<unknown> {
  const h = await openRoot(path);
  try {
    const nt = await RNTuple.open(h.file, ntuple);
    await nt.read([field]);
    return undefined;
  } catch (e) {
    return e;
  } finally {
    await h.close();
  }
}

describe.skipIf(!HAVE_ROOT_DATA)('damaged RNTuple pages', () => {
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a broken compression block header of a ZSTD page: located error with file, field and offset', async () => {
    const file = 'Run2012BC_DoubleMuParked_Muons_1000evts_rntuple_v1-0-0-0.root';
    const at = await firstPage(file, 'Events', 'nMuon');
    const path = damaged(file, 'tag.root', (b) => {
      b[at] = b[at]! ^ 0xff; // the first byte of the block's algorithm tag ("ZS")
    });
    const err = await readError(path, 'Events', 'nMuon');
    expect(err).toBeInstanceOf(HepqError);
    const e = err as HepqError;
    expect(e.location?.file).toBe(path);
    expect(e.location?.object).toMatch(/^Events\/nMuon /);
    expect(e.location?.offset).toBe(at);
    expect(e.render()).toContain(`byte offset ${at}`);
  });

  it('one flipped byte inside a compressed page: the page checksum catches it, located', async () => {
    const file = 'Run2012BC_DoubleMuParked_Muons_1000evts_rntuple_v1-0-0-0.root';
    const h = await openRoot(`${ROOT_DATA}${file}`);
    const nt = await RNTuple.open(h.file, 'Events');
    // The first page of the Muon_pt values (the column under _collection0 the projected Muon_pt reads).
    const f = nt.schema.fields.find(
      (x) => x.name === 'Muon_pt' && x.parentId !== x.id && x.typeName === 'float',
    )!;
    const page = nt.clusters[0]!.columns[nt.schema.fieldColumns[f.id]![0]!]!.pages[0]!;
    await h.close();
    const at = page.locator.offset + Math.floor(page.locator.size / 2);
    const path = damaged(file, 'middle.root', (b) => {
      b[at] = b[at]! ^ 0x01;
    });
    const err = await readError(path, 'Events', 'Muon_pt');
    expect(err).toBeInstanceOf(HepqError);
    const e = err as HepqError;
    expect(e.code).toBe('rntuple/checksum-mismatch');
    expect(e.message).toMatch(/in field (Muon_pt|_collection0\.Muon_pt)$/);
    expect(e.location?.file).toBe(path);
    expect(e.location?.offset).toBe(page.locator.offset);
  });

  it('a flipped byte in the header envelope is refused when the RNTuple is opened', async () => {
    const file = 'test_int_vfloat_tlv_vtlv_rntuple_v1-0-0-0.root';
    const h = await openRoot(`${ROOT_DATA}${file}`);
    const anchor = await readAnchor(h.file, 'ntuple');
    await h.close();
    const at = anchor.header.offset + Math.floor(anchor.header.size / 2);
    const path = damaged(file, 'header.root', (b) => {
      b[at] = b[at]! ^ 0x10;
    });
    const h2 = await openRoot(path);
    try {
      const err = await RNTuple.open(h2.file, 'ntuple').catch((x: unknown) => x);
      expect(err).toBeInstanceOf(HepqError);
      expect((err as HepqError).location?.file).toBe(path);
      expect((err as HepqError).location?.offset).toBe(anchor.header.offset);
      expect((err as HepqError).location?.object).toMatch(/header envelope/);
    } finally {
      await h2.close();
    }
  });

  it('an uncompressed collection index with an impossible offset (checksum made to match) is refused', async () => {
    const file = 'rntviewer-testfile-uncomp-single-rntuple-v1-0-0-0.root';
    const at = await firstPage(file, 'Contributors', 'firstName');
    const h = await openRoot(`${ROOT_DATA}${file}`);
    const nt = await RNTuple.open(h.file, 'Contributors');
    const size = nt.clusters[0]!.columns[0]!.pages[0]!.locator.size;
    await h.close();
    // The most significant byte of the first 64-bit index element: the offset becomes ~2^62. The page's
    // checksum is rewritten so that the damage reaches the offset checks (as a buggy writer's would).
    const path = damaged(file, 'index.root', (b) => {
      b[at + 7] = 0x40;
      new DataView(b.buffer, b.byteOffset).setBigUint64(at + size, xxh3(b.subarray(at, at + size)), true);
    });
    const err = await readError(path, 'Contributors', 'firstName');
    expect(err).toBeInstanceOf(HepqError);
    const e = err as HepqError;
    expect(e.code).toBe('rntuple/corrupt-page');
    expect(e.message).toMatch(/not a valid offset in field firstName$/);
    expect(e.location?.file).toBe(path);
    expect(e.location?.offset).toBe(at);
  });

  it('a page list pointing past the end of a truncated file is refused, located', async () => {
    const file = 'ntpl001_staff_rntuple_v1-0-0-0.root';
    const at = await firstPage(file, 'Staff', 'Category');
    const path = join(dir, 'short.root');
    const bytes = readFileSync(`${ROOT_DATA}${file}`);
    writeFileSync(path, bytes.subarray(0, at + 4));
    const h = await openRoot(path).catch((e: unknown) => e);
    // The TFile header already says the file is truncated; either way the error names the file.
    if (h instanceof HepqError) {
      expect(h.location?.file).toBe(path);
      return;
    }
    throw new Error('a truncated file opened without complaint');
  });
});
