/**
 * Every RNTuple file of ../shared/data/root: opens, agrees with MANIFEST.md (name, anchor version, entries,
 * field count, key field types), and every supported field reads the values jsroot 7.11 reads; unsupported
 * fields fail with the located "not supported yet" error and are still listed.
 */
import { describe, expect, it } from 'vitest';
import { openRoot } from '../../../../connectors/root/index.js';
import { RNTuple, readAnchor, rntuplePaths } from '../../../../connectors/root/rntuple/index.js';
import { HepqError } from '../../../../exec/batch/index.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../../helpers/shared-data.js';
import { type JsrootRNTuple, openJsrootRNTuple } from './jsroot-rntuple.js';
import { manifestRNTuples, member, rntupleFiles, rows } from './reference.js';

const REAL32_QUANT = 0x1d;

/** jsroot computes quantized floats in double precision; ROOT stores them in a float field: round the same way. */
function fround(v: unknown): unknown {
  if (typeof v === 'number') return Math.fround(v);
  if (Array.isArray(v)) return v.map(fround);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fround(x)]));
  return v;
}

/**
 * hepq's std::variant record `{index, _0, _1, …}` (the active alternative's value in a list of one) as jsroot
 * gives a variant: the active value itself, null when the variant holds none.
 */
function activeValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(activeValue);
  if (v !== null && typeof v === 'object' && 'index' in v) {
    const o = v as Record<string, unknown>;
    const i = o.index as number;
    return i < 0 ? null : activeValue((o[`_${i}`] as unknown[])[0]);
  }
  return v;
}

/**
 * jsroot's value of a projected top-level field, from its source: a cardinality counts the source collection's
 * items; a projected collection (RVec) takes one member of the records of the source collection.
 */
async function projectedValues(js: JsrootRNTuple, id: number, cache: (name: string) => Promise<unknown[]>) {
  const f = js.fields[id]!;
  const source = js.fields[f.sourceFieldId!]!;
  if (f.typeName.startsWith('ROOT::RNTupleCardinality<'))
    return (await cache(source.fieldName)).map((v) => (v as unknown[]).length);
  const item = js.fields.findIndex((x, i) => x.parentFieldId === id && i !== id);
  const leaf = js.fields[js.fields[item]!.sourceFieldId!]!;
  const record = js.fields[leaf.parentFieldId]!;
  const collection = js.fields[record.parentFieldId]!;
  if (collection.parentFieldId !== js.fields.indexOf(collection))
    throw new Error(`projection source ${collection.fieldName} is not a top-level collection`);
  return (await cache(collection.fieldName)).map((v) => member(v, [leaf.fieldName]));
}

describe.skipIf(!HAVE_ROOT_DATA)('RNTuple files against the manifest and jsroot', () => {
  const files = rntupleFiles();
  const manifest = HAVE_ROOT_DATA ? manifestRNTuples() : new Map();

  it('the shared data holds the RNTuple files the manifest lists', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const f of files) expect(manifest.has(f), f).toBe(true);
  });

  it.each(files)('%s', async (file) => {
    const path = ROOT_DATA + file;
    const m = manifest.get(file)!;
    const handle = await openRoot(path);
    try {
      expect(await rntuplePaths(handle)).toEqual([m.name]);
      const anchor = await readAnchor(handle.file, m.name);
      expect(anchor.version.join('.')).toBe(m.anchor);
      const nt = await RNTuple.open(handle.file, m.name);
      expect(nt.entries).toBe(m.entries);
      const listed = nt.inspect();
      expect(listed.length).toBe(m.fields);
      for (const [name, type] of m.keyFields) {
        const f = listed.find((x) => x.name === name);
        expect(f, `${file}: field ${name}`).toBeDefined();
        if (type) expect(f!.type).toBe(type);
      }

      const js = await openJsrootRNTuple(path, m.name);
      // jsroot reads the first cluster group only; every file but the multi-group one has a single group.
      if (!file.includes('multiple_cluster_groups')) expect(js.entries).toBe(nt.entries);
      const n = js.entries;
      const names = nt.columnNames();
      const batch = await nt.read(names);
      expect(batch.length).toBe(nt.entries);
      const jsCache = new Map<string, Promise<unknown[]>>();
      const jsValues = (name: string) => {
        if (!jsCache.has(name)) jsCache.set(name, js.read(name));
        return jsCache.get(name)!;
      };

      let compared = 0;
      for (const { field, planned } of nt.tops) {
        if (!planned.ok) {
          // Listed with the reason, refused on read with a located error.
          expect(listed.find((x) => x.name === field.name)?.column).toBe('unsupported');
          const err = await nt.read([field.name]).catch((e: unknown) => e);
          expect(err).toBeInstanceOf(HepqError);
          expect((err as HepqError).message).toMatch(
            new RegExp(`^not supported yet: .+ in field ${field.name}$`),
          );
          expect((err as HepqError).location?.file).toBe(path);
          continue;
        }
        const cols = nt.schema.fieldColumns[field.id]!.map((id) => nt.schema.columns[id]!);
        const wide = cols.some((c) => c.type === REAL32_QUANT && c.bits >= 31);
        if (wide) continue; // jsroot's quantization overflows 32-bit shifts there; checked below instead
        const expected =
          field.flags & 0x02 ? await projectedValues(js, field.id, jsValues) : await jsValues(field.name);
        expect(expected.length, field.name).toBe(n);
        const raw = rows(batch.columns[names.indexOf(field.name)]!, n);
        const mine = field.typeName.includes('std::variant<') ? raw.map(activeValue) : raw;
        const quant = cols.some((c) => c.type === REAL32_QUANT);
        expect(mine, `${file}: ${field.name}`).toEqual(quant ? fround(expected) : expected);
        // Record members cut out of this field (`three_LV.pt`, `_collection0.Muon_pt`) are the same values.
        for (const name of names.filter(
          (x) => x.startsWith(`${field.name}.`) && !field.typeName.includes('std::variant<'),
        )) {
          const got = rows(batch.columns[names.indexOf(name)]!, n);
          expect(got, `${file}: ${name}`).toEqual(
            expected.map((v) => member(v, name.slice(field.name.length + 1).split('.'))),
          );
        }
        compared++;
      }
      expect(compared).toBeGreaterThan(0);
    } finally {
      await handle.close();
    }
  });

  it('32-bit quantized floats agree with the 25-bit ones within the 25-bit quantization step', async () => {
    // jsroot cannot decode 31/32-bit quantized columns (32-bit shifts overflow), but reads quant25 correctly.
    const path = `${ROOT_DATA}test_float_types_rntuple_v1-0-0-0.root`;
    const js = await openJsrootRNTuple(path, 'ntuple');
    const q25 = (await js.read('quant25')) as number[];
    const id25 = js.fields.findIndex((f) => f.fieldName === 'quant25');
    const id32 = js.fields.findIndex((f) => f.fieldName === 'quant32');
    const c25 = js.columns.find((c) => c.fieldId === id25)!;
    const c32 = js.columns.find((c) => c.fieldId === id32)!;
    expect([c32.minValue, c32.maxValue]).toEqual([c25.minValue, c25.maxValue]);
    const step = (c25.maxValue! - c25.minValue!) / (2 ** 25 - 1);
    const handle = await openRoot(path);
    try {
      const nt = await RNTuple.open(handle.file, 'ntuple');
      const q = rows((await nt.read(['quant32'])).columns[0]!, nt.entries) as number[];
      expect(q.length).toBe(q25.length);
      for (const [i, x] of q.entries()) {
        expect(x).toBeGreaterThanOrEqual(c32.minValue! - 1e-6);
        expect(x).toBeLessThanOrEqual(c32.maxValue! + 1e-6);
        expect(Math.abs(x - q25[i]!)).toBeLessThanOrEqual(step);
      }
    } finally {
      await handle.close();
    }
  });

  it('several cluster groups: every group is read (jsroot reads only the first one)', async () => {
    const path = `${ROOT_DATA}test_multiple_cluster_groups_rntuple_v1-0-0-0.root`;
    const js = await openJsrootRNTuple(path, 'ntuple');
    const one = (await js.read('one')) as number[];
    const vec = (await js.read('int_vector')) as number[][];
    // The rule the writer followed, seen in jsroot's values of the first group: one = entry, vector = [i, i+1].
    expect(one).toEqual(one.map((_, i) => i));
    expect(vec).toEqual(vec.map((_, i) => [i, i + 1]));
    expect(one.length).toBeLessThan(1000);
    const handle = await openRoot(path);
    try {
      const nt = await RNTuple.open(handle.file, 'ntuple');
      expect(nt.boundaries().at(-1)).toBe(1000);
      const b = await nt.read(['one', 'int_vector'], { start: 0, stop: 1000 });
      const entries = Array.from({ length: 1000 }, (_, i) => i);
      expect(rows(b.columns[0]!, 1000)).toEqual(entries);
      expect(rows(b.columns[1]!, 1000)).toEqual(entries.map((i) => [i, i + 1]));
    } finally {
      await handle.close();
    }
  });
});
