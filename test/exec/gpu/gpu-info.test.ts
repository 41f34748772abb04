import { describe, expect, it } from 'vitest';
import { placePipeline } from '../../../exec/gpu/index.js';
import { runCli } from '../../helpers/cli.js';

const run = runCli;

describe('hepq gpu-info and placement', () => {
  it('prints the adapter and its limits; --json --measure gives positive cost terms', async () => {
    const text = await run('gpu-info');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^adapter: /m);
    expect(text.out).toMatch(/maxStorageBufferBindingSize\s+\d+/);
    const j = await run('gpu-info', '--json', '--measure');
    const info = JSON.parse(j.out);
    expect(info.available).toBe(true);
    // WebGPU guarantees at least 128 MiB storage bindings at both feature levels.
    expect(info.limits.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(128 * 1024 * 1024);
    expect(['core', 'compatibility']).toContain(info.adapter.featureLevel);
    for (const k of ['uploadBytesPerSec', 'readbackBytesPerSec', 'launchSec', 'elementsPerSec'])
      expect(info.costs[k]).toBeGreaterThan(0);
    expect((await run('gpu-info', 'extra')).code).toBe(2);
  });

  it('one-line reason and CPU when there is no adapter (forced missing backend)', async () => {
    const { discoverGpu } = await import('../../../exec/gpu/index.js');
    // A backend that is not a Dawn backend name yields no adapter, never an exception.
    const d = await discoverGpu({ backend: 'nonexistent' });
    expect(d.ok).toBe(false);
    if (!d.ok) {
      expect(d.reason).toMatch(/^no WebGPU adapter .*running on the CPU$/);
      expect(d.reason).not.toContain('\n');
    }
  });

  it('placePipeline weighs measured terms and says why', () => {
    const gpu = {
      uploadBytesPerSec: 10e9,
      readbackBytesPerSec: 10e9,
      launchSec: 20e-6,
      elementsPerSec: 20e9,
      device: 'test',
      software: false,
    };
    const cpu = { elementsPerSec: 500e6 };
    // 100 M elements, 400 MB: CPU 0.2 s; GPU 0.04 s upload + 5 ms compute.
    const big = { elements: 100e6, inputBytes: 400e6, outputBytes: 1e3, launches: 4 };
    const p = placePipeline(big, { gpu, cpu });
    expect(p.device).toBe('gpu');
    expect(p.cpuSec).toBeCloseTo(0.2, 6);
    expect(p.gpuSec).toBeCloseTo(0.04 + 80e-6 + 0.005 + 1e-7, 6);
    expect(p.reason).toMatch(/^gpu: cheaper, gpu .* vs cpu 200\.0 ms$/);
    // Small work: launch overhead and upload dominate.
    const small = { elements: 1e4, inputBytes: 4e4, outputBytes: 400, launches: 3 };
    expect(placePipeline(small, { gpu, cpu }).device).toBe('cpu');
    // Data already resident: no upload term.
    const resident = placePipeline(
      { ...big, elements: 5e6, inputBytes: 20e6, residentBytes: 20e6 },
      { gpu, cpu },
    );
    expect(resident.device).toBe('gpu');
    expect(resident.reason).toContain('20.0 MB resident');
    expect(placePipeline(big, { gpu, cpu, choice: 'cpu' }).reason).toBe('cpu: forced by --device cpu');
    expect(placePipeline(big, { cpu, choice: 'gpu', noGpuReason: 'no WebGPU adapter' }).device).toBe('cpu');
    expect(placePipeline({ ...big, unsupported: 'Concat' }, { gpu, cpu }).reason).toBe(
      'cpu: not offloadable (Concat)',
    );
  });
});
