/**
 * `read_arrow('file.arrow')`: an Arrow IPC file (or stream) as a SQL table. DuckDB has no built-in Arrow
 * reader here (extensions cannot be installed), so apache-arrow reads the file and its values go into
 * DuckDB chunks through node-api's JS value converter (NULLs kept, lists and structs nested).
 */
import { readFile } from 'node:fs/promises';
import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  DuckDBTableFunction,
  type DuckDBType,
  FLOAT,
  INTEGER,
  JSToDuckDBValueConverter,
  LIST,
  SMALLINT,
  STRUCT,
  TINYINT,
  UBIGINT,
  UINTEGER,
  USMALLINT,
  UTINYINT,
  VARCHAR,
} from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import { HepqError } from '../batch/index.js';
import { type DeferredWork, PENDING } from './deferred.js';
import type { FileAccess } from './root-function.js';

interface ArrowTable {
  readonly names: readonly string[];
  readonly types: readonly DuckDBType[];
  readonly columns: readonly unknown[][];
  readonly length: number;
}

function duckTypeOf(t: arrow.DataType): DuckDBType {
  if (arrow.DataType.isBool(t)) return BOOLEAN;
  if (arrow.DataType.isInt(t)) {
    const signed = [TINYINT, SMALLINT, INTEGER, BIGINT];
    const unsigned = [UTINYINT, USMALLINT, UINTEGER, UBIGINT];
    const k = Math.log2(t.bitWidth / 8);
    return (t.isSigned ? signed : unsigned)[k]!;
  }
  if (arrow.DataType.isFloat(t)) return t.precision === arrow.Precision.DOUBLE ? DOUBLE : FLOAT;
  if (arrow.DataType.isList(t) || arrow.DataType.isFixedSizeList(t))
    return LIST(duckTypeOf(t.children[0]!.type));
  if (arrow.DataType.isStruct(t))
    return STRUCT(Object.fromEntries(t.children.map((f) => [f.name, duckTypeOf(f.type)])));
  if (arrow.DataType.isDictionary(t)) return duckTypeOf(t.dictionary);
  return VARCHAR;
}

/** An Arrow value as the JS value node-api's converter expects for `duckTypeOf(t)`. */
function jsValue(v: unknown, t: arrow.DataType): unknown {
  if (v === null || v === undefined) return null;
  if (arrow.DataType.isDictionary(t)) return jsValue(v, t.dictionary);
  if (arrow.DataType.isList(t) || arrow.DataType.isFixedSizeList(t)) {
    const item = t.children[0]!.type;
    return Array.from(v as Iterable<unknown>, (x) => jsValue(x, item));
  }
  if (arrow.DataType.isStruct(t)) {
    const row = v as Record<string, unknown>;
    return Object.fromEntries(t.children.map((f) => [f.name, jsValue(row[f.name], f.type)]));
  }
  if (arrow.DataType.isInt(t) && t.bitWidth === 64) return BigInt(v as number | bigint);
  if (arrow.DataType.isFloat(t)) return Number(v);
  if (arrow.DataType.isBool(t) || arrow.DataType.isInt(t)) return v;
  return typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : String(v);
}

async function readArrow(path: string): Promise<ArrowTable> {
  let table: arrow.Table;
  try {
    table = arrow.tableFromIPC(await readFile(path));
  } catch (e) {
    throw new HepqError(
      'sql/bad-arrow',
      `${path} is not an Arrow IPC file or stream: ${(e as Error).message}`,
      {
        location: { file: path },
      },
    );
  }
  const fields = table.schema.fields;
  if (fields.length === 0)
    throw new HepqError('sql/bad-arrow', `${path} holds no Arrow columns (is it an Arrow IPC file?)`, {
      location: { file: path },
    });
  return {
    names: fields.map((f) => f.name),
    types: fields.map((f) => duckTypeOf(f.type)),
    columns: fields.map((f, k) => Array.from(table.getChildAt(k)!, (v) => jsValue(v, f.type))),
    length: table.numRows,
  };
}

export function arrowTableFunction(files: FileAccess, deferred: DeferredWork): DuckDBTableFunction {
  const tables = new Map<string, ArrowTable>();
  return DuckDBTableFunction.create({
    name: 'read_arrow',
    parameterTypes: [VARCHAR],
    bindFunction: (info) => {
      const connection = info.clientContext.connectionId;
      let path: string;
      try {
        path = files.resolve(String(info.getParameter(0)));
      } catch (e) {
        deferred.fail(connection, e as Error);
        info.setError((e as Error).message);
        return;
      }
      const t = tables.get(path);
      if (!t) {
        deferred.add(connection, `arrow:${path}`, async () => {
          tables.set(path, await readArrow(path));
        });
        info.setError(PENDING);
        return;
      }
      t.names.forEach((n, k) => {
        info.addResultColumn(n, t.types[k]!);
      });
      info.setCardinality(t.length, true);
      info.setBindData(t);
    },
    initFunction: (info) => {
      info.setMaxThreads(1);
      info.setInitData({ next: 0 });
    },
    mainFunction: (info, output) => {
      const t = info.bindData as ArrowTable;
      const state = info.initData as { next: number };
      const count = Math.max(0, Math.min(2048, t.length - state.next));
      if (count === 0) {
        output.rowCount = 0;
        return;
      }
      output.setColumnsConverted(
        t.columns.map((c) => c.slice(state.next, state.next + count) as never[]),
        JSToDuckDBValueConverter,
      );
      state.next += count;
    },
  });
}
