/** A byte source over a local file: positioned reads through one `FileHandle`, only the ranges asked for. */
import { readSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { HepqError } from '../../../exec/core/index.js';
import { BaseByteSource, type ByteRange, type ByteSourceOptions } from './byte-source.js';
import { planCoalescedReads } from './coalesce.js';

/** At most this many bytes of recycled read buffers are kept for reuse. */
const POOL_BYTES = 64 * 1024 * 1024;
/** A scan reading synchronously lets the event loop run after at most this many ms (timers, input, aborts). */
const YIELD_MS = 20;
/** A `readMany` of at most this many bytes in all may read synchronously (see `readMany`). */
const SYNC_BATCH_BYTES = 8 * 1024 * 1024;
/**
 * A synchronous read slower than this (ms) waited for storage, or was preempted on a busy machine: SLOW_READS
 * of them in one batch (a batch of page-cache reads takes well under a millisecond, so preemption hits it once
 * at most) send reads through the thread pool.
 */
const SLOW_READ_MS = 2;
const SLOW_READS = 2;

/**
 * Local file; open with `FileSource.open(path)` so a missing or unreadable file fails at once. Read buffers
 * handed back through `recycle` (compressed baskets, once decompressed) are reused by later reads, which
 * spares the allocator and the garbage collector a buffer per basket.
 */
export class FileSource extends BaseByteSource {
  /** Buffers this source allocated (only those may be recycled) and the free ones. */
  private readonly mine = new WeakSet<ArrayBuffer>();
  private readonly free: ArrayBuffer[] = [];
  private freeBytes = 0;

  private constructor(
    path: string,
    private readonly handle: FileHandle,
    private readonly fileSize: number,
    options: ByteSourceOptions,
  ) {
    super(path, options);
    this.slowReadMs = options.slowReadMs ?? SLOW_READ_MS;
  }

  static async open(path: string, options: ByteSourceOptions = {}): Promise<FileSource> {
    options.signal?.throwIfAborted();
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (err) {
      throw openError(path, err);
    }
    try {
      const st = await handle.stat();
      if (!st.isFile()) {
        throw new HepqError('io/not-a-file', `${path} is not a regular file`, {
          location: { file: path },
          hint: st.isDirectory() ? 'give the path of a .root file inside this directory' : undefined,
        });
      }
      return new FileSource(path, handle, st.size, options);
    } catch (err) {
      await handle.close();
      throw err instanceof HepqError ? err : openError(path, err);
    }
  }

  async size(): Promise<number> {
    return this.fileSize;
  }

  private readonly slowReadMs: number;
  /** False once synchronous reads were slow: every later `readMany` goes through the thread pool. */
  private syncReads = true;
  /** Slow synchronous reads in the current batch. */
  private slowReads = 0;
  /** When a synchronous `readMany` last let the event loop run (see YIELD_MS). */
  private lastYield = performance.now();

  /**
   * Small batches of ranges (a scan's baskets: thousands of 1–10 kB reads) are read with synchronous `pread`s
   * while the file's pages are in memory: each costs a copy of a few µs, where an asynchronous read costs a
   * thread-pool round trip (a wake-up, a completion, a promise: ~10 µs of CPU, more than the copy). That blocks
   * the event loop only while reads are that fast: SLOW_READS reads of one batch slower than SLOW_READ_MS
   * (the bytes came from a disk or a network file system) send the rest of the batch, and every later one,
   * through the thread pool.
   */
  override async readMany(ranges: readonly ByteRange[]): Promise<Uint8Array[]> {
    if (!this.syncReads) return super.readMany(ranges);
    let total = 0;
    for (const r of ranges) {
      this.checkRange(r.offset, r.length);
      total += r.length;
    }
    if (total > SYNC_BATCH_BYTES) return super.readMany(ranges);
    this.slowReads = 0;
    const spans = planCoalescedReads(ranges, this.coalesceGap, this.maxCoalescedBytes);
    const out = new Array<Uint8Array>(ranges.length);
    for (let i = 0; i < ranges.length; i++) if (ranges[i]!.length === 0) out[i] = new Uint8Array(0);
    for (const span of spans) {
      const bytes = this.syncReads
        ? this.readRangeSync(span.offset, span.length)
        : await this.readRange(span.offset, span.length);
      for (const i of span.members) {
        const start = ranges[i]!.offset - span.offset;
        out[i] = bytes.subarray(start, start + ranges[i]!.length);
      }
    }
    // Synchronous reads never leave the event loop: a long scan would not see Ctrl-C in the REPL, an abort, or
    // another HTTP request until it ended. Let it run at least every YIELD_MS.
    const now = performance.now();
    if (now - this.lastYield > YIELD_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.lastYield = performance.now();
    }
    return out;
  }

  /** `readRange` with synchronous `pread`s; turns `syncReads` off when a read is slow. */
  private readRangeSync(offset: number, length: number): Uint8Array {
    if (offset + length > this.fileSize) {
      throw this.shortRead(offset, length, Math.max(0, this.fileSize - offset), this.fileSize);
    }
    const out = this.take(length);
    let done = 0;
    while (done < length) {
      let n: number;
      const t0 = performance.now();
      try {
        this.stats.requests++;
        n = readSync(this.handle.fd, out, done, length - done, offset + done);
      } catch (err) {
        throw this.readFailed(offset + done, err);
      }
      if (performance.now() - t0 > this.slowReadMs && ++this.slowReads >= SLOW_READS) this.syncReads = false;
      this.stats.bytesRead += n;
      if (n === 0) throw this.shortRead(offset, length, done, this.fileSize); // shrank while open
      done += n;
    }
    return out;
  }

  protected async readRange(offset: number, length: number): Promise<Uint8Array> {
    if (offset + length > this.fileSize) {
      throw this.shortRead(offset, length, Math.max(0, this.fileSize - offset), this.fileSize);
    }
    const out = this.take(length);
    let done = 0;
    while (done < length) {
      this.signal?.throwIfAborted();
      let n: number;
      try {
        this.stats.requests++;
        ({ bytesRead: n } = await this.handle.read(out, done, length - done, offset + done));
      } catch (err) {
        throw this.readFailed(offset + done, err);
      }
      this.stats.bytesRead += n;
      if (n === 0) throw this.shortRead(offset, length, done, this.fileSize); // shrank while open
      done += n;
    }
    return out;
  }

  private readFailed(offset: number, err: unknown): HepqError {
    return new HepqError('io/read-failed', `cannot read ${this.name} at offset ${offset}: ${message(err)}`, {
      location: { file: this.name, offset },
      cause: err,
    });
  }

  /** A buffer for `length` bytes at byte offset 0: a recycled one not more than twice as big, or a new one. */
  private take(length: number): Uint8Array {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const n = this.free[i]!.byteLength;
      if (n >= length && n <= 2 * length + 65536 && (best < 0 || n < this.free[best]!.byteLength)) best = i;
    }
    if (best >= 0) {
      const ab = this.free.splice(best, 1)[0]!;
      this.freeBytes -= ab.byteLength;
      return new Uint8Array(ab, 0, length);
    }
    // Not zero-filled (every byte is read), unpooled by Node, at byte offset 0.
    const ab = Buffer.allocUnsafeSlow(length).buffer as ArrayBuffer;
    this.mine.add(ab);
    return new Uint8Array(ab, 0, length);
  }

  recycle(views: readonly Uint8Array[]): void {
    for (const v of views) {
      const ab = v.buffer as ArrayBuffer;
      if (!this.mine.has(ab) || this.free.includes(ab)) continue;
      if (this.freeBytes + ab.byteLength > POOL_BYTES) continue;
      this.free.push(ab);
      this.freeBytes += ab.byteLength;
    }
  }

  protected release(): Promise<void> {
    this.free.length = 0;
    this.freeBytes = 0;
    return this.handle.close();
  }
}

function openError(path: string, err: unknown): HepqError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const location = { file: path };
  switch (code) {
    case 'ENOENT':
      return new HepqError('io/not-found', `file not found: ${path}`, {
        location,
        hint: 'check the path (relative paths are resolved from the current directory)',
        cause: err,
      });
    case 'EACCES':
    case 'EPERM':
      return new HepqError('io/permission-denied', `no permission to read ${path}`, { location, cause: err });
    case 'EISDIR':
      return new HepqError('io/not-a-file', `${path} is a directory`, { location, cause: err });
    default:
      return new HepqError('io/open-failed', `cannot open ${path}: ${message(err)}`, {
        location,
        cause: err,
      });
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
