/** Worker side of parallel generation: one cluster of synthetic events → a Batch whose buffers are moved back. */
import { Piscina } from 'piscina';
import {
  generateCluster,
  presentCluster,
  Rng,
  type SyntheticProcess,
  type SyntheticSchema,
} from '../../connectors/synthetic/index.js';
import type { WorkerReply } from '../../exec/parallel/index.js';
import { transferable } from '../../exec/parallel/index.js';

export interface GenerateTask {
  readonly schema: SyntheticSchema;
  readonly seed: number;
  /** Cluster index (its random stream) and its first global event. */
  readonly index: number;
  readonly first: number;
  readonly n: number;
  readonly columnOrder: 'root' | 'columnar';
  readonly process?: SyntheticProcess;
}

export default function generateTask(task: GenerateTask): unknown {
  try {
    const batch = presentCluster(
      generateCluster(new Rng(task.seed, task.index), task.n, task.first, task.process),
      task.schema,
      task.columnOrder,
      task.process,
    );
    const transfer = new Set<ArrayBuffer>();
    const reply: WorkerReply = { ok: true, value: transferable(batch, transfer) };
    const movable = { [Piscina.transferableSymbol]: [...transfer], [Piscina.valueSymbol]: reply };
    return Piscina.move(movable as unknown as Parameters<typeof Piscina.move>[0]);
  } catch (e) {
    const err = e as { message?: string; code?: string; hint?: string };
    const reply: WorkerReply = {
      ok: false,
      error: { message: err.message ?? String(e), code: err.code, hint: err.hint },
    };
    return reply;
  }
}
