/** Worker-thread entry for toys: compiles the model once, then answers batches with transferable test-statistic arrays. */
import { parentPort, workerData } from 'node:worker_threads';
import type { FitSettings } from '../infer/test-statistics.js';
import { Workspace } from '../workspace.js';
import { type ToyBatch, toyTestStats } from './toy-teststats.js';

interface Init {
  readonly spec: unknown;
  readonly modelOptions: Parameters<Workspace['model']>[0];
}

const init = workerData as Init;
const model = Workspace.fromJSON(init.spec).model(init.modelOptions);

parentPort!.on('message', (msg: { id: number; batch: ToyBatch; settings: FitSettings }) => {
  try {
    const values = toyTestStats(model, msg.batch, msg.settings);
    parentPort!.postMessage({ id: msg.id, values }, [values.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
  }
});
