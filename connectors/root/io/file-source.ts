/** A byte source over a local file: positioned reads through one `FileHandle`, only the ranges asked for. */
import { type FileHandle, open } from 'node:fs/promises';
import { HepqError } from '../../../exec/core/index.js';
import { BaseByteSource, type ByteSourceOptions } from './byte-source.js';

/** At most this many bytes of recycled read buffers are kept for reuse. */
const POOL_BYTES = 64 * 1024 * 1024;

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
        throw new HepqError(
          'io/read-failed',
          `cannot read ${this.name} at offset ${offset + done}: ${message(err)}`,
          {
            location: { file: this.name, offset: offset + done },
            cause: err,
          },
        );
      }
      this.stats.bytesRead += n;
      if (n === 0) throw this.shortRead(offset, length, done, this.fileSize); // shrank while open
      done += n;
    }
    return out;
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
