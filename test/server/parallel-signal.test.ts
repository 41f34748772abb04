/**
 * A query of more than 10 morsels on worker threads shares one AbortSignal across them (piscina puts an 'abort'
 * listener on it per task in flight): it must not print Node's MaxListenersExceededWarning (it landed over the
 * REPL's progress bar), query after query, and Ctrl-C (abort) still stops it. The count is the file's 1,000,000
 * entries (its manifest) times the 12 times it is named.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../../server/session.js';
import { ROOT_DATA } from '../helpers/shared-data.js';

const BIG = `${ROOT_DATA}uproot-issue412.root`;
const FILES = Array.from({ length: 12 }, () => BIG);

describe('many morsels on one signal', () => {
  const session = new Session({ threads: 2, parallelMinBytes: 0 });
  afterAll(() => session.close());

  it('runs three 12-file queries without a MaxListenersExceededWarning, and an aborted one stops', async () => {
    const p = await session.prepare('Select(lambda e: e.b1).Count()', { files: FILES });
    const target = (await session.physical(p)).target;
    if (target.kind !== 'threads') throw new Error(`expected worker threads, got ${target.kind}`);
    expect(target.morsels.length).toBeGreaterThan(10);

    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      for (let i = 0; i < 3; i++) {
        const r = await session.query('Select(lambda e: e.b1).Count()', {
          files: FILES,
          signal: new AbortController().signal,
        });
        expect(r.kind === 'value' ? r.value : undefined).toBe(12_000_000);
      }
      const stop = new AbortController();
      const running = session.query('Select(lambda e: e.b1 + e.b1).Sum()', {
        files: FILES,
        signal: stop.signal,
      });
      stop.abort(new Error('cancelled by the test'));
      await expect(running).rejects.toThrow();
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => /MaxListeners/.test(w))).toEqual([]);
  });
});
