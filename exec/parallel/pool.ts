/**
 * The worker pool of hepq (queries and statistics alike): piscina running a worker module on up to `size` threads, started on demand and
 * released when idle. Results come back with their typed arrays transferred, not copied; errors keep their
 * code, hint and source span. From TypeScript sources (tests, tsx) workers load a bootstrap that registers
 * tsx's loader before importing the worker module.
 */
import { getMaxListeners, setMaxListeners } from 'node:events';
import { createRequire } from 'node:module';
import type { Piscina } from 'piscina';
import { HepqError } from '../batch/index.js';

export interface WorkerError {
  readonly message: string;
  readonly code?: string;
  readonly hint?: string;
  readonly span?: { start: number; end: number };
}

/** What the worker's handler returns: the value, or the error it threw (structured clone drops Error fields). */
export type WorkerReply =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: WorkerError };

/** Tasks in flight per caller's signal: piscina adds one 'abort' listener to it for each (removed when done). */
const inFlight = new WeakMap<AbortSignal, number>();

/**
 * One query's morsels share its signal, so a query of more than 10 morsels puts more than 10 listeners on it at
 * once — bounded by the morsels, not a leak, but Node warns (MaxListenersExceededWarning) over the progress bar.
 * The limit follows the tasks in flight (10 more than them), so a real leak on the same signal still warns.
 */
function holdSignal(signal: AbortSignal): () => void {
  const n = (inFlight.get(signal) ?? 0) + 1;
  inFlight.set(signal, n);
  if (getMaxListeners(signal) < n + 10) setMaxListeners(n + 10, signal);
  return () => inFlight.set(signal, (inFlight.get(signal) ?? 1) - 1);
}

export class WorkerPool {
  private pool?: Piscina;
  private readonly options: ConstructorParameters<typeof Piscina>[0];

  constructor(
    readonly module: URL,
    readonly size: number,
    /** Idle workers exit after this long (a later query starts them again). */
    readonly idleTimeoutMs = 10_000,
    /** Given to every worker once, as piscina's `workerData.init` (e.g. the workspace stats jobs share). */
    init?: unknown,
  ) {
    const fromSource = module.pathname.endsWith('.ts');
    this.options = {
      filename: fromSource ? new URL('./tsx-bootstrap.mjs', import.meta.url).href : module.href,
      workerData: { module: module.href, ...(init === undefined ? {} : { init }) },
      minThreads: 0,
      maxThreads: size,
      idleTimeout: idleTimeoutMs,
    };
  }

  /** piscina itself loads with the first task (a command that stays on its own thread never pays its start). */
  private get piscina(): Piscina {
    if (!this.pool) {
      const { Piscina } = createRequire(import.meta.url)('piscina') as typeof import('piscina');
      this.pool = new Piscina(this.options);
    }
    return this.pool;
  }

  /** Run one task on the next free worker; aborting `signal` stops it (a running worker is terminated). */
  async run<T>(task: unknown, signal?: AbortSignal): Promise<T> {
    let reply: WorkerReply;
    const release = signal ? holdSignal(signal) : undefined;
    try {
      reply = (await this.piscina.run(task, signal ? { signal } : {})) as WorkerReply;
    } catch (e) {
      if (signal?.aborted) throw signal.reason ?? e;
      throw new HepqError('exec/worker', `a query worker failed: ${(e as Error).message ?? e}`, { cause: e });
    } finally {
      release?.();
    }
    if (reply.ok) return reply.value as T;
    const { message, code, hint, span } = reply.error;
    throw new HepqError(code ?? 'exec/worker', message, {
      ...(hint ? { hint } : {}),
      ...(span ? { span } : {}),
    });
  }

  /** Resolves when a worker thread of this pool next exits (for idleness, or at close). */
  nextExit(): Promise<void> {
    return new Promise((resolve) => this.piscina.once('workerDestroy', () => resolve()));
  }

  /** Worker threads running now (started and not yet exited for idleness). */
  get threads(): number {
    return this.pool?.threads.length ?? 0;
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
  }
}
