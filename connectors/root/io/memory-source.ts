/** A byte source over bytes already in memory (tests, generated data, a fully downloaded file). */
import { BaseByteSource, type ByteSourceOptions } from './byte-source.js';

/** Reads are zero-copy views of `bytes`; `stats` count them as if they were I/O. */
export class MemorySource extends BaseByteSource {
  constructor(
    private readonly bytes: Uint8Array,
    name = 'memory',
    options: ByteSourceOptions = {},
  ) {
    super(name, options);
  }

  async size(): Promise<number> {
    return this.bytes.length;
  }

  protected async readRange(offset: number, length: number): Promise<Uint8Array> {
    this.stats.requests++;
    const end = Math.min(offset + length, this.bytes.length);
    const got = Math.max(0, end - offset);
    this.stats.bytesRead += got;
    if (got < length) throw this.shortRead(offset, length, got, this.bytes.length);
    return this.bytes.subarray(offset, end);
  }

  protected async release(): Promise<void> {}
}
