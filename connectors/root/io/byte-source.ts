/** The byte-source contract and a base class that validates reads, counts them and coalesces `readMany`. */
import { HepqError } from '../../../exec/core/index.js';
import { planCoalescedReads } from './coalesce.js';

/** A byte range of a file or URL. */
export interface ByteRange {
  readonly offset: number;
  readonly length: number;
}

/** What a source has done so far: tests use it to prove coalescing and that only needed bytes are read. */
export interface ByteSourceStats {
  /** Underlying I/O operations: file reads, HTTP requests (HEAD included). */
  requests: number;
  /** Bytes transferred from the file or server (a server that ignores Range sends the whole file). */
  bytesRead: number;
}

/** Random access to the bytes of a local file, a URL or memory. */
export interface ByteSource {
  /** Path or URL (credentials and query string elided), for error messages. */
  readonly name: string;
  readonly stats: Readonly<ByteSourceStats>;
  size(): Promise<number>;
  /** Exactly `length` bytes at `offset`, or a `HepqError` `root/short-read` naming the file and offset. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Reads many ranges, merging neighbours (gap ≤ `coalesceGap`) into fewer reads; views in input order. */
  readMany(ranges: readonly ByteRange[]): Promise<Uint8Array[]>;
  /**
   * The caller is done with every view `readMany` gave it in one call (nothing keeps them): the source may
   * reuse their memory for later reads. Optional; sources that hand out shared memory ignore it.
   */
  recycle?(views: readonly Uint8Array[]): void;
  close(): Promise<void>;
}

/** Options common to every source. */
export interface ByteSourceOptions {
  /** Ranges whose gap is at most this many bytes are read together (default 64 KiB). */
  readonly coalesceGap?: number;
  /** Do not grow a coalesced read beyond this many bytes (default 32 MiB; one bigger range is still one read). */
  readonly maxCoalescedBytes?: number;
  /** Extra HTTP request headers (e.g. `Authorization`; not sent on to another origin by a redirect). */
  readonly headers?: Record<string, string>;
  /**
   * The URL must lie under one of these prefixes (same origin, path prefix; else `io/url-refused`), and HTTP
   * redirects are followed (at most 5 in a row) only to URLs under them; any other target is refused with
   * `io/redirect-refused`. Default: any http(s) URL, any http(s) redirect target.
   */
  readonly redirectPrefixes?: readonly string[];
  /** Cancels pending and future reads. */
  readonly signal?: AbortSignal;
  /**
   * Local files: a synchronous read slower than this many ms counts as slow (default 2); two slow ones in a batch
   * send the source's reads through the thread pool (`FileSource.readMany`).
   */
  readonly slowReadMs?: number;
}

export const DEFAULT_COALESCE_GAP = 64 * 1024;
export const DEFAULT_MAX_COALESCED_BYTES = 32 * 1024 * 1024;

/** Shared behaviour: argument checks, closed state, zero-length reads, coalesced `readMany`. */
export abstract class BaseByteSource implements ByteSource {
  readonly stats: ByteSourceStats = { requests: 0, bytesRead: 0 };
  protected closed = false;
  protected readonly coalesceGap: number;
  protected readonly maxCoalescedBytes: number;
  protected readonly signal: AbortSignal | undefined;
  /** How many coalesced reads `readMany` keeps in flight at once. */
  protected readonly concurrency: number = 4;

  constructor(
    readonly name: string,
    options: ByteSourceOptions = {},
  ) {
    this.coalesceGap = options.coalesceGap ?? DEFAULT_COALESCE_GAP;
    this.maxCoalescedBytes = options.maxCoalescedBytes ?? DEFAULT_MAX_COALESCED_BYTES;
    this.signal = options.signal;
    if (!(this.coalesceGap >= 0)) throw new RangeError(`coalesceGap must be ≥ 0, got ${this.coalesceGap}`);
  }

  abstract size(): Promise<number>;

  /** Reads exactly `length` (> 0) bytes at `offset` or throws; arguments are already checked. */
  protected abstract readRange(offset: number, length: number): Promise<Uint8Array>;

  protected abstract release(): Promise<void>;

  async read(offset: number, length: number): Promise<Uint8Array> {
    this.checkRange(offset, length);
    if (length === 0) return new Uint8Array(0);
    return this.readRange(offset, length);
  }

  async readMany(ranges: readonly ByteRange[]): Promise<Uint8Array[]> {
    for (const r of ranges) this.checkRange(r.offset, r.length);
    const spans = planCoalescedReads(ranges, this.coalesceGap, this.maxCoalescedBytes);
    const out = new Array<Uint8Array>(ranges.length);
    for (let i = 0; i < ranges.length; i++) if (ranges[i]!.length === 0) out[i] = new Uint8Array(0);
    let next = 0;
    let failed = false;
    const worker = async () => {
      while (next < spans.length && !failed) {
        const span = spans[next++]!;
        const bytes = await this.readRange(span.offset, span.length).catch((err: unknown) => {
          failed = true; // stop the other workers from starting more reads
          throw err;
        });
        for (const i of span.members) {
          const r = ranges[i]!;
          const start = r.offset - span.offset;
          out[i] = bytes.subarray(start, start + r.length);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, spans.length) }, worker));
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.release();
  }

  protected checkRange(offset: number, length: number): void {
    if (this.closed) {
      throw new HepqError('io/closed', `${this.name} is closed`, {
        location: { file: this.name, offset },
        hint: 'open the source again; reads are not allowed after close()',
      });
    }
    this.signal?.throwIfAborted();
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
      throw new HepqError('io/bad-range', `invalid byte range (offset ${offset}, length ${length})`, {
        location: { file: this.name },
      });
    }
  }

  protected shortRead(offset: number, length: number, got: number, size?: number): HepqError {
    const sizeText = size === undefined ? '' : ` (file size ${size})`;
    return new HepqError(
      'root/short-read',
      `wanted ${length} bytes at offset ${offset} of ${this.name}, got ${got}${sizeText}`,
      {
        location: { file: this.name, offset },
        hint: 'the file is truncated (an incomplete copy or download?), or an offset inside it is wrong',
      },
    );
  }
}
