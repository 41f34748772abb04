/**
 * The admission queue on its own: slots go to waiters first come first served, a waiter that aborts leaves
 * the queue (its place goes to the next), only a full queue refuses, and releasing twice frees one slot.
 */
import { describe, expect, it } from 'vitest';
import { HepqError } from '../../exec/batch/index.js';
import { Admission } from '../../server/http/admission.js';

describe('Admission', () => {
  it('admits in arrival order, drops aborted waiters, refuses only when the queue is full', async () => {
    const a = new Admission(1, 3);
    const never = new AbortController().signal;
    const order: string[] = [];
    const note =
      (name: string) =>
      <T>(r: T): T => {
        order.push(name);
        return r;
      };
    const first = await a.acquire(never);
    const gone = new AbortController();
    const waits = {
      b: a.acquire(never).then(note('b')),
      c: a.acquire(gone.signal).then(note('c'), (e: unknown) => {
        order.push('c aborted');
        throw e;
      }),
      d: a.acquire(never).then(note('d')),
    };
    expect(a.queued).toBe(3);
    const full = await a.acquire(never).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(full).toBeInstanceOf(HepqError);
    expect((full as HepqError).code).toBe('server/busy');
    gone.abort();
    await expect(waits.c).rejects.toBeDefined();
    expect(a.queued).toBe(2);
    first();
    first(); // a second release of the same slot frees nothing more
    const b = await waits.b;
    expect(a.inFlight).toBe(1);
    b();
    const d = await waits.d;
    d();
    expect(order).toEqual(['c aborted', 'b', 'd']);
    expect(a.inFlight).toBe(0);
    expect(a.queued).toBe(0);
  });
});
