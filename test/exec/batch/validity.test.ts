/**
 * Validity bitmaps in the column model: NULL rows through slicing, concatenation, gathering, row access and
 * Arrow (checked against apache-arrow's own builder and IPC reader, and DuckDB's vectors as a second reader).
 */
import { DuckDBDataChunk, INTEGER, LIST, VARCHAR } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import {
  type Batch,
  batchesFromArrow,
  batchToArrow,
  type Column,
  concatColumns,
  fromArrowData,
  isValid,
  type JsValue,
  sliceColumn,
  takeRows,
  toArrowData,
  valueAt,
} from '../../../exec/batch/index.js';
import { writeColumn } from '../../../exec/duckdb/duck-types.js';

/** A bitmap with bit i set where `valid[i]` (built by hand, independent of the code under test). */
function bits(valid: boolean[]): Uint8Array {
  const out = new Uint8Array(Math.ceil(valid.length / 8));
  valid.forEach((v, i) => {
    if (v) out[Math.floor(i / 8)] += 2 ** (i % 8);
  });
  return out;
}

const ints = [1, null, 3, 4, null, 6, 7, 8, 9, null, 11];
const intCol: Column = {
  kind: 'primitive',
  type: 'int32',
  values: Int32Array.from(ints, (v) => v ?? 0),
  validity: bits(ints.map((v) => v !== null)),
};
const strs = ['a', null, 'ccc', '', null];
const strCol: Column = {
  kind: 'utf8',
  offsets: Int32Array.from([0, 1, 1, 4, 4, 4]),
  bytes: new TextEncoder().encode('accc'),
  validity: bits(strs.map((v) => v !== null)),
};
// [[1.5, NULL], NULL, [], [2.5]]
const lists: JsValue[] = [[1.5, null], null, [], [2.5]];
const listCol: Column = {
  kind: 'list',
  offsets: Int32Array.from([0, 2, 2, 2, 3]),
  child: {
    kind: 'primitive',
    type: 'float64',
    values: Float64Array.from([1.5, 0, 2.5]),
    validity: bits([true, false, true]),
  },
  validity: bits([true, false, true, true]),
};
// [{x: 1, s: 'a'}, NULL, {x: NULL, s: 'ccc'}]
const structs: JsValue[] = [{ x: 1, s: 'a' }, null, { x: null, s: 'ccc' }];
const structCol: Column = {
  kind: 'struct',
  names: ['x', 's'],
  children: [
    {
      kind: 'primitive',
      type: 'int32',
      values: Int32Array.from([1, 0, 0]),
      validity: bits([true, false, false]),
    },
    {
      kind: 'utf8',
      offsets: Int32Array.from([0, 1, 1, 4]),
      bytes: new TextEncoder().encode('accc'),
      validity: bits([true, false, true]),
    },
  ],
  length: 3,
  validity: bits([true, false, true]),
};

const rows = (c: Column, n: number) => Array.from({ length: n }, (_, i) => valueAt(c, i));

describe('validity in exec/batch', () => {
  it('valueAt gives null for NULL rows of primitive, utf8, list and struct columns', () => {
    expect(rows(intCol, ints.length)).toEqual(ints);
    expect(rows(strCol, strs.length)).toEqual(strs);
    expect(rows(listCol, lists.length)).toEqual(lists);
    expect(rows(structCol, structs.length)).toEqual(structs);
    expect(isValid(undefined, 5)).toBe(true);
  });

  it('slices at unaligned rows keep each row its own validity', () => {
    for (let a = 0; a < ints.length; a++)
      for (let b = a; b <= ints.length; b++)
        expect(rows(sliceColumn(intCol, a, b), b - a)).toEqual(ints.slice(a, b));
    expect(rows(sliceColumn(listCol, 1, 4), 3)).toEqual(lists.slice(1, 4));
    expect(rows(sliceColumn(structCol, 1, 3), 2)).toEqual(structs.slice(1, 3));
  });

  it('concatenation joins bitmaps at unaligned lengths, parts without a bitmap all valid', () => {
    const plain: Column = { kind: 'primitive', type: 'int32', values: Int32Array.from([20, 21, 22]) };
    const parts = [sliceColumn(intCol, 0, 3), plain, sliceColumn(intCol, 3, 11)];
    expect(rows(concatColumns(parts), 14)).toEqual([...ints.slice(0, 3), 20, 21, 22, ...ints.slice(3)]);
    const noBits = concatColumns([plain, plain]);
    expect(noBits.kind === 'primitive' && noBits.validity).toBe(undefined);
    expect(rows(concatColumns([strCol, strCol]), 10)).toEqual([...strs, ...strs]);
    expect(rows(concatColumns([listCol, sliceColumn(listCol, 1, 4)]), 7)).toEqual([
      ...lists,
      ...lists.slice(1),
    ]);
    expect(rows(concatColumns([structCol, structCol]), 6)).toEqual([...structs, ...structs]);
  });

  it('takeRows gathers validity with the values', () => {
    const idx = [9, 0, 1, 10, 4];
    expect(rows(takeRows(intCol, idx), 5)).toEqual(idx.map((i) => ints[i]));
    expect(rows(takeRows(listCol, [3, 1, 0]), 3)).toEqual([3, 1, 0].map((i) => lists[i]));
    expect(rows(takeRows(structCol, [2, 1]), 2)).toEqual([2, 1].map((i) => structs[i]));
  });

  it('Arrow data shares the bitmap, and reads back the NULLs as apache-arrow builds them', () => {
    const d = toArrowData(intCol);
    expect(d.nullBitmap.buffer).toBe((intCol as { validity: Uint8Array }).validity.buffer); // zero-copy
    expect(d.nullCount).toBe(3);
    const batch: Batch = {
      schema: {
        fields: [
          { name: 'i', type: { kind: 'primitive', type: 'int32' } },
          { name: 's', type: { kind: 'utf8' } },
        ],
      },
      columns: [sliceColumn(intCol, 0, 5), strCol],
      length: 5,
    };
    const back = arrow.tableFromIPC(arrow.tableToIPC(batchToArrow(batch), 'stream'));
    expect([...back.getChild('i')!]).toEqual(ints.slice(0, 5));
    expect([...back.getChild('s')!]).toEqual(strs);
    // apache-arrow's own builder gives the same logical data
    const ref = arrow.vectorFromArray(lists, toArrowData(listCol).type);
    const mine = arrow.makeVector(toArrowData(listCol));
    expect(mine.toArray().map((v: arrow.Vector | null) => v && [...v])).toEqual(
      ref.toArray().map((v: arrow.Vector | null) => v && [...v]),
    );
    const st = arrow.makeVector(toArrowData(structCol));
    expect([...st].map((r) => r?.toJSON() ?? null)).toEqual(structs);
  });

  it('boxed values go out as Arrow text (JSON for non-strings) or numbers', () => {
    const boxed: Column = {
      kind: 'boxed',
      type: { kind: 'utf8' },
      values: [{ months: 1, days: 2, micros: 3n }, null, 'x'],
    };
    expect([...arrow.makeVector(toArrowData(boxed))]).toEqual([
      '{"months":1,"days":2,"micros":3}',
      null,
      'x',
    ]);
    expect(rows(sliceColumn(boxed, 1, 3), 2)).toEqual([null, 'x']);
    const big: Column = { kind: 'boxed', type: { kind: 'primitive', type: 'float64' }, values: [5n, null] };
    expect([...arrow.makeVector(toArrowData(big))]).toEqual([5, null]);
  });

  it('writes NULLs into DuckDB vectors (read back by DuckDB)', () => {
    const chunk = DuckDBDataChunk.create([INTEGER, VARCHAR, LIST(INTEGER)], 4);
    const v = (k: number) => duckdb.data_chunk_get_vector(chunk.chunk, k);
    writeColumn(v(0), intCol, { kind: 'primitive', type: 'int32' }, 7, 4);
    writeColumn(v(1), strCol, { kind: 'utf8' }, 1, 4);
    const il: Column = {
      kind: 'list',
      offsets: Int32Array.from([0, 1, 1, 3, 3]),
      child: {
        kind: 'primitive',
        type: 'int32',
        values: Int32Array.from([5, 0, 7]),
        validity: bits([true, false, true]),
      },
      validity: bits([true, false, true, true]),
    };
    writeColumn(v(2), il, { kind: 'list', item: { kind: 'primitive', type: 'int32' } }, 0, 4);
    expect(chunk.getColumnValues(0)).toEqual(ints.slice(7, 11));
    expect(chunk.getColumnValues(1)).toEqual(strs.slice(1, 5));
    expect(
      chunk.getColumnValues(2).map((x) => (x === null ? null : (x as { items: unknown[] }).items)),
    ).toEqual([[5], null, [null, 7], []]);
  });

  it('comes back from Arrow: our own columns, and apache-arrow-built data read at an offset', () => {
    for (const [c, want] of [
      [intCol, ints],
      [strCol, strs],
      [listCol, lists],
      [structCol, structs],
    ] as const)
      expect(rows(fromArrowData(toArrowData(c)), want.length)).toEqual(want);
    // built by apache-arrow's builder, written and read as IPC, then sliced at an unaligned row
    const ref: JsValue[] = [3, null, 5, null, 7, 8, null, 10, 11, null];
    const table = arrow.tableFromIPC(
      arrow.tableToIPC(
        new arrow.Table({
          x: arrow.vectorFromArray(ref, new arrow.Int32()),
          l: arrow.vectorFromArray(
            ref.map((v) => (v === null ? null : [v, null])),
            new arrow.List(new arrow.Field('item', new arrow.Int32(), true)),
          ),
          b: arrow.vectorFromArray(
            ref.map((v) => (v === null ? null : (v as number) % 2 === 0)),
            new arrow.Bool(),
          ),
        }),
        'stream',
      ),
    );
    const [batch] = batchesFromArrow(table.slice(3, 9));
    expect(batch!.length).toBe(6);
    expect(rows(batch!.columns[0]!, 6)).toEqual(ref.slice(3, 9));
    expect(rows(batch!.columns[1]!, 6)).toEqual(ref.slice(3, 9).map((v) => (v === null ? null : [v, null])));
    expect(rows(batch!.columns[2]!, 6)).toEqual(
      ref.slice(3, 9).map((v) => (v === null ? null : (v as number) % 2 === 0)),
    );
    expect(() => fromArrowData(arrow.vectorFromArray([1], new arrow.DateDay()).data[0]!, 'd')).toThrow(
      /column d has Arrow type/,
    );
  });
});
