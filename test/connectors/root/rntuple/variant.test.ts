/**
 * RNTuple std::variant fields (a Switch column choosing one alternative subfield per entry) read as records
 * `{index, _0, _1, …}`: the active alternative's index (-1 for none) and one list of zero or one values per
 * alternative. Expected values: uproot's tests/test_0662_rntuple_stl_containers.py on the same file, and the
 * Switch page decoded by hand below; rntuple-files.test.ts compares every entry with jsroot 7.11's reader.
 * Damaged copies (a Switch tag or index changed, the page recompressed to its size and its checksum renewed)
 * give located errors.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decompressRoot } from '../../../../connectors/root/compression/index.js';
import { openRoot } from '../../../../connectors/root/index.js';
import { RNTuple } from '../../../../connectors/root/rntuple/index.js';
import { xxh3 } from '../../../../connectors/root/rntuple/xxh3.js';
import { compressRoot } from '../../../../connectors/root/writer/compress.js';
import { HepqError } from '../../../../exec/batch/index.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../../helpers/shared-data.js';
import { rows } from './reference.js';

const FILE = 'test_stl_containers_rntuple_v1-0-0-0.root';
const dir = HAVE_ROOT_DATA ? mkdtempSync(join(tmpdir(), 'hepq-variant-')) : '';

async function read(path: string, fields: string[]) {
  const h = await openRoot(path);
  try {
    const nt = await RNTuple.open(h.file, 'ntuple');
    const batch = await nt.read(fields);
    return { nt, values: batch.columns.map((c) => rows(c, batch.length)) };
  } finally {
    await h.close();
  }
}

/** The Switch page of `variant_int32_string` (cluster 0, its only page). */
async function switchPage() {
  const h = await openRoot(ROOT_DATA + FILE);
  try {
    const nt = await RNTuple.open(h.file, 'ntuple');
    const f = nt.schema.fields.find((x) => x.name === 'variant_int32_string')!;
    return nt.clusters[0]!.columns[nt.schema.fieldColumns[f.id]![0]!]!.pages[0]!;
  } finally {
    await h.close();
  }
}

/**
 * A copy whose Switch page has byte `at` (of the 60 uncompressed bytes) set to `value`, recompressed with ZSTD at
 * `level` (chosen so the page keeps its 40 bytes and the page list stays valid) and its XXH3 renewed.
 */
async function damagedSwitch(name: string, at: number, value: number, level: number) {
  const page = await switchPage();
  const bytes = new Uint8Array(readFileSync(ROOT_DATA + FILE));
  const { offset, size } = page.locator;
  const raw = decompressRoot(bytes.subarray(offset, offset + size), 60, {
    file: FILE,
    object: 'switch',
    offset,
  });
  const changed = raw.slice();
  changed[at] = value;
  const packed = compressRoot(changed, { algorithm: 'zstd', level });
  expect(packed.length).toBe(size);
  bytes.set(packed, offset);
  new DataView(bytes.buffer).setBigUint64(offset + size, xxh3(bytes.subarray(offset, offset + size)), true);
  const out = join(dir, name);
  copyFileSync(ROOT_DATA + FILE, out);
  writeFileSync(out, bytes);
  return { path: out, offset };
}

describe.skipIf(!HAVE_ROOT_DATA)('RNTuple std::variant', () => {
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads std::variant<int32, string> and vector<variant<int64, string>> (uproot test_0662, by hand)', async () => {
    // The Switch page, decoded by hand (12 bytes per entry: a 64-bit element index, then the 1-based tag):
    // (0, 1) (0, 2) (1, 2) (1, 1) (2, 1) — int 0, string 0, string 1, int 1, int 2.
    const page = await switchPage();
    const bytes = new Uint8Array(readFileSync(ROOT_DATA + FILE));
    const { offset, size } = page.locator;
    const raw = decompressRoot(bytes.subarray(offset, offset + size), 60, {
      file: FILE,
      object: 'p',
      offset,
    });
    const view = new DataView(raw.buffer, raw.byteOffset);
    expect(
      Array.from({ length: 5 }, (_, i) => [
        Number(view.getBigUint64(12 * i, true)),
        view.getUint32(12 * i + 8, true),
      ]),
    ).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
      [1, 1],
      [2, 1],
    ]);
    const { nt, values } = await read(ROOT_DATA + FILE, [
      'variant_int32_string',
      'vector_variant_int64_string',
    ]);
    const [variant, vector] = values;
    // uproot: variant[0] == 1, variant[1] == "two"; the strings and ints of the other entries follow the tags.
    expect(variant).toEqual([
      { index: 0, _0: [1], _1: [] },
      { index: 1, _0: [], _1: ['two'] },
      { index: 1, _0: [], _1: ['three'] },
      { index: 0, _0: [4], _1: [] },
      { index: 0, _0: [5], _1: [] },
    ]);
    // uproot: vector_variant[0][0] == "one", [1][0] == "one", [1][1] == 2 (an int64).
    const v = vector as { index: number; _0: bigint[]; _1: string[] }[][];
    expect(v[0]![0]).toEqual({ index: 1, _0: [], _1: ['one'] });
    expect(v[1]![0]!._1).toEqual(['one']);
    expect(v[1]![1]).toEqual({ index: 0, _0: [2], _1: [] });
    expect(nt.inspect().find((f) => f.name === 'variant_int32_string')?.column).toBe(
      'struct<index:int32, _0:list<int32>, _1:list<utf8>>',
    );
  });

  it('a Switch tag naming no alternative is a located error (file, field, page offset)', async () => {
    const { path, offset } = await damagedSwitch('tag.root', 20, 3, 5); // entry 1's tag 2 → 3
    const err = await read(path, ['variant_int32_string']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HepqError);
    const e = err as HepqError;
    expect(e.code).toBe('rntuple/corrupt-page');
    expect(e.message).toBe(
      'Switch tag 3 at element 1 names no alternative (there are 2) in field variant_int32_string',
    );
    expect(e.location).toMatchObject({
      file: path,
      offset,
      object: 'ntuple/variant_int32_string (cluster 0)',
    });
  });

  it('a Switch index out of order is a located error', async () => {
    const { path, offset } = await damagedSwitch('index.root', 48, 9, 4); // entry 4's index 2 → 9
    const err = await read(path, ['variant_int32_string']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HepqError);
    const e = err as HepqError;
    expect(e.message).toBe(
      'Switch element 4 points at element 9 of alternative 0, expected 2 in field variant_int32_string',
    );
    expect(e.location).toMatchObject({ file: path, offset });
  });
});
