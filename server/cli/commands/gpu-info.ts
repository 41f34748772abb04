/** `hepq gpu-info [--json] [--measure]`: the WebGPU adapter hepq would use, its limits, and measured cost terms. */
import { parseArgs } from 'node:util';
import { closeSharedGpu, type GpuDevice, measureGpuCosts, sharedGpu } from '../../../exec/gpu/index.js';
import type { Command } from '../command.js';

const help = `usage: hepq gpu-info [--json] [--measure]

Print the WebGPU adapter hepq would offload to (a hardware adapter through Vulkan/Metal/D3D at the core
feature level, else Mesa's llvmpipe through OpenGL ES at the compatibility level), and its limits. When no
adapter exists, says why in one line and exits 0: queries then run on the CPU.

options:
  --json      print {"available", "adapter", "limits", "costs"?} (or {"available": false, "reason"})
  --measure   also measure the cost terms placement uses (upload bandwidth, launch overhead, throughput)

environment:
  HEPQ_GPU_BACKEND=default|opengles   force one Dawn backend

examples:
  hepq gpu-info
  hepq gpu-info --json --measure | jq .costs
`;

function describe(gpu: GpuDevice): string[] {
  const i = gpu.info;
  const lines = [
    `adapter: ${[i.vendor, i.architecture, i.device].filter(Boolean).join(' ') || '(unnamed)'}`,
    `  description: ${i.description || '-'}`,
    `  backend: ${i.backend}, feature level: ${i.featureLevel}${i.software ? ' (software rasteriser: correct, not fast)' : ''}`,
    'limits:',
  ];
  const w = Math.max(...Object.keys(gpu.limits).map((k) => k.length));
  for (const [k, v] of Object.entries(gpu.limits)) lines.push(`  ${k.padEnd(w)}  ${v}`);
  return lines;
}

const command: Command = {
  help,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { json: { type: 'boolean' }, measure: { type: 'boolean' } },
      allowPositionals: true,
    });
    if (positionals.length) {
      io.err(`hepq gpu-info: takes no arguments\n\n${help}`);
      return 2;
    }
    const d = await sharedGpu();
    try {
      if (!d.ok) {
        io.out(values.json ? `${JSON.stringify({ available: false, reason: d.reason })}\n` : `${d.reason}\n`);
        return 0;
      }
      const costs = values.measure ? await measureGpuCosts(d.gpu) : undefined;
      if (values.json) {
        io.out(
          `${JSON.stringify({ available: true, adapter: d.gpu.info, limits: d.gpu.limits, ...(costs ? { costs } : {}) })}\n`,
        );
        return 0;
      }
      const lines = describe(d.gpu);
      if (costs)
        lines.push(
          'measured costs:',
          `  upload        ${(costs.uploadBytesPerSec / 1e9).toFixed(2)} GB/s`,
          `  readback      ${(costs.readbackBytesPerSec / 1e9).toFixed(2)} GB/s`,
          `  launch        ${(costs.launchSec * 1e6).toFixed(0)} µs per kernel`,
          `  throughput    ${(costs.elementsPerSec / 1e6).toFixed(0)} M elements/s (fused filter+fill)`,
        );
      io.out(`${lines.join('\n')}\n`);
      return 0;
    } finally {
      await closeSharedGpu();
    }
  },
};

export default command;
