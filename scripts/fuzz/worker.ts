/** The fuzz runner's child process: makes and runs cases in order, reporting each start and outcome to the parent. */
import { closeCases, makeCase, runCase, type Target } from '../../test/fuzz/cases.js';

interface Job {
  readonly target: Target;
  readonly seed: number;
  readonly from: number;
  readonly to: number;
}

process.on('message', async (job: Job) => {
  for (let i = job.from; i < job.to; i++) {
    const recipe = await makeCase(job.target, job.seed, i);
    process.send!({ type: 'start', index: i, recipe });
    const outcome = await runCase(recipe);
    process.send!({ type: 'done', index: i, outcome });
  }
  await closeCases();
  process.send!({ type: 'end' }, () => process.exit(0));
});
