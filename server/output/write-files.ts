/** Streams batches to Parquet (one row group encoded at a time, appended) and Arrow IPC files, never holding them all. */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { type FileHandle, open, rm } from 'node:fs/promises';
import * as arrow from 'apache-arrow';
import { ParquetAppender } from '../../connectors/parquet/index.js';
import { type Batch, emptyColumn, HepqError, sliceColumn } from '../../exec/batch/index.js';
import { batchArrowTable, parquetRefusal } from './encode.js';

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

/**
 * Write batches as Parquet in bounded memory: rows are gathered into row groups of `rowGroupRows`, each row
 * group is encoded alone by parquet-wasm (`writeParquet` of a one-row-group table) and its bytes appended to
 * the file at once; only the row groups' metadata is kept until the footer (`ParquetAppender`). So the peak
 * memory is that of one row group, whatever the size of the output.
 */
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
  const groupRows = Math.max(1, options.rowGroupRows ?? 100_000);
  // Properties are consumed by each write, so they are built per row group.
  const props = () => {
    // No dictionary encoding: event data is mostly distinct floats, whose whole chunk would otherwise go into
    // one dictionary with 17-bit indices; PLAIN pages are smaller before compression and read as a copy.
    let builder = new pq.WriterPropertiesBuilder()
      .setCompression(codec)
      .setDictionaryEnabled(false)
      .setMaxRowGroupSize(groupRows)
      .setCreatedBy('hepq');
    if (options.metadata)
      builder = builder.setKeyValueMetadata(new Map([['hepq_metadata', JSON.stringify(options.metadata)]]));
    return builder.build();
  };
  const widen = options.widenUnsigned ?? false;
  const appender = new ParquetAppender();
  let file: FileHandle;
  try {
    file = await open(path, 'w');
  } catch (err) {
    throw outputError(path, err);
  }
  let bytes = 0;
  const write = async (b: Uint8Array) => {
    try {
      await file.write(b);
    } catch (err) {
      throw outputError(path, err);
    }
    bytes += b.length;
  };
  /** Encodes these pieces (together `groupRows` rows or the last, shorter group) as one row group. */
  const encode = async (pieces: Batch[]) => {
    const batches = pieces.flatMap((b) => toArrowTable(b, widen).batches);
    const table = new arrow.Table(batches);
    const refused = parquetRefusal(table.schema, path);
    if (refused) throw refused;
    const encoded = pq.writeParquet(pq.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), props());
    for (const range of appender.add(encoded)) await write(range);
  };
  let rows = 0;
  let batches = 0;
  let pending: Batch[] = [];
  let pendingRows = 0;
  let last: Batch | undefined;
  let complete = false;
  try {
    await write(appender.header());
    for await (const batch of stream) {
      options.signal?.throwIfAborted();
      batches++;
      rows += batch.length;
      last = batch;
      let b = batch;
      while (pendingRows + b.length >= groupRows) {
        const take = groupRows - pendingRows;
        pending.push(sliceBatch(b, 0, take));
        await encode(pending);
        pending = [];
        pendingRows = 0;
        b = sliceBatch(b, take, b.length);
      }
      if (b.length > 0) {
        pending.push(b);
        pendingRows += b.length;
      }
    }
    if (pendingRows > 0) await encode(pending);
    // No rows at all: one empty row group carries the schema (as the streaming writer's file did), from the
    // last (empty) batch or, when there was none, the stream's own schema.
    else if (rows === 0) {
      const schema = last?.schema ?? (stream as { schema?: Batch['schema'] }).schema;
      if (schema)
        await encode([{ schema, columns: schema.fields.map((f) => emptyColumn(f.type)), length: 0 }]);
    }
    const footer = appender.footer();
    if (!footer)
      throw new HepqError('output/empty', `nothing to write to ${path}: the query gave no batches`, {
        location: { file: path },
      });
    await write(footer);
    complete = true;
  } finally {
    await file.close();
    // a failed or cancelled write leaves no truncated file behind
    if (!complete) await rm(path, { force: true }).catch(() => {});
  }
  return { path, rows, batches, bytes };
}

/** Rows [start, stop) of a batch (columns shared, list offsets normalised when written). */
function sliceBatch(b: Batch, start: number, stop: number): Batch {
  if (start === 0 && stop === b.length) return b;
  return {
    schema: b.schema,
    columns: b.columns.map((c) => sliceColumn(c, start, stop)),
    length: stop - start,
  };
}
