/** Asymptotic CLs for every patch of a patchset (an exclusion contour), spread over worker threads. */
import { availableParallelism } from 'node:os';
import type { Patchset } from '../patchset.js';
import type { StatsJob, WorkerInit } from '../workers/run-job.js';
import { runJobs } from '../workers/run-jobs.js';
import type { Workspace, WorkspaceModelOptions } from '../workspace.js';
import { type CalcTestStat, type HypotestResult, hypotest } from './asymptotic-calculator.js';

export interface PatchsetHypotestOptions {
  readonly mu?: number;
  readonly testStat?: Exclude<CalcTestStat, 'q0'>;
  readonly modelOptions?: WorkspaceModelOptions;
  /** worker threads (default: available cores; 0 or 1 runs in this thread) */
  readonly threads?: number;
  /** only these patches (default: all) */
  readonly names?: readonly string[];
  /**
   * Where the per-patch jobs run (default: worker threads of this process). The server layer passes a
   * cluster's runner (server/cluster) so a contour's patches spread over many machines.
   */
  readonly runJobs?: JobsRunner;
}

/** Runs stats jobs bound to one workspace somewhere, returning their values in job order. */
export type JobsRunner = <T>(
  init: WorkerInit,
  jobs: readonly StatsJob[],
  onResult?: (value: T) => void,
) => Promise<T[]>;

export interface PatchHypotest {
  readonly patch: string;
  readonly values: readonly (number | string)[];
  readonly result: HypotestResult;
}

export async function hypotestPatchset(
  bkg: Workspace,
  patchset: Patchset,
  options: PatchsetHypotestOptions = {},
): Promise<PatchHypotest[]> {
  const { mu = 1, testStat = 'qtilde', modelOptions = {} } = options;
  const names = options.names ?? patchset.names;
  const threads = options.threads ?? availableParallelism();
  const patches = names.map((n) => patchset.patch(n));
  let results: HypotestResult[];
  if (!options.runJobs && (threads <= 1 || patches.length < 2)) {
    results = patches.map((p) => {
      const ws = bkg.patch(p.patch, `patch '${p.metadata.name}'`);
      const m = ws.model(modelOptions);
      return hypotest(mu, m, ws.data(m), { testStat });
    });
  } else {
    const jobs = patches.map((p) => ({
      kind: 'hypotest-patch' as const,
      label: p.metadata.name,
      patch: p.patch,
      mu,
      testStat,
    }));
    const init = { spec: bkg.spec, modelOptions };
    results = options.runJobs
      ? await options.runJobs<HypotestResult>(init, jobs)
      : await runJobs<HypotestResult>(init, jobs, threads);
  }
  return patches.map((p, i) => ({ patch: p.metadata.name, values: p.metadata.values, result: results[i]! }));
}
