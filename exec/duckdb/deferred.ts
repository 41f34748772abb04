/**
 * Work a JS table function needs before DuckDB can call it synchronously: its bind or init records a task
 * (open a file, read branches, run a func_adl query or a fit) and fails the statement with PENDING; the
 * engine runs the tasks and runs the statement again. DuckDB statements are atomic, so a retried
 * statement has left nothing behind. Tasks are kept per connection (bind knows its connection id).
 */

/** The message a table function fails with while its input is not ready yet. */
export const PENDING = 'hepq: input not loaded yet';

/**
 * A task; `signal` aborts when the statement is cancelled (timeout, client gone); `progress`, where the engine
 * shows one, takes the task's entries read so far of its total (root()'s branch reads).
 */
export type DeferredTask = (
  signal?: AbortSignal,
  progress?: (done: number, total: number) => void,
) => Promise<void>;

export class DeferredWork {
  private readonly byConnection = new Map<number, Map<string, DeferredTask>>();

  /** Record a task for a connection (one per key: concurrent scans of the same input share it). */
  add(connection: number, key: string, task: DeferredTask): void {
    let tasks = this.byConnection.get(connection);
    if (!tasks) {
      tasks = new Map();
      this.byConnection.set(connection, tasks);
    }
    if (!tasks.has(key)) tasks.set(key, task);
  }

  private readonly errors = new Map<number, Error>();

  /** Keep the error a table function failed with, so the engine rethrows it as it was (code, hint). */
  fail(connection: number, error: Error): void {
    this.errors.set(connection, error);
  }

  takeError(connection: number): Error | undefined {
    const e = this.errors.get(connection);
    this.errors.delete(connection);
    return e;
  }

  /** Take (and forget) the tasks recorded for a connection. */
  take(connection: number): DeferredTask[] {
    const tasks = this.byConnection.get(connection);
    this.byConnection.delete(connection);
    return tasks ? [...tasks.values()] : [];
  }
}
