/** Parallel generation (clusters on worker threads) gives exactly the serial stream: same batches, same files. */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateEvents } from '../../../connectors/synthetic/index.js';
import { main } from '../../../server/cli/main.js';
import { generateEventsParallel, writeRoot } from '../../../server/output/index.js';

describe('generateEventsParallel', () => {
  it('two workers write a byte-identical ROOT file to the serial generator', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hepq-parallel-'));
    for (const d of ['serial', 'parallel']) mkdirSync(join(dir, d));
    const opts = { schema: 'adl' as const, events: 25_000, seed: 77, batchSize: 4000 };
    await writeRoot(join(dir, 'serial', 'x.root'), generateEvents(opts), { clusterEntries: 4000 });
    await writeRoot(join(dir, 'parallel', 'x.root'), generateEventsParallel({ ...opts, workers: 2 }), {
      clusterEntries: 4000,
    });
    expect(
      readFileSync(join(dir, 'parallel', 'x.root')).equals(readFileSync(join(dir, 'serial', 'x.root'))),
    ).toBe(true);
  });

  it('hepq generate --workers gives the same Parquet file as without', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hepq-parallel-cli-'));
    const io = { out: () => {}, err: () => {} };
    for (const [d, w] of [
      ['a', '0'],
      ['b', '1'],
    ] as const) {
      mkdirSync(join(dir, d));
      const args = [
        'generate',
        '--events',
        '9000',
        '--cluster',
        '2000',
        '--seed',
        '3',
        '--workers',
        w,
        '--quiet',
      ];
      expect(await main([...args, '--out', join(dir, d, 'x.parquet')], io)).toBe(0);
    }
    expect(readFileSync(join(dir, 'a', 'x.parquet')).equals(readFileSync(join(dir, 'b', 'x.parquet')))).toBe(
      true,
    );
  });
});
