/**
 * dump's branch globs (`Muon_*`) and table format, and inspect's header row; expected names and values from
 * jsroot's reading of the file.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expandBranches } from '../../../server/cli/commands/dump.js';
import { runCli } from '../../helpers/cli.js';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';
import { SHARED } from '../../helpers/shared-data.js';

const FILE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;

describe('branch globs', () => {
  it('expand in the tree order, keep plain names, refuse a glob matching nothing', () => {
    const names = ['nMuon', 'Muon_pt', 'Muon_eta', 'Jet_pt', 'MET_pt'];
    expect(expandBranches(['Muon_*'], names)).toEqual(['Muon_pt', 'Muon_eta']);
    expect(expandBranches(['*_pt', 'nMuon'], names)).toEqual(['Muon_pt', 'Jet_pt', 'MET_pt', 'nMuon']);
    expect(() => expandBranches(['Electron_*'], names)).toThrow(/no branch matches 'Electron_\*'/);
  });
});

describe.skipIf(!existsSync(FILE))('hepq dump and inspect', () => {
  it("--branch 'MET_*' reads the matching branches; --format table prints them aligned with a header", async () => {
    const ref = await openJsrootTree(FILE, 'Events');
    const metNames = ref.branches.filter((n) => n.startsWith('MET_'));
    const r = await runCli('dump', FILE, '--tree', 'Events', '--branch', 'MET_*', '--stop', '3');
    expect(r.code).toBe(0);
    const rows = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(Object.keys(rows[0]).sort()).toEqual([...metNames].sort());
    const met = (await ref.read('MET_pt', 3)) as number[];
    expect(rows.map((row) => Math.fround(row.MET_pt))).toEqual(met);
    const t = await runCli(
      'dump',
      FILE,
      '--tree',
      'Events',
      '--branch',
      'MET_pt',
      '--stop',
      '3',
      '--format',
      'table',
    );
    const lines = t.out.trimEnd().split('\n');
    expect(lines[0]!.trim().split(/\s+/)).toEqual(['MET_pt']);
    expect(lines[1]).toMatch(/^─/);
    expect(lines.slice(2, 5).map((l) => Math.fround(Number(l.trim().split(/\s+/)[1])))).toEqual(
      met.map((v) => Math.fround(Number(v.toPrecision(6)))),
    );
    expect(lines.at(-1)).toBe('(3 rows)');
  });

  it('inspect prints a header row over the branch columns', async () => {
    const r = await runCli('inspect', FILE);
    const lines = r.out.split('\n');
    const header = lines.findIndex((l) =>
      /^\s+branch\s+ROOT type\s+column\s+compressed \/ in memory/.test(l),
    );
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 1]).toMatch(/^\s+run\s+int32_t\s+int32\s/);
  });
});

describe.skipIf(!existsSync(FILE))('--out', () => {
  it('says what it wrote, as --plot does', async () => {
    const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'hepq-out-'));
    try {
      const out = join(dir, 'met.csv');
      const r = await runCli(
        'dump',
        FILE,
        '--tree',
        'Events',
        '--branch',
        'MET_pt',
        '--stop',
        '3',
        '--format',
        'csv',
        '--out',
        out,
      );
      expect(r.code).toBe(0);
      const size = readFileSync(out).byteLength;
      expect(r.err).toBe(`wrote ${out} (${size} bytes)\n`);
      expect(r.out).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
