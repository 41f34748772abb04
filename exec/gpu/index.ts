/** WebGPU offload: device discovery, column kernels (CPU and GPU behind one interface), fused pipelines, placement. */
export * from './binning.js';
export * from './buffer-pool.js';
export * from './column-cache.js';
export * from './device.js';
export { compileFusedKernel, type FusedKernel, type FusedOutput } from './fused/compile-kernel.js';
export {
  type FusedResult,
  type FusedRunOptions,
  type FusedStats,
  runFusedKernel,
  runFusedPlan,
} from './fused/run-fused.js';
export * from './gpu-context.js';
export * from './gpu-kernels.js';
export * from './kernels.js';
export * from './placement.js';
