/** WebGPU offload: device discovery, column kernels (CPU and GPU behind one interface), fused pipelines, placement. */
export * from './binning.js';
export * from './buffer-pool.js';
export * from './device.js';
export * from './gpu-kernels.js';
export * from './kernels.js';
export * from './placement.js';
