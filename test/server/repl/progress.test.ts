/**
 * The progress reporter: drawn on a terminal only, silent when piped or --quiet, with rate and ETA worked out by
 * hand from a fake clock; and `hepq query` in a pseudo-terminal shows the bar while piped output stays clean.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { humanDuration, ProgressReporter, streamWithProgress } from '../../../server/cli/progress.js';
import { SHARED } from '../../helpers/shared-data.js';
import { ensureBuilt, havePty, REPO, Terminal } from './pty.js';

const FILE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 100, write: (t: string) => writes.push(t) } };
}

describe('ProgressReporter', () => {
  it('draws done/total, percentage, rate and ETA on a terminal, then erases the line', () => {
    let now = 0;
    const { writes, stream } = fakeStream(true);
    const p = new ProgressReporter({ stream, label: 'scan', now: () => now });
    p.update({ done: 0, total: 10_000, unit: 'events' });
    now = 2000; // 2 s later, 2500 of 10000: 1250 events/s, 7500 left → 6 s
    p.update({ done: 2500, total: 10_000, unit: 'events' });
    const line = writes.at(-1)!;
    expect(line).toContain('scan ');
    expect(line).toContain(' 25% 2.50k/10.0k events');
    expect(line).toContain('1.25k events/s');
    expect(line).toContain('ETA 6s');
    expect(line.startsWith('\r\x1b[2K')).toBe(true);
    now = 2010; // within the redraw interval: not drawn
    const n = writes.length;
    p.update({ done: 2600, total: 10_000, unit: 'events' });
    expect(writes.length).toBe(n);
    p.finish();
    expect(writes.at(-1)).toBe('\r\x1b[2K');
  });

  it('stays silent when the stream is not a terminal, or when quiet', () => {
    for (const [tty, quiet] of [
      [false, false],
      [true, true],
    ] as const) {
      const { writes, stream } = fakeStream(tty);
      const p = new ProgressReporter({ stream, quiet });
      p.update({ done: 1, total: 2, unit: 'events' });
      p.update({ done: 2, total: 2, unit: 'events' });
      p.finish();
      expect(writes).toEqual([]);
      expect(p.enabled).toBe(false);
    }
  });

  it('streamWithProgress passes batches and the schema through, reporting rows done', async () => {
    const schema = { fields: [{ name: 'x' }] };
    const source = {
      schema,
      async *[Symbol.asyncIterator]() {
        for (const length of [2, 3, 5]) yield { length };
      },
    };
    const seen: number[] = [];
    const s = streamWithProgress(source, 10, (u) => seen.push(u.done));
    expect(s.schema).toBe(schema);
    const lengths: number[] = [];
    for await (const b of s) lengths.push(b.length);
    expect(lengths).toEqual([2, 3, 5]);
    expect(seen).toEqual([0, 2, 5, 10]);
  });

  it('formats durations as a person reads them', () => {
    expect(humanDuration(42)).toBe('42s');
    expect(humanDuration(185)).toBe('3m05s');
    expect(humanDuration(3720)).toBe('1h02m');
    expect(humanDuration(Number.NaN)).toBe('?');
  });
});

describe.skipIf(!havePty || !existsSync(FILE))('hepq query progress on a terminal', () => {
  beforeAll(() => ensureBuilt());
  const q = 'Select(lambda e: e.nMuon).Count()';

  it('shows a scan bar on a terminal, none with --quiet, and piped JSON stays clean', async () => {
    const t = new Terminal(['query', q, FILE, '--threads', '1']);
    await t.exit();
    expect(t.raw).toMatch(/scan .*100% 1\.00k\/1\.00k events/);
    expect(t.text.trim().split('\n').at(-1)).toBe('1000');
    const quiet = new Terminal(['query', q, FILE, '--threads', '1', '--quiet']);
    await quiet.exit();
    expect(quiet.raw).not.toContain('scan');
    expect(quiet.text.trim()).toBe('1000');
    const piped = execFileSync(process.execPath, [join(REPO, 'bin', 'hepq.mjs'), 'query', q, FILE], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(piped).toBe('1000\n');
  });

  it('hepq generate shows its bar on a terminal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hepq-gen-'));
    try {
      const t = new Terminal([
        'generate',
        '--events',
        '30000',
        '--cluster',
        '10000',
        '--out',
        join(dir, 'g.root'),
      ]);
      expect(await t.exit()).toBe(0);
      expect(t.raw).toMatch(/generate .*100% 30\.0k\/30\.0k events/);
      expect(t.text).toContain('wrote 30000 adl events');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
