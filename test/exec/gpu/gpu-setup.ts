/** One WebGPU device per test file (llvmpipe on CI), destroyed afterwards so the process exits. */
import { afterAll } from 'vitest';
import { closeSharedGpu, type GpuDevice, sharedGpu } from '../../../exec/gpu/device.js';

/** The shared device; fails loudly when there is none (CI installs Mesa so the software adapter exists). */
export async function testGpu(): Promise<GpuDevice> {
  const d = await sharedGpu();
  if (!d.ok) throw new Error(`GPU tests need a WebGPU adapter (Mesa llvmpipe on CI): ${d.reason}`);
  return d.gpu;
}

afterAll(async () => {
  await closeSharedGpu();
});
