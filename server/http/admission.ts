/**
 * Fair admission of queries: at most `running` at once, later ones wait in a bounded first-come queue (so
 * a burst of clients waits its turn instead of retrying on 429s that crowd out the admitted queries), and
 * only when the queue is full is a request refused. A waiting request that is aborted (timeout, client gone)
 * leaves the queue.
 */
import { HepqError } from '../../exec/batch/index.js';

interface Waiter {
  readonly admit: () => void;
  readonly fail: (e: unknown) => void;
}

export class Admission {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    /** Queries running at once. */
    readonly running: number,
    /** Queries waiting for a slot; more are refused (server/busy, 429). */
    readonly queue: number,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /**
   * A slot, now or when one frees (first come, first served); resolves to its release function. Throws
   * server/busy when the queue is full, and the signal's reason when it aborts while waiting.
   */
  acquire(signal: AbortSignal): Promise<() => void> {
    signal.throwIfAborted();
    if (this.active < this.running) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.queue)
      return Promise.reject(
        new HepqError(
          'server/busy',
          `${this.running} queries are running and ${this.waiting.length} waiting; try again shortly`,
        ),
      );
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        admit: () => {
          signal.removeEventListener('abort', onAbort);
          resolve(this.releaser());
        },
        fail: reject,
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiting.shift();
      // The slot passes straight to the first waiter; the count changes only when nobody waits.
      if (next) next.admit();
      else this.active--;
    };
  }
}
