/**
 * One file job: run a request's query over one input file through a `Session` — the path `hepq query` takes:
 * optimizer, function registry — and write its rows as one Parquet (or ROOT) file, atomically (a temp file
 * renamed into place), so a crash never leaves a partial output under the final name.
 */
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type * as arrow from 'apache-arrow';
import { writeRoot } from '../../connectors/root/index.js';
import type { Batch } from '../../exec/batch/index.js';
import { batchesArrowTable, encodeArrowTable, selectedBatch } from '../output/encode.js';
import { Session } from '../session.js';
import { refuseScalar } from './selection.js';
import { writeFileAtomic } from './store.js';
import type { FileJob, FileJobResult } from './types.js';

export interface FileJobOptions {
  readonly signal?: AbortSignal;
}

/** Encode an Arrow table as Parquet (zstd-compressed pages; nested lists and structs kept). */
export function tableToParquet(table: arrow.Table): Promise<Uint8Array> {
  return encodeArrowTable(table, 'parquet', { compression: 'zstd' });
}

/** Rows as a ROOT file with one TTree `servicex` (as ServiceX names it), written to a temp name then renamed. */
async function writeRootAtomic(
  path: string,
  schema: Batch['schema'],
  batches: readonly Batch[],
  signal: AbortSignal | undefined,
): Promise<number> {
  const plain = batches.map(selectedBatch);
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    await writeRoot(tmp, Object.assign(plain, { schema }), {
      tree: 'servicex',
      ...(signal ? { signal } : {}),
    });
    signal?.throwIfAborted();
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return plain.reduce((n, b) => n + b.length, 0);
}

/** Run one file job to its output file; errors name the input file. */
export async function runFileJob(job: FileJob, options: FileJobOptions = {}): Promise<FileJobResult> {
  const t0 = performance.now();
  // One session per job: it holds only this input open, and closing it releases the file.
  // Redirects of an http(s) input may lead only where the service lets inputs point (its URL prefixes).
  const session = new Session({ threads: 1, device: 'cpu', redirectPrefixes: job.urlPrefixes ?? [] });
  try {
    const tree = job.treeName ?? undefined;
    const table = await session.open(job.input, tree === undefined ? {} : { tree });
    const result = await session.query(job.selection, {
      files: [job.input],
      ...(tree === undefined ? {} : { tree }),
      ...(options.signal ? { signal: options.signal } : {}),
      threads: 1,
      device: 'cpu',
    });
    if (result.kind !== 'rows') return refuseScalar(true);
    mkdirSync(job.outputDir, { recursive: true });
    const path = join(job.outputDir, job.output);
    let rows: number;
    if (job.resultFormat === 'root-file') {
      rows = await writeRootAtomic(path, result.schema, result.batches, options.signal);
    } else {
      const out = batchesArrowTable(result.schema, result.batches);
      const bytes = await tableToParquet(out);
      options.signal?.throwIfAborted();
      writeFileAtomic(path, bytes);
      rows = out.numRows;
    }
    return {
      bytes: statSync(path).size,
      events: table.statistics().entries,
      rows,
      seconds: (performance.now() - t0) / 1000,
      createdAt: new Date().toISOString(),
    };
  } finally {
    await session.close();
  }
}
