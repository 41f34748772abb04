/** Executes one stats job against a workspace (shared by the worker-thread entry and the in-thread fallback). */
import { AsymptoticCalculator, hypotest } from '../infer/asymptotic-calculator.js';
import type { FitSettings } from '../infer/test-statistics.js';
import type { HistFactoryModel } from '../model/histfactory-model.js';
import type { JsonPatchOp } from '../spec/types.js';
import { type ToyBatch, toyTestStats } from '../toys/toy-teststats.js';
import { Workspace, type WorkspaceModelOptions } from '../workspace.js';

/** What every worker of a pool is started with: one workspace (the background-only one for patch jobs). */
export interface WorkerInit {
  readonly spec: unknown;
  readonly modelOptions: WorkspaceModelOptions;
}

export type StatsJob =
  | { readonly kind: 'toys'; readonly batch: ToyBatch; readonly settings: FitSettings }
  | {
      readonly kind: 'hypotest-patch';
      readonly label: string;
      readonly patch: readonly JsonPatchOp[];
      readonly mu: number;
      readonly testStat: 'qtilde' | 'q';
    }
  | {
      /** One point of an upper-limit scan: CLs at `mu` with the scan's bounds (as `upperLimitScan` fits). */
      readonly kind: 'hypotest-mu';
      readonly mu: number;
      readonly testStat: 'qtilde' | 'q';
      readonly bounds: { readonly lo: readonly number[]; readonly hi: readonly number[] };
    };

/** A job runner bound to one workspace; the model is compiled once, on first use. */
export function jobRunner(init: WorkerInit): (job: StatsJob) => { value: unknown; transfer: ArrayBuffer[] } {
  const ws = Workspace.fromJSON(init.spec);
  let model: HistFactoryModel | undefined;
  // One calculator per scan (its bounds and test statistic), reused by the scan's points on this worker.
  let calc: { key: string; calc: AsymptoticCalculator } | undefined;
  return (job) => {
    switch (job.kind) {
      case 'toys': {
        model ??= ws.model(init.modelOptions);
        const values = toyTestStats(model, job.batch, job.settings);
        return { value: values, transfer: [values.buffer as ArrayBuffer] };
      }
      case 'hypotest-mu': {
        model ??= ws.model(init.modelOptions);
        const key = JSON.stringify([job.testStat, job.bounds]);
        if (calc?.key !== key) {
          const bounds = { lo: Float64Array.from(job.bounds.lo), hi: Float64Array.from(job.bounds.hi) };
          calc = { key, calc: new AsymptoticCalculator(model, ws.data(model), job.testStat, { bounds }) };
        }
        return { value: calc.calc.hypotest(job.mu), transfer: [] };
      }
      case 'hypotest-patch': {
        const patched = ws.patch(job.patch, `patch '${job.label}'`);
        const m = patched.model(init.modelOptions);
        return { value: hypotest(job.mu, m, patched.data(m), { testStat: job.testStat }), transfer: [] };
      }
    }
  };
}
