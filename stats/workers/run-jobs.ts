/** Runs stats jobs on a pool of worker threads (one compiled workspace each), returning results in job order. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WorkerPool } from '../../exec/parallel/index.js';
import { jobRunner, type StatsJob, type WorkerInit } from './run-job.js';

/**
 * Each worker gets `init` once; jobs are handed out as workers free up. From TypeScript sources (tests, tsx) the
 * worker registers tsx's loader first. Where `stats-worker.js` is not beside this module (a bundle that did not emit
 * it as an entry point), or one thread is asked for, the jobs run in this thread instead.
 */
export async function runJobs<T>(
  init: WorkerInit,
  jobs: readonly StatsJob[],
  threads: number,
  onResult?: (value: T) => void,
): Promise<T[]> {
  const url = new URL(
    import.meta.url.endsWith('.ts') ? './stats-worker.ts' : './stats-worker.js',
    import.meta.url,
  );
  const n = Math.max(1, Math.min(threads, jobs.length));
  if (n === 1 || !existsSync(fileURLToPath(url))) {
    const run = jobRunner(init);
    return jobs.map((j) => {
      const v = run(j).value as T;
      onResult?.(v);
      return v;
    });
  }
  // The shared worker pool of exec/parallel; each worker compiles the workspace once from `init`.
  const pool = new WorkerPool(url, n, 1_000, init);
  try {
    return await Promise.all(
      jobs.map(async (job) => {
        const v = await pool.run<T>(job);
        onResult?.(v);
        return v;
      }),
    );
  } finally {
    await pool.close();
  }
}
