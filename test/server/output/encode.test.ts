/**
 * The one encoder module on hand-built batches, expected texts written out by hand: a batch with a selection
 * encodes only its kept rows; a query result with no batches is one empty batch of its schema (a header, an
 * Arrow table of zero rows), not an internal error; CSV quotes CR as RFC 4180 asks; SQL-style NULL cells.
 */
import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { type Batch, primitive, type Schema, utf8FromStrings } from '../../../exec/batch/index.js';
import {
  batchRowSource,
  csvCell,
  encodeBatch,
  encodeText,
  resultBatch,
  tableText,
} from '../../../server/output/encode.js';

const schema: Schema = {
  fields: [
    { name: 'n', type: { kind: 'primitive', type: 'int32' } },
    { name: 's', type: { kind: 'utf8' } },
  ],
};
const batch: Batch = {
  schema,
  columns: [primitive('int32', Int32Array.of(1, 2, 3, 4)), utf8FromStrings(['a', 'b,c', 'd"e', 'f\rg'])],
  length: 4,
};

describe('encoders over Batch', () => {
  it('a selection keeps only its rows, in every text format', async () => {
    const sel = { ...batch, selection: Uint32Array.of(1, 3) };
    expect(await encodeBatch(sel, 'jsonl')).toBe('{"n":2,"s":"b,c"}\n{"n":4,"s":"f\\rg"}\n');
    expect(await encodeBatch(sel, 'json')).toBe('[{"n":2,"s":"b,c"},{"n":4,"s":"f\\rg"}]\n');
    expect(await encodeBatch(sel, 'csv')).toBe('n,s\n2,"b,c"\n4,"f\rg"\n');
  });

  it('quotes commas, quotes, CR and LF in CSV, and leaves NULL empty', () => {
    expect(csvCell('d"e')).toBe('"d""e"');
    expect(csvCell('x\ny')).toBe('"x\ny"');
    expect(csvCell(null)).toBe('');
    expect(csvCell([1, 2])).toBe('"[1,2]"');
    expect(csvCell(3n)).toBe('3');
    // NaN, infinities and integers beyond 2⁵³ are their JSON-safe strings, bare (as hepq query always wrote them)
    expect(csvCell(Number.NaN)).toBe('NaN');
    expect(csvCell(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
    expect(csvCell(2n ** 60n)).toBe('1152921504606846976');
  });

  it('a result with no batches is one empty batch of its schema: a CSV header, an Arrow table of no rows', async () => {
    const empty = resultBatch(schema, []);
    expect(empty.length).toBe(0);
    expect(await encodeBatch(empty, 'csv')).toBe('n,s\n');
    expect(await encodeBatch(empty, 'json')).toBe('[]\n');
    const table = arrow.tableFromIPC((await encodeBatch(empty, 'arrow')) as Uint8Array);
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['n:Int32', 's:Utf8']);
  });

  it('batches join in order with their selections applied', () => {
    const second = { ...batch, selection: Uint32Array.of(0) };
    const one = resultBatch(schema, [batch, second]);
    expect(encodeText(batchRowSource(one), 'csv')).toBe('n,s\n1,a\n2,"b,c"\n3,"d""e"\n4,"f\rg"\n1,a\n');
  });

  it('the aligned table shows NULL and counts the rows', () => {
    const src = { names: ['a', 'bb'], rowCount: 2, value: (k: number, r: number) => (k === 0 ? r : null) };
    expect(tableText(src)).toBe('a │ bb\n──┼─────\n0 │ NULL\n1 │ NULL\n(2 rows)\n');
  });
});
