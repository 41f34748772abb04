/** Worker-thread entry: runs one morsel (an entry range) of a query in its own Session and posts the result. */
import { parentPort } from 'node:worker_threads';
import { Session } from '../session.js';
import { transferable } from './transfer.js';

export interface MorselTask {
  readonly text: string;
  readonly files: readonly string[];
  readonly tree?: string;
  readonly range: { readonly start: number; readonly stop: number };
  readonly batchSize?: number;
}

// Tables stay open across tasks: a worker usually gets many morsels of the same files.
const session = new Session({ threads: 1 });

parentPort!.on('message', async (msg: { id: number; task: MorselTask }) => {
  const { id, task } = msg;
  try {
    const result = await session.query(task.text, {
      files: task.files,
      ...(task.tree !== undefined ? { tree: task.tree } : {}),
      range: task.range,
      ...(task.batchSize ? { batchSize: task.batchSize } : {}),
    });
    const transfer = new Set<ArrayBuffer>();
    const value = transferable(result, transfer);
    parentPort!.postMessage({ id, value }, [...transfer]);
  } catch (e) {
    const err = e as {
      message?: string;
      code?: string;
      hint?: string;
      span?: { start: number; end: number };
    };
    parentPort!.postMessage({
      id,
      error: {
        message: err.message ?? String(e),
        ...(err.code ? { code: err.code } : {}),
        ...(err.hint ? { hint: err.hint } : {}),
        ...(err.span ? { span: err.span } : {}),
      },
    });
  }
});
