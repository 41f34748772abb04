/** A pool of device buffers bucketed by usage and power-of-two size, so repeated kernels do not reallocate. */

export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  private readonly sizes = new WeakMap<GPUBuffer, { key: string; bytes: number }>();
  private readonly live = new Set<GPUBuffer>();
  /** The size asked for at the last acquire: bindings use it, so `arrayLength` in WGSL sees the data's length. */
  private readonly logical = new WeakMap<GPUBuffer, number>();
  /** Bytes held by the pool, in use or free. */
  allocatedBytes = 0;
  /** Buffers created (misses) and reused (hits), for tests and the cost model. */
  created = 0;
  reused = 0;

  constructor(private readonly device: GPUDevice) {}

  /** A buffer of at least `bytes` bytes with exactly `usage`. Its contents are undefined (clear if needed). */
  acquire(bytes: number, usage: number): GPUBuffer {
    const size = bucket(bytes);
    const key = `${usage}:${size}`;
    const list = this.free.get(key);
    const hit = list?.pop();
    if (hit) {
      this.reused++;
      this.logical.set(hit, Math.ceil(bytes / 4) * 4);
      return hit;
    }
    const buf = this.device.createBuffer({ size, usage });
    this.created++;
    this.allocatedBytes += size;
    this.sizes.set(buf, { key, bytes: size });
    this.live.add(buf);
    this.logical.set(buf, Math.ceil(bytes / 4) * 4);
    return buf;
  }

  /** Bytes of `buf` in use (its binding size). */
  sizeOf(buf: GPUBuffer): number {
    return this.logical.get(buf) ?? buf.size;
  }

  /** Returns buffers to the pool (they stay allocated on the device). */
  release(...bufs: GPUBuffer[]): void {
    for (const b of bufs) {
      const s = this.sizes.get(b);
      if (!s) continue;
      const list = this.free.get(s.key) ?? [];
      this.free.set(s.key, list);
      if (!list.includes(b)) list.push(b);
    }
  }

  /** Destroys a buffer now (the device-side column cache evicts this way). */
  drop(buf: GPUBuffer): void {
    const s = this.sizes.get(buf);
    if (!s) return;
    const list = this.free.get(s.key);
    if (list) {
      const i = list.indexOf(buf);
      if (i >= 0) list.splice(i, 1);
    }
    this.allocatedBytes -= s.bytes;
    this.sizes.delete(buf);
    this.live.delete(buf);
    buf.destroy();
  }

  /** Destroys every buffer the pool ever created. */
  clear(): void {
    for (const b of this.live) b.destroy();
    this.live.clear();
    this.free.clear();
    this.allocatedBytes = 0;
  }
}

/** Sizes rounded up to a power of two from 256 bytes (at most 2× waste, few distinct sizes). */
export function bucket(bytes: number): number {
  let s = 256;
  while (s < bytes) s *= 2;
  return s;
}
