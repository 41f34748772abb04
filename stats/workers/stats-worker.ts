/** Worker-thread entry for stats jobs: toy batches on a fixed model, and hypothesis tests of patched workspaces. */
import { parentPort, workerData } from 'node:worker_threads';
import { hypotest } from '../infer/asymptotic-calculator.js';
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
    };

const init = workerData as WorkerInit;
const ws = Workspace.fromJSON(init.spec);
let model: HistFactoryModel | undefined;

function run(job: StatsJob): { value: unknown; transfer: ArrayBuffer[] } {
  switch (job.kind) {
    case 'toys': {
      model ??= ws.model(init.modelOptions);
      const values = toyTestStats(model, job.batch, job.settings);
      return { value: values, transfer: [values.buffer as ArrayBuffer] };
    }
    case 'hypotest-patch': {
      const patched = ws.patch(job.patch, `patch '${job.label}'`);
      const m = patched.model(init.modelOptions);
      return { value: hypotest(job.mu, m, patched.data(m), { testStat: job.testStat }), transfer: [] };
    }
  }
}

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
