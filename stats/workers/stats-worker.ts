/** Worker-thread entry for stats jobs: answers each message with the job's result (typed arrays transferred). */
import { parentPort, workerData } from 'node:worker_threads';
import { jobRunner, type StatsJob, type WorkerInit } from './run-job.js';

const run = jobRunner(workerData as WorkerInit);

parentPort!.on('message', (msg: { id: number; job: StatsJob }) => {
  try {
    const { value, transfer } = run(msg.job);
    parentPort!.postMessage({ id: msg.id, value }, transfer);
  } catch (e) {
    parentPort!.postMessage({
      id: msg.id,
      error: e instanceof Error ? e.message : String(e),
      code: (e as { code?: string }).code,
    });
  }
});
