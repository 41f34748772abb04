/**
 * `hepq sql` shows DuckDB's progress as a bar on a terminal (a pseudo-terminal here), erased before the result;
 * `--quiet` hides it and a piped run prints the result alone. The query pairs every x < 20000 with every y < 20000
 * and counts x·y ≡ 3 (mod 7): x and y must be non-zero mod 7 and y's residue is fixed by x's, so the count is
 * 6 residues × 2857 × 2857 = 48974694 (each non-zero residue occurs 2857 times below 20000), worked out by hand.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';
import { SHARED } from '../../helpers/shared-data.js';
import { ensureBuilt, havePty, REPO, Terminal } from '../repl/pty.js';

const ADL = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;

const run = promisify(execFile);
const SQL =
  'CREATE TABLE a AS SELECT range AS x FROM range(20000); SELECT count(*) AS n FROM a, a AS b WHERE (a.x * b.x) % 7 = 3';
const COUNT = String(6 * 2857 * 2857);
const BAR = /sql [█░]{10,} +\d+% [\d.]+[kMG]?\/[\d.]+[kMG]? rows/;

beforeAll(() => ensureBuilt());

/** Wait for the result on the screen, then for the exit; the exit code. */
async function finished(t: Terminal): Promise<number> {
  await t.waitFor(new RegExp(`${COUNT}\\s*\\n\\(1 row\\)`));
  return await t.exit();
}

describe.skipIf(!havePty)('hepq sql progress bar', () => {
  it('draws DuckDB progress on a terminal and erases it before the result', async () => {
    const t = new Terminal(['sql', SQL]);
    try {
      expect(await finished(t)).toBe(0);
      expect(t.raw).toMatch(BAR);
      const lines = t.text.split('\n').map((l) => l.trim());
      expect(lines).toContain(COUNT);
      expect(t.text).not.toMatch(/rows\/s/); // the screen no longer shows the bar
    } finally {
      t.kill();
    }
  });

  it('--quiet on a terminal, and a piped run, print the result alone', async () => {
    const t = new Terminal(['sql', SQL, '--quiet']);
    try {
      expect(await finished(t)).toBe(0);
      expect(t.raw).not.toMatch(/rows\/s|█|░/);
      expect(t.text.split('\n').map((l) => l.trim())).toContain(COUNT);
    } finally {
      t.kill();
    }
    const piped = await run(process.execPath, [join(REPO, 'bin', 'hepq.mjs'), 'sql', SQL]);
    expect(piped.stderr).toBe('');
    expect(piped.stdout.split('\n').map((l) => l.trim())).toContain(COUNT);
    expect(piped.stdout).not.toMatch(/\x1b|█/);
  });

  it('draws it in the REPL too, for SQL typed at the prompt', async () => {
    const home = mkdtempSync(join(tmpdir(), 'hepq-sqlbar-'));
    const t = new Terminal(['repl'], { HEPQ_HOME: home });
    try {
      await t.waitFor(/hepq> $/);
      const from = t.raw.length;
      const out = await t.run(`${SQL};`);
      expect(t.raw.slice(from)).toMatch(/scan [█░]{10,} +\d+% [\d.]+[kMG]?\/[\d.]+[kMG]? rows/);
      expect(out).toMatch(new RegExp(`^\\s*0\\s+${COUNT}\\s*$`, 'm')); // row 0 of the table
      expect(out).not.toMatch(/rows\/s/);
      expect(await t.exit()).toBe(0);
    } finally {
      t.kill();
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("shows root()'s branch reads (entries read of the tree's 1000) before DuckDB scans them", async () => {
    const ref = await openJsrootTree(ADL, 'Events');
    const nMuon = (await ref.read('nMuon')) as number[];
    const expected = nMuon.filter((n) => n >= 2).length;
    const t = new Terminal(['sql', `SELECT count(*) AS n FROM root('${ADL}', 'Events') WHERE nMuon >= 2`]);
    try {
      await t.waitFor(/\(1 row\)/);
      expect(await t.exit()).toBe(0);
      // the first update (0 of 1000) and the last (all 1000) are always drawn
      expect(t.raw).toMatch(/sql [█░]{10,} +0% 0\/1\.00k entries/);
      expect(t.raw).toMatch(/sql █{10,} 100% 1\.00k\/1\.00k entries/);
      expect(t.text).toMatch(new RegExp(`^\\s*${expected}\\s*$`, 'm'));
      expect(t.text).not.toMatch(/entries\/s/);
    } finally {
      t.kill();
    }
  });
});
