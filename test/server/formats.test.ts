/** Format choice: an explicit format wins, else the Accept header by quality then order (RFC 9110 §12.5.1). */
import { describe, expect, it } from 'vitest';
import { HepqError } from '../../exec/batch/index.js';
import { chooseFormat } from '../../server/http/formats.js';

describe('chooseFormat', () => {
  it('reads Accept by q-value, then order; wildcards give JSON', () => {
    expect(chooseFormat(undefined, undefined)).toBe('json');
    expect(chooseFormat(undefined, '*/*')).toBe('json');
    expect(chooseFormat(undefined, 'application/vnd.apache.arrow.stream')).toBe('arrow');
    expect(chooseFormat(undefined, 'text/csv;q=0.5, application/x-ndjson')).toBe('jsonl');
    expect(chooseFormat(undefined, 'text/csv, application/x-ndjson')).toBe('csv');
    expect(chooseFormat(undefined, 'image/png, application/vnd.apache.parquet;q=0.1')).toBe('parquet');
    expect(chooseFormat(undefined, 'text/*')).toBe('csv');
  });

  it('an explicit format wins; unknown ones and unacceptable types are errors', () => {
    expect(chooseFormat('arrow', 'text/csv')).toBe('arrow');
    expect(() => chooseFormat('xml', undefined)).toThrow(HepqError);
    expect(() => chooseFormat(undefined, 'image/png')).toThrow(/none of the accepted types/);
    expect(() => chooseFormat(undefined, 'application/json;q=0')).toThrow(/none of the accepted types/);
  });
});
