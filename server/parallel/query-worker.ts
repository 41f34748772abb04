/** Worker-thread entry (piscina handler): runs one morsel (an entry range) of a query in its own Session. */
import { Piscina } from 'piscina';
import { transferable, type WorkerReply } from '../../exec/parallel/index.js';
import { Session } from '../session.js';
import { type MorselTask, runMorselTask } from './morsel.js';

export type { MorselTask } from './morsel.js';

// Tables stay open across tasks: a worker usually gets many morsels of the same files.
const session = new Session({ threads: 1 });

export default async function runMorsel(task: MorselTask): Promise<unknown> {
  try {
    const result = await runMorselTask(session, task);
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
