/** Device-resident columns kept across the queries of a session, evicted least-recently-used beyond a byte bound. */
import type { GpuDevice } from './device.js';

interface Entry {
  readonly buffer: GPUBuffer;
  readonly bytes: number;
}

export class DeviceColumnCache {
  private readonly entries = new Map<string, Entry>();
  bytes = 0;
  hits = 0;
  misses = 0;
  /** Bytes uploaded through the cache (misses only). */
  uploadedBytes = 0;

  constructor(
    readonly gpu: GpuDevice,
    readonly maxBytes = 256 * 1024 * 1024,
  ) {}

  /** The buffer for `key`, uploading `make()` on a miss. Cached buffers belong to the cache, never the pool. */
  get(key: string, make: () => ArrayBufferView): GPUBuffer {
    const e = this.entries.get(key);
    if (e) {
      this.hits++;
      this.entries.delete(key);
      this.entries.set(key, e); // most recent last
      return e.buffer;
    }
    this.misses++;
    const data = make();
    const buffer = this.gpu.upload(data);
    const bytes = this.gpu.pool.sizeOf(buffer);
    this.uploadedBytes += data.byteLength;
    this.entries.set(key, { buffer, bytes });
    this.bytes += bytes;
    return buffer;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Bytes resident under keys starting with `prefix` (a table's column, all chunks). */
  residentWithPrefix(prefix: string): number {
    let n = 0;
    for (const [k, e] of this.entries) if (k.startsWith(prefix)) n += e.bytes;
    return n;
  }

  /** Bytes of the given keys already resident (for the cost model). */
  residentBytes(keys: Iterable<string>): number {
    let n = 0;
    for (const k of keys) n += this.entries.get(k)?.bytes ?? 0;
    return n;
  }

  /** Drops least-recently-used entries beyond the bound (call after the dispatch that used them is submitted). */
  evict(): void {
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes || this.entries.size <= 1) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
      this.gpu.pool.drop(e.buffer);
    }
  }

  clear(): void {
    for (const e of this.entries.values()) this.gpu.pool.drop(e.buffer);
    this.entries.clear();
    this.bytes = 0;
  }
}
