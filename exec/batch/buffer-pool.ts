/**
 * Buffers of a scan that reuses them (`ScanOptions.reuseBuffers`), shared by the connectors: each batch takes its
 * buffers under a lease and hands them all back when the consumer has released the batch; later batches decode
 * into them (no fresh pages to fault in, nothing for the collector). At most `maxBytes` are kept free.
 */
export class BufferPool {
  private readonly free: ArrayBuffer[] = [];
  private freeBytes = 0;

  constructor(readonly maxBytes = 512 << 20) {}

  /** A buffer of `n` bytes at offset 0 (a free one not much bigger, or a new one), recorded in `lease`. */
  take(n: number, lease: ArrayBuffer[]): Uint8Array {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const size = this.free[i]!.byteLength;
      if (size >= n && size <= 2 * n + 65536 && (best < 0 || size < this.free[best]!.byteLength)) best = i;
    }
    let ab: ArrayBuffer;
    if (best >= 0) {
      ab = this.free[best]!;
      this.free[best] = this.free[this.free.length - 1]!;
      this.free.pop();
      this.freeBytes -= ab.byteLength;
    } else ab = freshAlloc(n).buffer as ArrayBuffer;
    lease.push(ab);
    return new Uint8Array(ab, 0, n);
  }

  /** The batch that viewed these buffers is released: they may be handed out again. */
  release(lease: ArrayBuffer[]): void {
    for (const ab of lease) {
      if (this.freeBytes + ab.byteLength > this.maxBytes) continue;
      this.free.push(ab);
      this.freeBytes += ab.byteLength;
    }
    lease.length = 0;
  }
}

/** Where a decode takes its output buffers from: a pool under a lease, or fresh. */
export type Alloc = (bytes: number) => Uint8Array;

/** Unpooled, not zero-filled (every byte is written before use), at byte offset 0 of its own buffer. */
export const freshAlloc: Alloc = (n) => new Uint8Array(Buffer.allocUnsafeSlow(Math.max(n, 8)).buffer, 0, n);
