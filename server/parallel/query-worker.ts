/** Worker-thread entry (piscina handler): runs one morsel (an entry range) of a query in its own Session. */
import { Piscina } from 'piscina';
import type { ScanFilter } from '../../connectors/api.js';
import { executePlan } from '../../exec/index.js';
import { transferable, type WorkerReply } from '../../exec/parallel/index.js';
import type { LogicalPlan } from '../../planner/ir/index.js';
import { Session } from '../session.js';

export interface MorselTask {
  /** The query text (for error carets) and its plan as prepared (optimized) by the session that split it. */
  readonly text: string;
  readonly plan: LogicalPlan;
  readonly files: readonly string[];
  readonly tree?: string;
  readonly range: { readonly start: number; readonly stop: number };
  /** The scan filters of the physical plan the session placed. */
  readonly filters?: readonly ScanFilter[];
  readonly batchSize?: number;
}

// Tables stay open across tasks: a worker usually gets many morsels of the same files.
const session = new Session({ threads: 1 });

export default async function runMorsel(task: MorselTask): Promise<unknown> {
  try {
    const table = await session.table(task.files, task.tree);
    const result = await executePlan(task.plan, table, {
      source: task.text,
      functions: session.functions,
      range: task.range,
      ...(task.filters ? { filters: task.filters } : {}),
      ...(task.batchSize ? { batchSize: task.batchSize } : {}),
    });
    const transfer = new Set<ArrayBuffer>();
    const reply: WorkerReply = { ok: true, value: transferable(result, transfer) };
    const movable = { [Piscina.transferableSymbol]: [...transfer], [Piscina.valueSymbol]: reply };
    return Piscina.move(movable as unknown as Parameters<typeof Piscina.move>[0]);
  } catch (e) {
    const err = e as {
      message?: string;
      code?: string;
      hint?: string;
      span?: { start: number; end: number };
    };
    const reply: WorkerReply = {
      ok: false,
      error: {
        message: err.message ?? String(e),
        ...(err.code ? { code: err.code } : {}),
        ...(err.hint ? { hint: err.hint } : {}),
        ...(err.span ? { span: err.span } : {}),
      },
    };
    return reply;
  }
}
