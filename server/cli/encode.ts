/** Encodes a batch as jsonl, json, csv, Arrow IPC stream, Parquet or a ROOT TTree (the output formats of dump and queries). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import {
  type Batch,
  batchToArrow,
  type JsValue,
  normalizeOffsets,
  toJsonSafe,
  valueAt,
} from '../../exec/batch/index.js';

import { textBatch } from './float32-text.js';

export type DumpFormat = 'jsonl' | 'json' | 'csv' | 'arrow' | 'parquet' | 'root';

function rows(batch: Batch): Generator<Record<string, unknown>> {
  return (function* () {
    const names = batch.schema.fields.map((f) => f.name);
    for (let r = 0; r < batch.length; r++) {
      const i = batch.selection ? batch.selection[r]! : r;
      const row: Record<string, unknown> = {};
      names.forEach((n, k) => {
        row[n] = toJsonSafe(valueAt(batch.columns[k]!, i) as JsValue);
      });
      yield row;
    }
  })();
}

function csvCell(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function toArrowTable(batch: Batch): arrow.Table {
  return batchToArrow({ ...batch, columns: batch.columns.map(normalizeOffsets) });
}

export async function encodeBatch(stored: Batch, format: DumpFormat): Promise<string | Uint8Array> {
  // text formats print float32 values as their shortest round-trip decimals; binary ones keep the bits
  const batch = format === 'jsonl' || format === 'json' || format === 'csv' ? textBatch(stored) : stored;
  switch (format) {
    case 'jsonl': {
      let out = '';
      for (const row of rows(batch)) out += `${JSON.stringify(row)}\n`;
      return out;
    }
    case 'json':
      return `${JSON.stringify([...rows(batch)])}\n`;
    case 'csv': {
      const names = batch.schema.fields.map((f) => f.name);
      let out = `${names.map(csvCell).join(',')}\n`;
      for (const row of rows(batch)) out += `${names.map((n) => csvCell(row[n])).join(',')}\n`;
      return out;
    }
    case 'arrow':
      return arrow.tableToIPC(toArrowTable(batch), 'stream');
    case 'parquet': {
      const pq = await import('parquet-wasm');
      const ipc = arrow.tableToIPC(toArrowTable(batch), 'stream');
      return pq.writeParquet(pq.Table.fromIPCStream(ipc));
    }
    case 'root': {
      // A TTree `Events` (zstd:5) through the ROOT writer, which writes to a path: go through a temporary file.
      const { writeRoot } = await import('../../connectors/root/index.js');
      const dir = mkdtempSync(join(tmpdir(), 'hepq-encode-'));
      try {
        await writeRoot(join(dir, 'out.root'), [batch]);
        return new Uint8Array(readFileSync(join(dir, 'out.root')));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
}
