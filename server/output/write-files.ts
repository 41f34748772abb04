/** Streams batches to Parquet (parquet-wasm, one row group per batch) and Arrow IPC files, never holding them all. */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import * as arrow from 'apache-arrow';
import { type Batch, HepqError } from '../../exec/batch/index.js';
import { batchArrowTable } from './encode.js';

export interface FileWriteOptions {
  /** Store uint32/uint64 as int64 (the ADL benchmark's Parquet has them so). Default false. */
  readonly widenUnsigned?: boolean;
  readonly signal?: AbortSignal;
}

export interface ParquetWriteOptions extends FileWriteOptions {
  /** Parquet page compression: zstd (default), snappy, gzip, brotli, lz4, none. */
  readonly compression?: 'zstd' | 'snappy' | 'gzip' | 'brotli' | 'lz4' | 'none';
  /** Rows per row group (default 100 000, the generator's batch size). */
  readonly rowGroupRows?: number;
  /** File metadata (a generated sample's process and cross section): key-value `hepq_metadata`, JSON. */
  readonly metadata?: Readonly<Record<string, string | number | boolean>>;
}

export interface FileWriteSummary {
  readonly path: string;
  readonly rows: number;
  readonly batches: number;
  readonly bytes: number;
}

const toArrowTable = (batch: Batch, widen: boolean): arrow.Table =>
  batchArrowTable(batch, { widenUnsigned: widen });

function outputError(path: string, err: unknown): HepqError {
  return new HepqError('output/cannot-write', `cannot write ${path}: ${(err as Error).message}`, {
    location: { file: path },
    hint: 'check that the folder exists and is writable',
    cause: err,
  });
}

/** Write batches as an Arrow IPC file (the random-access format, `.arrow`). */
export async function writeArrow(
  path: string,
  stream: AsyncIterable<Batch> | Iterable<Batch>,
  options: FileWriteOptions = {},
): Promise<FileWriteSummary> {
  const out = createWriteStream(path);
  const failed = once(out, 'error').then(([e]) => {
    throw outputError(path, e);
  });
  failed.catch(() => {});
  const writer = new arrow.RecordBatchFileWriter();
  writer.toNodeStream().pipe(out);
  let rows = 0;
  let batches = 0;
  for await (const batch of stream) {
    options.signal?.throwIfAborted();
    const table = toArrowTable(batch, options.widenUnsigned ?? false);
    for (const rb of table.batches) writer.write(rb);
    rows += table.numRows;
    batches++;
  }
  writer.finish();
  await Promise.race([once(out, 'finish'), failed]);
  return { path, rows, batches, bytes: out.bytesWritten };
}

/** Write batches as Parquet with parquet-wasm's streaming writer (row groups of `rowGroupRows`). */
export async function writeParquet(
  path: string,
  stream: AsyncIterable<Batch> | Iterable<Batch>,
  options: ParquetWriteOptions = {},
): Promise<FileWriteSummary> {
  const pq = await import('parquet-wasm');
  const codec = {
    zstd: pq.Compression.ZSTD,
    snappy: pq.Compression.SNAPPY,
    gzip: pq.Compression.GZIP,
    brotli: pq.Compression.BROTLI,
    lz4: pq.Compression.LZ4_RAW,
    none: pq.Compression.UNCOMPRESSED,
  }[options.compression ?? 'zstd'];
  let rows = 0;
  let batches = 0;
  const iterator = (
    Symbol.asyncIterator in stream
      ? stream[Symbol.asyncIterator]()
      : (stream as Iterable<Batch>)[Symbol.iterator]()
  ) as AsyncIterator<Batch> | Iterator<Batch>;
  const source = new ReadableStream({
    async pull(controller) {
      options.signal?.throwIfAborted();
      const next = await iterator.next();
      if (next.done) {
        controller.close();
        return;
      }
      const table = toArrowTable(next.value, options.widenUnsigned ?? false);
      const ipc = arrow.tableToIPC(table, 'stream');
      const pqTable = pq.Table.fromIPCStream(ipc);
      for (const rb of pqTable.recordBatches()) controller.enqueue(rb);
      // The record batches share the table's Arrow buffers (reference-counted in WASM); free the table's own
      // handle now rather than whenever the JS GC finalizes it, or WASM memory grows with every batch.
      pqTable.free();
      rows += table.numRows;
      batches++;
    },
  });
  let builder = new pq.WriterPropertiesBuilder()
    .setCompression(codec)
    .setMaxRowGroupSize(options.rowGroupRows ?? 100_000)
    .setCreatedBy('hepq');
  if (options.metadata)
    builder = builder.setKeyValueMetadata(new Map([['hepq_metadata', JSON.stringify(options.metadata)]]));
  const props = builder.build();
  const bytes = await pq.transformParquetStream(source, props);
  const out = createWriteStream(path);
  try {
    await bytes.pipeTo(Writable.toWeb(out));
  } catch (err) {
    if (err instanceof HepqError || (err as Error).name === 'AbortError') throw err;
    throw outputError(path, err);
  }
  return { path, rows, batches, bytes: out.bytesWritten };
}
