/**
 * Ctrl-R reverse-i-search in the REPL, through a real pseudo-terminal, over the history persisted by an earlier
 * session: typing narrows to the newest match, Ctrl-R again goes to an older one, Enter runs the match (its answer
 * checked against jsroot), a search with no match says so, and Ctrl-G / Ctrl-C give back the line as it was.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';
import { SHARED } from '../../helpers/shared-data.js';
import { ensureBuilt, havePty, Terminal } from './pty.js';

const FILE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
let home: string;

beforeAll(() => {
  ensureBuilt();
  home = mkdtempSync(join(tmpdir(), 'hepq-search-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function open(): Promise<Terminal> {
  const t = new Terminal([FILE], { HEPQ_HOME: home });
  await t.waitFor(/hepq> $/);
  return t;
}

describe.skipIf(!havePty || !existsSync(FILE))('Ctrl-R history search (pseudo-terminal)', () => {
  it('finds, steps back through and runs queries typed in an earlier session', async () => {
    const first = await open();
    await first.run('Select(lambda e: e.nJet).Max()');
    await first.run('Select(lambda e: e.nMuon).Count()');
    await first.run('.tables');
    expect(await first.exit()).toBe(0);

    const ref = await openJsrootTree(FILE, 'Events');
    const nJet = (await ref.read('nJet')) as number[];
    const t = await open();
    try {
      let from = t.raw.length;
      t.type('\x12'); // Ctrl-R
      await t.waitFor(/\(reverse-i-search\)`': $/, from);
      t.type('e.n');
      await t.waitFor(/\(reverse-i-search\)`e\.n': Select\(lambda e: e\.nMuon\)\.Count\(\)$/, from);
      t.type('\x12'); // an older match
      await t.waitFor(/\(reverse-i-search\)`e\.n': Select\(lambda e: e\.nJet\)\.Max\(\)$/, from);
      from = t.raw.length;
      t.type('\r'); // runs it
      const out = await t.waitFor(/hepq> $/, from);
      expect(out.trim().split('\n')).toContain(String(Math.max(...nJet)));

      from = t.raw.length;
      t.type('Select(\x12zzz'); // a search with no match, then Ctrl-G: the line typed before it is back
      await t.waitFor(/\(failed reverse-i-search\)`zzz': Select\($/, from);
      t.type('\x07');
      await t.waitFor(/hepq> Select\($/, from);
      t.type('\x15'); // Ctrl-U: empty line
      await t.waitFor(/hepq> $/, from);

      from = t.raw.length;
      t.type('\x12Max\x03'); // Ctrl-C leaves the search (nothing runs, the REPL stays)
      await t.waitFor(/hepq> $/, from);
      expect(t.exited).toBeUndefined();
      const after = await t.run('.tables');
      expect(after).not.toMatch(/reverse-i-search/);
    } finally {
      await t.exit();
    }
  });
});
