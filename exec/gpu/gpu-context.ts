/**
 * A session's GPU state: the device (or why there is none), cost terms measured once, the device-side column
 * cache, and the `--device cpu|gpu|auto` choice. `run` places a func_adl plan and runs it on the GPU when placed
 * there; the caller runs the CPU otherwise. This is what `Session` wires into `query` and `explain`.
 */
import type { ConnectorTable } from '../../connectors/api.js';
import type { LogicalPlan } from '../../planner/ir/index.js';
import { HepqError, type Schema } from '../batch/index.js';
import { DeviceColumnCache } from './column-cache.js';
import { type GpuDevice, sharedGpu } from './device.js';
import { compileFusedKernel, type FusedKernel } from './fused/compile-kernel.js';
import { type FusedResult, packPrefixes, runFusedKernel } from './fused/run-fused.js';
import {
  type CpuCosts,
  type DeviceChoice,
  type GpuCosts,
  gpuSeconds,
  measureCpuCosts,
  measureGpuCosts,
  type PipelineEstimate,
  type Placement,
  placePipeline,
} from './placement.js';

/** The planner's work estimate, as far as the GPU term needs it (structurally planner/cost's WorkEstimate). */
export interface GpuWorkEstimate {
  readonly events: number;
  readonly unitsPerEvent: number;
  readonly uncompressedBytes: number;
  readonly decompressSeconds: number;
}

export class GpuContext {
  readonly cache?: DeviceColumnCache;
  private constructor(
    readonly gpu: GpuDevice | undefined,
    readonly noGpuReason: string | undefined,
    readonly costs: GpuCosts | undefined,
    readonly cpu: CpuCosts,
    public choice: DeviceChoice,
    cacheBytes: number,
  ) {
    if (gpu) this.cache = new DeviceColumnCache(gpu, cacheBytes);
  }

  /** Discovers the device and measures both sides' rates (~0.1–0.5 s). `choice: 'cpu'` opens no device. */
  static async open(options: { choice?: DeviceChoice; cacheBytes?: number } = {}): Promise<GpuContext> {
    const choice = options.choice ?? 'auto';
    const cpu = measureCpuCosts();
    const cacheBytes = options.cacheBytes ?? 256 * 1024 * 1024;
    if (choice === 'cpu')
      return new GpuContext(undefined, 'forced by --device cpu', undefined, cpu, choice, cacheBytes);
    const d = await sharedGpu();
    if (!d.ok) return new GpuContext(undefined, d.reason, undefined, cpu, choice, cacheBytes);
    return new GpuContext(d.gpu, undefined, await measureGpuCosts(d.gpu), cpu, choice, cacheBytes);
  }

  /** The kernel for `plan`, or the reason it cannot be fused. */
  kernel(plan: LogicalPlan, schema: Schema): { kernel?: FusedKernel; unsupported?: string } {
    try {
      return { kernel: compileFusedKernel(plan, schema) };
    } catch (e) {
      if (e instanceof HepqError && e.code === 'gpu/unsupported') return { unsupported: e.message };
      throw e;
    }
  }

  /** The pipeline estimate from the table's statistics: values read, bytes uploaded (less resident), launches. */
  estimate(plan: LogicalPlan, table: ConnectorTable): PipelineEstimate & { kernel?: FusedKernel } {
    const { kernel, unsupported } = this.kernel(plan, table.schema());
    const stats = table.statistics();
    const cols = new Set(kernel?.slots.map((s) => s.column) ?? []);
    const inputBytes = stats.columns
      .filter((c) => cols.has(c.name))
      .reduce((a, c) => a + c.uncompressedBytes, 0);
    const maxBinding = this.gpu?.maxBindingBytes ?? 128 * 1024 * 1024;
    const elements = stats.entries + inputBytes / 4;
    const outputBytes =
      kernel?.output.kind === 'hist'
        ? 4 * kernel.output.axes.reduce((a, x) => a * x.bins, 1)
        : 4 * stats.entries;
    const chunks = Math.max(1, Math.ceil(inputBytes / maxBinding));
    const cache = this.cache;
    const resident =
      cache && kernel
        ? Math.min(
            inputBytes,
            packPrefixes(kernel, table).reduce((a, p) => a + cache.residentWithPrefix(p), 0),
          )
        : 0;
    return {
      elements,
      inputBytes,
      residentBytes: resident,
      outputBytes,
      launches: chunks * (kernel?.output.kind === 'values' ? 5 : 1),
      ...(unsupported ? { unsupported } : {}),
      ...(kernel ? { kernel } : {}),
    };
  }

  /** Where `plan` runs and why (one line for `explain`). */
  place(plan: LogicalPlan, table: ConnectorTable): Placement {
    return placePipeline(this.estimate(plan, table), {
      cpu: this.cpu,
      choice: this.choice,
      ...(this.costs ? { gpu: this.costs } : {}),
      ...(this.noGpuReason ? { noGpuReason: this.noGpuReason } : {}),
    });
  }

  /** Places `plan`; runs it on the GPU when placed there, else returns only the placement (run the CPU). */
  async run(
    plan: LogicalPlan,
    table: ConnectorTable,
    options: { signal?: AbortSignal; range?: { readonly start: number; readonly stop: number } } = {},
  ): Promise<{ placement: Placement; result?: FusedResult }> {
    const est = this.estimate(plan, table);
    const placement = placePipeline(est, {
      cpu: this.cpu,
      choice: this.choice,
      ...(this.costs ? { gpu: this.costs } : {}),
      ...(this.noGpuReason ? { noGpuReason: this.noGpuReason } : {}),
    });
    if (placement.device !== 'gpu' || !est.kernel || !this.gpu) return { placement };
    const result = await runFusedKernel(est.kernel, table, this.gpu, {
      ...(this.cache ? { cache: this.cache } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.range ? { range: options.range } : {}),
    });
    return { placement, result };
  }

  /**
   * A cost term in the shape of planner/cost's `CostTerm` for the plans of one table schema: decompression stays
   * on the CPU, then upload, launch and compute at the measured rates. Undefined where the plan cannot be fused.
   */
  costTerm(schema: Schema): {
    readonly name: string;
    estimate(work: GpuWorkEstimate, plan: LogicalPlan): { seconds: number; note?: string } | undefined;
  } {
    return {
      name: 'gpu',
      estimate: (work, plan) => {
        if (!this.costs) return undefined;
        const { kernel } = this.kernel(plan, schema);
        if (!kernel) return undefined;
        const g = gpuSeconds(
          {
            elements: work.events + work.uncompressedBytes / 4,
            inputBytes: work.uncompressedBytes,
            outputBytes: 4 * work.events,
            launches: Math.max(1, Math.ceil(work.uncompressedBytes / (this.gpu?.maxBindingBytes ?? 2 ** 27))),
          },
          this.costs,
        );
        return { seconds: work.decompressSeconds + g.total, note: g.terms };
      },
    };
  }

  close(): void {
    this.cache?.clear();
  }
}
