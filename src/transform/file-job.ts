/**
 * One file job: run a request's query over one input file and write its rows as one Parquet file, atomically
 * (a temp file renamed into place), so a crash never leaves a partial output under the final name.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { openRootTable } from '../../connectors/root/index.js';
import {
  type Batch,
  batchToArrow,
  HepqError,
  normalizeOffsets,
  toArrowType,
} from '../../exec/batch/index.js';
import { executePlan } from '../../exec/index.js';
import type { LogicalPlan } from '../../planner/ir/index.js';
import { checkSelection, compileSelection } from './selection.js';
import { writeFileAtomic } from './store.js';
import type { FileJob, FileJobResult } from './types.js';

export interface FileJobOptions {
  /** The request's parsed selection (parsed again from the job's text when absent, e.g. on a queue worker). */
  readonly plan?: LogicalPlan;
  readonly signal?: AbortSignal;
}

/** Rows of a query result as one Arrow table (selections applied, offsets rebased). */
function rowsTable(schema: Batch['schema'], batches: readonly Batch[]): arrow.Table {
  const tables = batches.map((b) => batchToArrow({ ...b, columns: b.columns.map(normalizeOffsets) }));
  if (tables.length === 0) {
    const fields = schema.fields.map((f) => new arrow.Field(f.name, toArrowType(f.type), true));
    return new arrow.Table(new arrow.Schema(fields));
  }
  return tables.length === 1 ? tables[0]! : tables[0]!.concat(...tables.slice(1));
}

/** Encode an Arrow table as Parquet (zstd-compressed pages; nested lists and structs kept). */
export async function tableToParquet(table: arrow.Table): Promise<Uint8Array> {
  const pq = await import('parquet-wasm');
  const props = new pq.WriterPropertiesBuilder().setCompression(pq.Compression.ZSTD).build();
  return pq.writeParquet(pq.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), props);
}

/** Run one file job to its output file; errors name the input file. */
export async function runFileJob(job: FileJob, options: FileJobOptions = {}): Promise<FileJobResult> {
  const t0 = performance.now();
  if (job.resultFormat !== 'parquet')
    throw new HepqError(
      'servicex/format',
      `result format '${job.resultFormat}' is not supported by this worker`,
    );
  const plan = options.plan ?? compileSelection(job.selection, job.codegen).plan;
  const table = await openRootTable(job.input, job.treeName ?? undefined);
  let out: arrow.Table;
  try {
    checkSelection({ plan, codegen: job.codegen, normalized: '' }, job.selection, table.schema());
    const result = await executePlan(plan, table, {
      source: job.selection,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (result.kind !== 'rows')
      throw new HepqError('servicex/selection', 'the query returned one value, not rows');
    out = rowsTable(result.schema, result.batches);
    const bytes = await tableToParquet(out);
    options.signal?.throwIfAborted();
    mkdirSync(job.outputDir, { recursive: true });
    const path = join(job.outputDir, job.output);
    writeFileAtomic(path, bytes);
    return {
      bytes: statSync(path).size,
      events: table.statistics().entries,
      rows: out.numRows,
      seconds: (performance.now() - t0) / 1000,
      createdAt: new Date().toISOString(),
    };
  } finally {
    await table.close();
  }
}
