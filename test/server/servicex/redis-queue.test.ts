/**
 * Scale-out over a real redis-server with `hepq worker` processes: two workers share a request and give the
 * local result; a data error fails its file once (no retry) and lands in the dead-letter queue.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { openRootTable } from '../../../connectors/root/index.js';
import { resultToJson } from '../../../exec/index.js';
import { parseFuncAdl } from '../../../query/index.js';
import { closeRedisFamily, DEAD_QUEUE_NAME, redisConnection } from '../../../server/transform/index.js';
import { executePlan } from '../../helpers/bound-exec.js';
import { duckRows, type Json, pollUntil, Q5_TEXT, SAMPLE } from './helpers.js';
import { useRedisHarness } from './redis-harness.js';

describe.skipIf(!existsSync(SAMPLE))('ServiceX over Redis workers', () => {
  const h = useRedisHarness('redis-queue');

  it('two workers share a request; outputs equal the local result', async () => {
    const w1 = await h.worker('w1', '--throttle-ms', '150');
    const w2 = await h.worker('w2', '--throttle-ms', '150');
    const id = await h.submit([SAMPLE, SAMPLE, SAMPLE, SAMPLE, SAMPLE, SAMPLE]);
    const st = await pollUntil(h.base, id, ['Complete', 'Fatal']);
    expect(st).toMatchObject({ status: 'Complete', files: 6, 'files-completed': 6, 'files-failed': 0 });
    expect(new Set(h.service.get(id).files.map((f) => f.worker))).toEqual(new Set(['w1', 'w2']));
    const table = await openRootTable(SAMPLE, 'Events');
    const reference = resultToJson(await executePlan(parseFuncAdl(Q5_TEXT), table));
    await table.close();
    for (const name of readdirSync(join(h.dir, 'results', id))) {
      const rows = await duckRows(join(h.dir, 'results', id, name));
      expect(rows.map((r) => Object.values(r)[0])).toEqual(reference);
    }
    await w1.kill(); // SIGTERM: a graceful stop
    await w2.kill();
  });

  it('a missing input fails its file at once (no retry) and is dead-lettered', async () => {
    const w = await h.worker('w3');
    const missing = join(h.dir, 'no-such-file.root');
    const id = await h.submit([SAMPLE, missing]);
    const st = await pollUntil(h.base, id, ['Complete', 'Fatal']);
    expect(st).toMatchObject({ status: 'Complete', 'files-completed': 1, 'files-failed': 1 });
    expect((st['file-errors'] as Json[])[0]!.error).toMatch(/no-such-file\.root/);
    const clients = new Set<Parameters<typeof closeRedisFamily>[0] extends Set<infer C> ? C : never>();
    const dead = new Queue(DEAD_QUEUE_NAME, { connection: redisConnection(h.queueUrl, clients) });
    let deadJob: Json | undefined;
    for (let i = 0; i < 50 && !deadJob; i++) {
      const jobs = await dead.getJobs(['waiting']);
      deadJob = jobs.map((j) => j.data as Json).find((d) => d.requestId === id);
      if (!deadJob) await new Promise((r) => setTimeout(r, 100));
    }
    await dead.close();
    closeRedisFamily(clients);
    expect(deadJob).toMatchObject({ input: missing, worker: 'w3' });
    expect(w.out().match(new RegExp(`${id}_1 \\S+ \\(attempt`, 'g'))).toHaveLength(1); // not retried
  });
});
