/** Worker-thread entry for stats jobs (a piscina handler): runs one job with the pool's workspace, compiled once. */
import { Piscina, workerData } from 'piscina';
import type { WorkerReply } from '../../exec/parallel/index.js';
import { jobRunner, type StatsJob, type WorkerInit } from './run-job.js';

const run = jobRunner((workerData as { init: WorkerInit }).init);

export default function runStatsJob(job: StatsJob): unknown {
  try {
    const { value, transfer } = run(job);
    const reply: WorkerReply = { ok: true, value };
    const movable = { [Piscina.transferableSymbol]: transfer, [Piscina.valueSymbol]: reply };
    return Piscina.move(movable as unknown as Parameters<typeof Piscina.move>[0]);
  } catch (e) {
    const err = e as { message?: string; code?: string; hint?: string };
    const reply: WorkerReply = {
      ok: false,
      error: {
        message: err.message ?? String(e),
        code: err.code ?? 'stats/worker',
        ...(err.hint ? { hint: err.hint } : {}),
      },
    };
    return reply;
  }
}
