/** Placement by cost: GPU terms measured at start-up, and the CPU-or-GPU decision for one fused pipeline, with its reason. */

import { mb, ms } from '../core/index.js';
import { edgeThresholds } from './binning.js';
import type { GpuDevice } from './device.js';
import { createDeviceHistogram, readDeviceHistogram } from './gpu-kernels.js';
import { histKernelWgsl, WG } from './wgsl.js';

/** Rates measured on a device (seconds and bytes). */
export interface GpuCosts {
  readonly uploadBytesPerSec: number;
  readonly readbackBytesPerSec: number;
  /** Fixed cost of one kernel launch including submit and completion. */
  readonly launchSec: number;
  /** Elements per second of a fused filter + histogram-fill kernel. */
  readonly elementsPerSec: number;
  readonly device: string;
  readonly software: boolean;
}

export interface CpuCosts {
  /** Elements per second of the same work in a generated JavaScript loop. */
  readonly elementsPerSec: number;
}

/** What the planner knows of a pipeline before running it. */
export interface PipelineEstimate {
  /** Values the kernel reads (events plus jagged elements, summed over columns). */
  readonly elements: number;
  /** Bytes of input columns. */
  readonly inputBytes: number;
  /** Bytes of those already resident in the device's column cache. */
  readonly residentBytes?: number;
  /** Bytes read back (histogram slots, compacted outputs). */
  readonly outputBytes: number;
  /** Kernel launches (chunks × kernels per chunk). */
  readonly launches: number;
  /** Why the pipeline cannot run on the GPU (unsupported expression), when it cannot. */
  readonly unsupported?: string;
}

export type DeviceChoice = 'cpu' | 'gpu' | 'auto';

export interface Placement {
  readonly device: 'cpu' | 'gpu';
  /** One line for `explain`: the estimate of both sides, or why the choice was forced. */
  readonly reason: string;
  readonly cpuSec?: number;
  readonly gpuSec?: number;
}

/** Estimated seconds of a pipeline on the GPU, with its terms. */
export function gpuSeconds(e: PipelineEstimate, g: GpuCosts): { total: number; terms: string } {
  const upload = Math.max(0, e.inputBytes - (e.residentBytes ?? 0));
  const tUp = upload / g.uploadBytesPerSec;
  const tLaunch = e.launches * g.launchSec;
  const tRun = e.elements / g.elementsPerSec;
  const tBack = e.outputBytes / g.readbackBytesPerSec;
  const resident = e.residentBytes ? `, ${mb(e.residentBytes)} resident` : '';
  return {
    total: tUp + tLaunch + tRun + tBack,
    terms: `upload ${mb(upload)} ${ms(tUp)}${resident}, ${e.launches} launches ${ms(tLaunch)}, compute ${ms(tRun)}, readback ${ms(tBack)}`,
  };
}

/**
 * Places one fused pipeline: `--device cpu|gpu` forces (gpu falls back to the CPU, saying why, when there is no
 * adapter or the pipeline has an unsupported expression); `auto` compares the estimated seconds.
 */
export function placePipeline(
  e: PipelineEstimate,
  ctx: {
    readonly gpu?: GpuCosts;
    readonly noGpuReason?: string;
    readonly cpu: CpuCosts;
    readonly choice?: DeviceChoice;
  },
): Placement {
  const choice = ctx.choice ?? 'auto';
  const cpuSec = e.elements / ctx.cpu.elementsPerSec;
  if (choice === 'cpu') return { device: 'cpu', reason: 'cpu: forced by --device cpu', cpuSec };
  if (!ctx.gpu) return { device: 'cpu', reason: `cpu: ${ctx.noGpuReason ?? 'no GPU adapter'}`, cpuSec };
  if (e.unsupported) return { device: 'cpu', reason: `cpu: not offloadable (${e.unsupported})`, cpuSec };
  const g = gpuSeconds(e, ctx.gpu);
  const cmp = `gpu ${ms(g.total)} (${g.terms}) vs cpu ${ms(cpuSec)}`;
  if (choice === 'gpu')
    return { device: 'gpu', reason: `gpu: forced by --device gpu; ${cmp}`, cpuSec, gpuSec: g.total };
  return g.total < cpuSec
    ? { device: 'gpu', reason: `gpu: cheaper, ${cmp}`, cpuSec, gpuSec: g.total }
    : { device: 'cpu', reason: `cpu: cheaper, ${cmp}`, cpuSec, gpuSec: g.total };
}

/** Measures the GPU terms on `gpu` (~0.1–0.5 s; call once per session). */
export async function measureGpuCosts(gpu: GpuDevice, elements = 1 << 21): Promise<GpuCosts> {
  const data = new Float32Array(elements);
  for (let i = 0; i < elements; i++) data[i] = (i * 0.618034) % 100;
  const bytes = data.byteLength;
  // Warm-up: compile the kernel, touch the pool.
  const axes = [{ bins: 100, lo: 0, hi: 100 }];
  const pipe = await gpu.pipeline(histKernelWgsl(1, false, [axes[0]!.bins]));
  edgeThresholds(axes[0]!);
  let t = performance.now();
  const buf = gpu.upload(data);
  await gpu.finish();
  const uploadSec = (performance.now() - t) / 1e3;
  t = performance.now();
  await gpu.readback(buf, bytes);
  const readbackSec = (performance.now() - t) / 1e3;
  const h = createDeviceHistogram(gpu, axes, false);
  const p = gpu.uniform(new Uint32Array([1, gpu.gridWidth(1, WG), 0, 0]));
  const reps = 5;
  t = performance.now();
  for (let r = 0; r < reps; r++) {
    gpu.dispatch(pipe, [buf, ...h.buffers, p], 1, WG);
    await gpu.finish();
  }
  const launchSec = (performance.now() - t) / 1e3 / reps;
  const pn = gpu.uniform(new Uint32Array([elements, gpu.gridWidth(elements, WG), 0, 0]));
  t = performance.now();
  gpu.dispatch(pipe, [buf, ...h.buffers, pn], elements, WG);
  await gpu.finish();
  const runSec = Math.max(1e-6, (performance.now() - t) / 1e3 - launchSec);
  await readDeviceHistogram(gpu, h);
  gpu.pool.release(buf, p, pn);
  return {
    uploadBytesPerSec: bytes / Math.max(uploadSec, 1e-6),
    readbackBytesPerSec: bytes / Math.max(readbackSec, 1e-6),
    launchSec,
    elementsPerSec: elements / runSec,
    device: gpu.info.device || gpu.info.description,
    software: gpu.info.software,
  };
}

/** Measures the CPU side of the same work: a float32 filter + histogram fill loop. */
export function measureCpuCosts(elements = 1 << 21): CpuCosts {
  const data = new Float32Array(elements);
  for (let i = 0; i < elements; i++) data[i] = (i * 0.618034) % 100;
  const counts = new Float64Array(100);
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    for (let i = 0; i < elements; i++) {
      const v = data[i]!;
      if (v > 1) {
        const b = Math.floor(v);
        if (b >= 0 && b < 100) counts[b]++;
      }
    }
    best = Math.min(best, performance.now() - t);
  }
  return { elementsPerSec: elements / Math.max(best / 1e3, 1e-6) };
}
