/**
 * `hepq query` on a terminal versus a pipe: a histogram is drawn on a terminal and stays JSON when piped, `--format
 * csv` gives one row per bin, and binary formats refuse a terminal. Counts come from the ADL benchmark's reference.
 */
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { SHARED } from '../../helpers/shared-data.js';
import { ensureBuilt, havePty, Terminal } from './pty.js';

const FILE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
const REF_Q2 = `${SHARED}conformance-data/adl-benchmark/sql_ref_q2.csv`;
const Q = 'SelectMany(lambda e: e.Jet_pt).Hist(lambda pt: pt, bins=100, range=(15, 60))';
const edge = (i: number) => 15 + 0.45 * i;

/** The reference counts of the 100 bins from 15 to 60 (the reference lists its non-empty bins by centre). */
function reference(): number[] {
  const rows = readFileSync(REF_Q2, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));
  return Array.from(
    { length: 100 },
    (_, i) => rows.find(([x]) => x! > edge(i) && x! < edge(i + 1))?.[1] ?? 0,
  );
}

beforeAll(() => ensureBuilt());

describe.skipIf(!havePty || !existsSync(FILE) || !existsSync(REF_Q2))('hepq query with a histogram', () => {
  it('piped: JSON; --format csv: one row per bin with its edges, the reference counts', async () => {
    const want = reference();
    const json = await runCli('query', Q, FILE);
    expect(JSON.parse(json.out).counts).toEqual(want);
    const csv = await runCli('query', Q, FILE, '--format', 'csv');
    expect(csv.code).toBe(0);
    const lines = csv.out.trim().split('\n');
    expect(lines[0]).toBe('low,high,count');
    const rows = lines.slice(1).map((l) => l.split(',').map(Number));
    expect(rows.map((r) => r[2])).toEqual(want);
    rows.forEach((r, i) => {
      expect(r[0]).toBeCloseTo(edge(i), 9);
      expect(r[1]).toBeCloseTo(edge(i + 1), 9);
    });
  });

  it('on a terminal: drawn, with the entry count and the histogrammed expression', async () => {
    const total = reference().reduce((a, b) => a + b, 0);
    const t = new Terminal(['query', Q, FILE, '--quiet']);
    try {
      const out = await t.waitFor(new RegExp(`${total} entries in 100 bins`));
      expect(out).toMatch(/█/);
      expect(out).toContain('Jet_pt');
      expect(out).not.toContain('"counts"');
    } finally {
      t.kill();
    }
  });

  it('binary formats refuse a terminal and say what to do', async () => {
    const t = new Terminal(['query', 'Select(lambda e: e.MET_pt)', FILE, '--format', 'arrow']);
    try {
      const out = await t.waitFor(/hint: .*--out FILE\.arrow/);
      expect(out).toContain('--format arrow is binary and stdout is a terminal');
    } finally {
      t.kill();
    }
  });
});
