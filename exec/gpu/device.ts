/** WebGPU device discovery (Dawn's Node bindings): a hardware adapter at the core level, else llvmpipe via OpenGL ES. */
import { HepqError } from '../batch/index.js';
import { BufferPool } from './buffer-pool.js';

/** GPUBufferUsage / GPUMapMode bit values (the WebGPU spec's; Node has no such globals). */
export const USAGE = {
  MAP_READ: 1,
  COPY_SRC: 4,
  COPY_DST: 8,
  UNIFORM: 64,
  STORAGE: 128,
} as const;
const MAP_READ_MODE = 1;

export interface GpuAdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** 'core' on a hardware adapter; 'compatibility' on the OpenGL ES fallback. */
  readonly featureLevel: 'core' | 'compatibility';
  /** Dawn backend option used ('default', 'opengles', or one named by HEPQ_GPU_BACKEND). */
  readonly backend: string;
  /** True for a CPU rasteriser (llvmpipe, SwiftShader, WARP): correct but not fast. */
  readonly software: boolean;
  readonly features: readonly string[];
}

/** An open WebGPU device with its limits, a buffer pool and a pipeline cache. */
export class GpuDevice {
  readonly pool: BufferPool;
  private readonly pipelines = new Map<string, Promise<GPUComputePipeline>>();
  private destroyed = false;
  /** Validation / out-of-memory errors raised asynchronously since the last readback. */
  private readonly errors: string[] = [];

  /** Dawn's instance and adapter stay referenced for the life of the process (see `RETAINED`). */
  constructor(
    readonly device: GPUDevice,
    readonly info: GpuAdapterInfo,
    readonly limits: Readonly<Record<string, number>>,
  ) {
    this.pool = new BufferPool(device);
    const target = device as unknown as { addEventListener?: (t: string, f: (e: unknown) => void) => void };
    target.addEventListener?.('uncapturederror', (e) => {
      this.errors.push((e as { error: { message: string } }).error.message.split('\n')[0]!);
    });
  }

  /** Throws the first asynchronous device error since the last check, as a located HepqError. */
  checkErrors(): void {
    if (this.errors.length === 0) return;
    const first = this.errors[0]!;
    this.errors.length = 0;
    throw new HepqError('gpu/error', `WebGPU error on ${this.info.device || 'the device'}: ${first}`);
  }

  /** Largest storage binding in bytes (rounded down to 16 so chunk boundaries stay aligned). */
  get maxBindingBytes(): number {
    const n = Math.min(
      this.limits.maxStorageBufferBindingSize ?? 134217728,
      this.limits.maxBufferSize ?? 2 ** 31,
    );
    return n - (n % 16);
  }
  get maxStorageBuffers(): number {
    return this.limits.maxStorageBuffersPerShaderStage ?? 8;
  }
  get maxWorkgroupsPerDimension(): number {
    return this.limits.maxComputeWorkgroupsPerDimension ?? 65535;
  }

  /**
   * A compute pipeline for `code` (entry point `main`), compiled once per device. Every binding the kernel
   * declares must be used by it ('auto' layouts drop unused ones). WGSL errors reject with the compiler's message.
   */
  pipeline(code: string): Promise<GPUComputePipeline> {
    let p = this.pipelines.get(code);
    if (!p) {
      const module = this.device.createShaderModule({ code });
      p = this.device
        .createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } })
        .catch(async (e: Error) => {
          const info = await module.getCompilationInfo();
          const msgs = info.messages.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ');
          this.pipelines.delete(code);
          throw new HepqError('gpu/kernel', `WGSL kernel failed to compile: ${msgs || e.message}`);
        });
      this.pipelines.set(code, p);
    }
    return p;
  }

  /** A storage buffer holding `data` (padded to 4 bytes). The pool recycles it on `release`. */
  upload(data: ArrayBufferView, extraUsage = 0): GPUBuffer {
    const bytes = Math.max(16, align4(data.byteLength));
    const buf = this.pool.acquire(bytes, USAGE.STORAGE | USAGE.COPY_DST | USAGE.COPY_SRC | extraUsage);
    if (data.byteLength > 0) {
      const src = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (data.byteLength % 4 === 0) this.device.queue.writeBuffer(buf, 0, src);
      else {
        const padded = new Uint8Array(align4(data.byteLength));
        padded.set(src);
        this.device.queue.writeBuffer(buf, 0, padded);
      }
    }
    return buf;
  }

  /** A zero-filled storage buffer of `bytes` bytes. */
  zeros(bytes: number): GPUBuffer {
    const buf = this.pool.acquire(
      Math.max(16, align4(bytes)),
      USAGE.STORAGE | USAGE.COPY_DST | USAGE.COPY_SRC,
    );
    const enc = this.device.createCommandEncoder();
    enc.clearBuffer(buf);
    this.device.queue.submit([enc.finish()]);
    return buf;
  }

  /** A uniform buffer holding `data` (u32/i32/f32 words). */
  uniform(data: ArrayBufferView): GPUBuffer {
    const bytes = Math.max(16, Math.ceil(data.byteLength / 16) * 16);
    const buf = this.pool.acquire(bytes, USAGE.UNIFORM | USAGE.COPY_DST);
    this.device.queue.writeBuffer(buf, 0, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return buf;
  }

  /** Copies `bytes` bytes of `src` back to the host. */
  async readback(src: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    const size = Math.max(4, align4(bytes));
    const staging = this.device.createBuffer({ size, usage: USAGE.MAP_READ | USAGE.COPY_DST });
    const enc = this.device.createCommandEncoder();
    enc.copyBufferToBuffer(src, 0, staging, 0, size);
    this.device.queue.submit([enc.finish()]);
    await staging.mapAsync(MAP_READ_MODE);
    const out = staging.getMappedRange().slice(0, bytes);
    staging.unmap();
    staging.destroy();
    this.checkErrors();
    return out;
  }

  /**
   * Runs `pipeline` over `invocations` threads of a 1-D kernel with workgroup size `wg`, bound to `buffers`
   * (binding i = buffers[i], group 0). The grid is 2-D when one dimension would exceed the device limit;
   * kernels compute their index as `gid.x + gid.y * nx` where `nx` = `groupsX * wg` (passed by the caller).
   */
  dispatch(pipeline: GPUComputePipeline, buffers: readonly GPUBuffer[], invocations: number, wg = 64): void {
    const groups = Math.max(1, Math.ceil(invocations / wg));
    const gx = Math.min(groups, this.maxWorkgroupsPerDimension);
    const gy = Math.ceil(groups / gx);
    const bind = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: buffers.map((buffer, binding) => ({
        binding,
        resource: { buffer, size: this.pool.sizeOf(buffer) },
      })),
    });
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(gx, gy);
    pass.end();
    this.device.queue.submit([enc.finish()]);
  }

  /** Threads per row of the grid `dispatch` uses for `invocations` threads. */
  gridWidth(invocations: number, wg = 64): number {
    return Math.min(Math.max(1, Math.ceil(invocations / wg)), this.maxWorkgroupsPerDimension) * wg;
  }

  /** Waits until all submitted work has finished. */
  async finish(): Promise<void> {
    await this.device.queue.onSubmittedWorkDone();
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.pool.clear();
    this.pipelines.clear();
    this.device.destroy();
  }
}

export function align4(n: number): number {
  return Math.ceil(n / 4) * 4;
}

/** Result of discovery: a device, or the one-line reason there is none. */
export type GpuDiscovery =
  | { readonly ok: true; readonly gpu: GpuDevice }
  | { readonly ok: false; readonly reason: string };

const LIMIT_NAMES = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupStorageSize',
  'maxUniformBufferBindingSize',
  'maxBindGroups',
  'minStorageBufferOffsetAlignment',
] as const;

/**
 * Every Dawn instance, adapter and device this process created, held for the life of the process: when the
 * collector takes an instance (even one whose device was destroyed, or that found no adapter) while Dawn's threads
 * still run, the process aborts with std::system_error (seen under vitest and with --expose-gc, dawn.node 0.6).
 * A few objects per discovery; discovery happens once per session.
 */
const RETAINED: unknown[] = [];

const SOFTWARE = /llvmpipe|lavapipe|swiftshader|softpipe|warp|microsoft basic/i;

async function tryBackend(
  create: (opts: string[]) => GPU,
  backend: string,
  capLimits: Readonly<Record<string, number>> = {},
): Promise<GpuDevice | undefined> {
  const gpu = create(backend === 'default' ? [] : [`backend=${backend}`]);
  RETAINED.push(gpu);
  const featureLevel = /^(opengles|gles|opengl)$/.test(backend) ? 'compatibility' : 'core';
  const adapter = await gpu.requestAdapter(
    featureLevel === 'core'
      ? { powerPreference: 'high-performance' }
      : ({ featureLevel } as GPURequestAdapterOptions),
  );
  if (!adapter) return undefined;
  const limits: Record<string, number> = {};
  for (const k of LIMIT_NAMES) {
    const v = (adapter.limits as unknown as Record<string, number>)[k];
    if (typeof v === 'number') limits[k] = capLimits[k] !== undefined ? Math.min(v, capLimits[k]!) : v;
  }
  // Compatibility-mode defaults are small (4 storage buffers, 128 threads): ask for what the adapter has.
  const device = await adapter.requestDevice({ requiredLimits: limits });
  RETAINED.push(adapter, device);
  const ai = adapter.info;
  const info: GpuAdapterInfo = {
    vendor: ai.vendor ?? '',
    architecture: ai.architecture ?? '',
    device: ai.device ?? '',
    description: ai.description ?? '',
    featureLevel,
    backend,
    software: SOFTWARE.test(`${ai.vendor} ${ai.architecture} ${ai.device} ${ai.description}`),
    features: [...adapter.features].map(String).sort(),
  };
  return new GpuDevice(device, info, limits);
}

/**
 * Opens a device: a hardware adapter (Vulkan/Metal/D3D) at the core feature level when there is one, else
 * Mesa's llvmpipe through Dawn's OpenGL ES backend at the compatibility level (`EGL_PLATFORM=surfaceless`).
 * Never throws for a missing adapter: the result carries a one-line reason instead.
 */
export async function discoverGpu(
  options: {
    readonly backend?: string;
    /** Lower some limits below the adapter's (tests hold a device to WebGPU's guaranteed minimums). */
    readonly capLimits?: Readonly<Record<string, number>>;
  } = {},
): Promise<GpuDiscovery> {
  const want = options.backend ?? process.env.HEPQ_GPU_BACKEND ?? 'auto';
  process.env.EGL_PLATFORM ??= 'surfaceless';
  let create: (opts: string[]) => GPU;
  try {
    create = (await import('webgpu')).create;
  } catch (e) {
    return { ok: false, reason: `no WebGPU: the 'webgpu' package did not load (${(e as Error).message})` };
  }
  const errors: string[] = [];
  for (const backend of want === 'auto' ? ['default', 'opengles'] : [want]) {
    try {
      const gpu = await tryBackend(create, backend, options.capLimits);
      if (gpu) return { ok: true, gpu };
      errors.push(`${backend}: no adapter`);
    } catch (e) {
      errors.push(`${backend}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return {
    ok: false,
    reason: `no WebGPU adapter (${errors.join('; ')}); running on the CPU`,
  };
}

let shared: Promise<GpuDiscovery> | undefined;

/** The process-wide device, opened on first use (discovery costs ~30–300 ms). */
export function sharedGpu(): Promise<GpuDiscovery> {
  shared ??= discoverGpu();
  return shared;
}

/** Destroys the process-wide device so Dawn lets the process exit. */
export async function closeSharedGpu(): Promise<void> {
  const s = shared;
  shared = undefined;
  if (!s) return;
  const d = await s;
  if (d.ok) d.gpu.destroy();
}

/** The device, or a HepqError naming the reason (for callers that asked for the GPU explicitly). */
export async function requireGpu(): Promise<GpuDevice> {
  const d = await sharedGpu();
  if (!d.ok) throw new HepqError('gpu/unavailable', d.reason, { hint: 'use --device cpu or auto' });
  return d.gpu;
}
