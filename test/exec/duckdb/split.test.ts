/** Statement texts cut by splitStatements agree with DuckDB's own parser (statement count and each text alone). */
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { splitStatements } from '../../../exec/duckdb/split.js';

const SCRIPTS = [
  'SELECT 1',
  'SELECT 1;',
  'SELECT 1; SELECT 2',
  "SELECT 'a;b' AS s; SELECT 'it''s; fine'",
  'SELECT "odd;name" FROM (SELECT 1 AS "odd;name"); SELECT 2',
  '-- a comment; with a semicolon\nSELECT 1; /* block; comment */ SELECT 2;',
  'SELECT $$dollar; quoted$$; SELECT $tag$x;y$tag$',
  'CREATE TEMP VIEW v AS SELECT 1 AS x;\n\nSELECT x FROM v;\n-- trailing comment',
  ';;SELECT 1;;',
];

describe('splitStatements', () => {
  const instance = DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  afterAll(async () => (await instance).closeSync());

  it.each(SCRIPTS)('agrees with DuckDB on %j', async (script) => {
    const con = await (await instance).connect();
    try {
      const texts = splitStatements(script);
      expect(texts.length).toBe((await con.extractStatements(script)).count);
      for (const t of texts) {
        expect(script.slice(t.start, t.start + t.text.length)).toBe(t.text);
        expect((await con.extractStatements(t.text)).count).toBe(1);
      }
    } finally {
      con.closeSync();
    }
  });
});
