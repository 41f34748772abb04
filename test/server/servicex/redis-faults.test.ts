/**
 * Faults of the scaled-out service: a worker killed (SIGKILL) mid-file loses its job to another worker with no
 * duplicate or partial output; Redis restarted without persistence (every queued job lost) mid-request.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duckRows, pollUntil, SAMPLE } from './helpers.js';
import { startRedis } from './procs.js';
import { useRedisHarness } from './redis-harness.js';

describe.skipIf(!existsSync(SAMPLE))('ServiceX over Redis workers: faults', () => {
  const h = useRedisHarness('redis-faults');

  it('a worker killed mid-file: the job is retried on another worker, one whole output', async () => {
    const slow = await h.worker('slow', '--throttle-ms', '5000');
    const id = await h.submit([SAMPLE], 'ds.Select(lambda e: e.MET_pt)');
    for (let i = 0; h.service.get(id).files[0]!.state !== 'running'; i++) {
      if (i > 200) throw new Error('the slow worker never took the job');
      await new Promise((r) => setTimeout(r, 50));
    }
    await slow.kill('SIGKILL');
    await h.worker('rescuer');
    const st = await pollUntil(h.base, id, ['Complete', 'Fatal'], 40_000);
    expect(st).toMatchObject({ status: 'Complete', 'files-completed': 1, 'files-failed': 0 });
    expect(h.service.get(id).files[0]!.worker).toBe('rescuer');
    expect(readdirSync(join(h.dir, 'results', id))).toEqual([h.service.get(id).files[0]!.output]);
    const rows = await duckRows(join(h.dir, 'results', id, h.service.get(id).files[0]!.output));
    expect(rows).toHaveLength(1000);
  });

  it('Redis restarted mid-request (queue lost): the request still completes', async () => {
    await h.worker('steady', '--throttle-ms', '300');
    const id = await h.submit([SAMPLE, SAMPLE, SAMPLE, SAMPLE, SAMPLE], 'ds.Select(lambda e: e.nMuon)');
    for (let i = 0; h.service.get(id).files.every((f) => f.state !== 'done'); i++) {
      if (i > 400) throw new Error('no file finished before the restart');
      await new Promise((r) => setTimeout(r, 50));
    }
    await h.redis.kill('SIGKILL');
    h.redis = await startRedis(h.port);
    const st = await pollUntil(h.base, id, ['Complete', 'Fatal'], 45_000);
    expect(st).toMatchObject({ status: 'Complete', files: 5, 'files-completed': 5, 'files-failed': 0 });
    const names = readdirSync(join(h.dir, 'results', id)).sort();
    expect(names).toEqual(
      h.service
        .results(id)
        .map((r) => r.name)
        .sort(),
    );
    expect(names.every((n) => !n.includes('.tmp-'))).toBe(true);
  });
});
