/** Runs a fused kernel over a connector table: scan, chunk to the binding limit, upload (or reuse), dispatch, read back. */
import type { ConnectorTable } from '../../../connectors/api.js';
import type { LogicalPlan } from '../../../planner/ir/index.js';
import { type Column, concatColumns, HepqError } from '../../batch/index.js';
import type { KernelHistogram } from '../binning.js';
import type { DeviceColumnCache } from '../column-cache.js';
import type { GpuDevice } from '../device.js';
import {
  compactOnDevice,
  createDeviceHistogram,
  gatherOnDevice,
  readDeviceHistogram,
} from '../gpu-kernels.js';
import { WG } from '../wgsl.js';
import { extractSlot } from './columns.js';
import { compileFusedKernel, type FusedKernel } from './compile-kernel.js';

export type FusedResult =
  | { readonly kind: 'histogram'; readonly histogram: KernelHistogram; readonly stats: FusedStats }
  | { readonly kind: 'values'; readonly values: Float32Array | Int32Array; readonly stats: FusedStats };

export interface FusedStats {
  readonly events: number;
  readonly chunks: number;
  readonly uploadedBytes: number;
  readonly residentBytes: number;
}

export interface FusedRunOptions {
  readonly cache?: DeviceColumnCache;
  readonly signal?: AbortSignal;
  /** Entry range [start, stop) passed to the scan (a Session's morsel or `--start/--stop`). */
  readonly range?: { readonly start: number; readonly stop: number };
  /** Below the device limit to force chunking (tests). */
  readonly maxBindingBytes?: number;
}

const tableIds = new WeakMap<ConnectorTable, number>();
let nextTableId = 0;

/** A stable key of a table object within this process (device cache keys start with `${key}|${slot.key}|`). */
export function tableKeyOf(table: ConnectorTable): string {
  let id = tableIds.get(table);
  if (id === undefined) {
    id = nextTableId++;
    tableIds.set(table, id);
  }
  return String(id);
}

/** Event ranges [start, stop) such that `fits(start, stop)` (every packed binding within the device limit). */
export function chunkEvents(
  events: number,
  fits: (start: number, stop: number) => boolean,
  maxEvents: number,
): [number, number][] {
  const out: [number, number][] = [];
  let s = 0;
  while (s < events) {
    let lo = s + 1;
    let hi = Math.min(events, s + maxEvents);
    if (!fits(s, lo))
      throw new HepqError(
        'gpu/unsupported',
        `event ${s} alone holds more values than one GPU binding allows`,
      );
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (fits(s, mid)) lo = mid;
      else hi = mid - 1;
    }
    out.push([s, lo]);
    s = lo;
  }
  return out;
}

/** Cache-key prefixes of a kernel's packed f32 and i32 columns over `table` (all chunks). */
export function packPrefixes(kernel: FusedKernel, table: ConnectorTable): string[] {
  const t = tableKeyOf(table);
  return (['f32', 'i32'] as const).map(
    (ty) =>
      `${t}|${ty}:${kernel.slots
        .filter((s) => s.type === ty)
        .map((s) => s.key)
        .join(',')}|`,
  );
}

/** Compiles and runs `plan` on the GPU; throws HepqError('gpu/unsupported') for plans it cannot fuse. */
export async function runFusedPlan(
  plan: LogicalPlan,
  table: ConnectorTable,
  gpu: GpuDevice,
  options: FusedRunOptions = {},
): Promise<FusedResult> {
  const kernel = compileFusedKernel(plan, table.schema());
  return runFusedKernel(kernel, table, gpu, options);
}

export async function runFusedKernel(
  kernel: FusedKernel,
  table: ConnectorTable,
  gpu: GpuDevice,
  options: FusedRunOptions = {},
): Promise<FusedResult> {
  if (kernel.storageBuffers > gpu.maxStorageBuffers)
    throw new HepqError(
      'gpu/unsupported',
      `the fused kernel binds ${kernel.storageBuffers} storage buffers; the device allows ${gpu.maxStorageBuffers}`,
    );
  // Scan only the columns the kernel reads, and join the batches.
  const columns = [...new Set(kernel.slots.map((s) => s.column))];
  const parts = columns.map(() => [] as Column[]);
  let events = 0;
  const scan = table.scan({
    columns,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.range ? { range: options.range } : {}),
  });
  for await (const b of scan) {
    if (b.selection) throw new HepqError('gpu/unsupported', 'batches with a selection vector');
    columns.forEach((c, i) => {
      const at = b.schema.fields.findIndex((f) => f.name === c);
      parts[i]!.push(b.columns[at]!);
    });
    events += b.length;
  }
  const joined = new Map(columns.map((c, i) => [c, parts[i]!.length ? concatColumns(parts[i]!) : undefined]));
  const host = kernel.slots.map((s) => {
    const col = joined.get(s.column);
    return col ? extractSlot(s, col) : s.type === 'f32' ? new Float32Array(0) : new Int32Array(0);
  });
  // A jagged values slot is sliced by its own column's offsets (a Jet_* group indexes by its first member's).
  const listOffsets = kernel.slots.map((s) => {
    const col = joined.get(s.column);
    return s.role === 'values' && col?.kind === 'list' ? col.offsets : undefined;
  });
  const maxElems = Math.floor(Math.min(options.maxBindingBytes ?? Infinity, gpu.maxBindingBytes) / 4);
  /** Words slot i occupies for events [s, e). */
  const words = (i: number, s: number, e: number): number => {
    if (kernel.slots[i]!.role === 'offsets') return e - s + 1;
    const off = listOffsets[i];
    return off ? off[e]! - off[s]! : e - s;
  };
  const packedWords = (ty: 'f32' | 'i32', s: number, e: number) =>
    kernel.slots.reduce((a, sl, i) => a + (sl.type === ty ? words(i, s, e) : 0), 0);
  const fits = (s: number, e: number) =>
    packedWords('f32', s, e) <= maxElems && packedWords('i32', s, e) <= maxElems;
  const chunks = events ? chunkEvents(events, fits, maxElems - 1) : [];
  const pipeline = await gpu.pipeline(kernel.code);
  const prefixes = packPrefixes(kernel, table);
  const hist =
    kernel.output.kind === 'hist'
      ? createDeviceHistogram(gpu, kernel.output.axes, kernel.output.weighted)
      : undefined;
  const outParts: ArrayBuffer[] = [];
  let uploadedBytes = 0;
  let residentBytes = 0;
  for (const [s, e] of chunks) {
    options.signal?.throwIfAborted();
    const n = e - s;
    const owned: GPUBuffer[] = [];
    const slice = (i: number): Int32Array | Float32Array => {
      const a = host[i]!;
      if (kernel.slots[i]!.role === 'offsets') {
        const o = (a as Int32Array).subarray(s, e + 1);
        return o[0] === 0 ? o : o.map((x) => x - o[0]!);
      }
      // Values of an event-level column are indexed by event; of a jagged one by its offsets.
      const off = listOffsets[i];
      return off ? a.subarray(off[s]! - off[0]!, off[e]! - off[0]!) : a.subarray(s, e);
    };
    // Word offset of each slot within its type's packed buffer.
    const bases = new Uint32Array(Math.max(1, kernel.slots.length));
    const totals = { f32: 0, i32: 0 };
    kernel.slots.forEach((sl, i) => {
      bases[i] = totals[sl.type];
      totals[sl.type] += words(i, s, e);
    });
    const pack = (ty: 'f32' | 'i32') => () => {
      const out = ty === 'f32' ? new Float32Array(totals.f32) : new Int32Array(totals.i32);
      kernel.slots.forEach((sl, i) => {
        if (sl.type === ty) out.set(slice(i), bases[i]!);
      });
      return out;
    };
    const bufs: GPUBuffer[] = [];
    for (const [k, ty] of (['f32', 'i32'] as const).entries()) {
      if (!kernel.packed[ty]) continue;
      if (options.cache) {
        const before = options.cache.uploadedBytes;
        const buf = options.cache.get(`${prefixes[k]}${s}-${e}`, pack(ty));
        if (options.cache.uploadedBytes === before) residentBytes += gpu.pool.sizeOf(buf);
        uploadedBytes += options.cache.uploadedBytes - before;
        bufs.push(buf);
      } else {
        const data = pack(ty)();
        uploadedBytes += data.byteLength;
        const buf = gpu.upload(data);
        owned.push(buf);
        bufs.push(buf);
      }
    }
    if (kernel.slots.length) {
      const b = gpu.upload(bases);
      owned.push(b);
      bufs.push(b);
    }
    const p = gpu.uniform(new Uint32Array([n, gpu.gridWidth(n, WG), 0, 0]));
    owned.push(p);
    if (hist) gpu.dispatch(pipeline, [...bufs, ...hist.buffers, p], n, WG);
    else {
      const val = gpu.zeros(n * 4);
      const mask = gpu.zeros(n * 4);
      gpu.dispatch(pipeline, [...bufs, val, mask, p], n, WG);
      const { indices, count } = await compactOnDevice(gpu, mask, n);
      outParts.push(await gatherOnDevice(gpu, indices, val, count));
      owned.push(val, mask, indices);
    }
    options.cache?.evict();
    gpu.pool.release(...owned);
  }
  const stats: FusedStats = { events, chunks: chunks.length, uploadedBytes, residentBytes };
  if (hist) return { kind: 'histogram', histogram: await readDeviceHistogram(gpu, hist), stats };
  await gpu.finish();
  gpu.checkErrors();
  const total = outParts.reduce((a, b) => a + b.byteLength, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const part of outParts) {
    bytes.set(new Uint8Array(part), at);
    at += part.byteLength;
  }
  const values =
    kernel.output.kind === 'values' && kernel.output.type === 'f32'
      ? new Float32Array(bytes.buffer)
      : new Int32Array(bytes.buffer);
  return { kind: 'values', values, stats };
}
