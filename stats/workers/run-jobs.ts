/** Runs stats jobs on a pool of worker threads (one compiled workspace each), returning results in job order. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { HepqError } from '../../exec/batch/index.js';
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
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(fromSource ? './stats-worker.ts' : './stats-worker.js', import.meta.url);
  const code = fromSource
    ? `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`
    : `import(${JSON.stringify(url.href)})`;
  const n = Math.max(1, Math.min(threads, jobs.length));
  if (n === 1 || !existsSync(fileURLToPath(url))) {
    const run = jobRunner(init);
    return jobs.map((j) => {
      const v = run(j).value as T;
      onResult?.(v);
      return v;
    });
  }
  const pool = Array.from({ length: n }, () => new Worker(code, { eval: true, workerData: init }));
  const results: T[] = new Array(jobs.length);
  let next = 0;
  try {
    await Promise.all(
      pool.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= jobs.length) return resolve();
              const id = next++;
              w.postMessage({ id, job: jobs[id] });
            };
            w.on('message', (m: { id: number; value?: T; error?: string; code?: string }) => {
              if (m.error !== undefined) return reject(new HepqError(m.code ?? 'STATS_WORKER', m.error));
              results[m.id] = m.value as T;
              onResult?.(m.value as T);
              send();
            });
            w.on('error', (e) =>
              reject(new HepqError('STATS_WORKER', `a stats worker failed: ${e.message}`, { cause: e })),
            );
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
