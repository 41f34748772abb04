/**
 * func_adl typed or pasted over several lines as a func_adl user writes it — continuation lines starting with
 * `.Select(…)`, a query in outer brackets — through a real pseudo-terminal; the counts come from jsroot's reading.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complete } from '../../../server/repl/completion.js';
import { splitStatements } from '../../../server/repl/dot-commands.js';
import { awaitsMore, awaitsOperators, isContinuation, unwrapParens } from '../../../server/repl/input.js';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';
import { SHARED } from '../../helpers/shared-data.js';
import { ensureBuilt, havePty, Terminal } from './pty.js';

const FILE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
let home: string;
let twoMuons = -1;

beforeAll(async () => {
  ensureBuilt();
  home = mkdtempSync(join(tmpdir(), 'hepq-multiline-'));
  if (existsSync(FILE)) {
    const nMuon = (await (await openJsrootTree(FILE, 'Events')).read('nMuon')) as number[];
    twoMuons = nMuon.filter((n) => n >= 2).length;
  }
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function open(): Promise<Terminal> {
  const t = new Terminal([FILE], { HEPQ_HOME: home });
  await t.waitFor(/hepq> $/);
  return t;
}

/** The lines of REPL output that are a bare number. */
const numbers = (out: string) =>
  out
    .split('\n')
    .filter((l) => /^\s*\d+\s*$/.test(l))
    .map((l) => Number(l));

describe('reading multi-line func_adl', () => {
  it('knows a continuation line, a dataset waiting for its operators, and outer brackets', () => {
    expect(isContinuation('  .Select(lambda e: e.x)')).toBe(true);
    expect(isContinuation('.schema Muon_*')).toBe(false);
    expect(awaitsOperators("EventDataset('f.root')")).toBe(true);
    expect(awaitsOperators('FuncADLQueryPHYSLITE()')).toBe(true);
    expect(awaitsOperators('Select(lambda e: e.x)')).toBe(false);
    expect(awaitsOperators("EventDataset('f.root').Count()")).toBe(false);
    const q = "EventDataset('f.root')\n  .Where(lambda e: e.n > 1)";
    expect(awaitsMore(q, '  .Where(lambda e: e.n > 1)')).toBe(true);
    expect(awaitsMore(`${q}\n  .Count()`, '  .Count()')).toBe(false);
    expect(awaitsMore(`${q}\n`, '')).toBe(false);
    expect(awaitsMore('Select(lambda e: e.n)\n  .Where(lambda n: n > 1)', '  .Where(lambda n: n > 1)')).toBe(
      false,
    );
    expect(unwrapParens("(EventDataset('f.root')\n .Count())")).toBe("EventDataset('f.root')\n .Count()");
    // qastle keeps its brackets, and so does a query that only starts with one
    expect(unwrapParens("(call Select (call EventDataset 'f.root') (lambda (list e) e))")).toMatch(/^\(call/);
    expect(unwrapParens('(a).Count()')).toBe('(a).Count()');
    expect(unwrapParens("(Select(lambda e: ')').Count())")).toBe("Select(lambda e: ')').Count()");
  });

  it('groups a script the way the REPL groups typed lines (.read)', () => {
    const script = `.timer off\nSelect(lambda e: e.nMuon)\n  .Where(lambda n: n >= 2)\n  .Count()\nSELECT 1\n  AS one;\n.format csv\n`;
    expect(splitStatements(script)).toEqual([
      '.timer off',
      'Select(lambda e: e.nMuon)\n  .Where(lambda n: n >= 2)\n  .Count()',
      'SELECT 1\n  AS one;',
      '.format csv',
    ]);
  });

  it("completes a collection's members after `e.Muon.` with nothing typed yet", () => {
    const names = ['nMuon', 'Muon_pt', 'Muon_eta', 'Muon_charge', 'MET_pt'];
    const src = { names: () => names, functions: () => [], saved: () => [] };
    const [hits, word] = complete('Select(lambda e: e.Muon.', src);
    expect(word).toBe('');
    expect(hits).toEqual(expect.arrayContaining(['pt', 'eta', 'charge', 'Where', 'Select']));
    expect(hits).not.toContain('MET_pt');
    expect(complete('  .Whe', src)).toEqual([['Where'], 'Whe']);
  });
});

describe.skipIf(!havePty || !existsSync(FILE))(
  'the REPL answers func_adl over several lines (pseudo-terminal)',
  () => {
    it('three lines pasted at once, continuation lines starting with `.`, run as one query', async () => {
      const t = await open();
      try {
        const from = t.raw.length;
        t.type('Select(lambda e: e.nMuon)\r    .Where(lambda n: n >= 2)\r    .Count()\r');
        const out = await t.waitFor(new RegExp(`^${twoMuons}$`, 'm'), from);
        expect(numbers(out)).toEqual([twoMuons]);
        expect(out).not.toContain('unknown command');
        expect(out).not.toMatch(/rows?,/); // the first line did not run alone (it would print a table)
      } finally {
        t.kill();
      }
    });

    it('three lines typed one by one: the dataset waits for its operators, the last line runs them', async () => {
      const t = await open();
      try {
        let from = t.raw.length;
        t.type(`EventDataset('${FILE}')\r`);
        await t.waitFor(/\.\.\.> $/, from);
        from = t.raw.length;
        t.type('  .Where(lambda e: e.nMuon >= 2)\r');
        await t.waitFor(/\.\.\.> $/, from);
        const out = await t.run('  .Count()');
        expect(numbers(out)).toEqual([twoMuons]);
      } finally {
        t.kill();
      }
    });

    it('a query in outer brackets over three lines is func_adl, not qastle', async () => {
      const t = await open();
      try {
        let from = t.raw.length;
        t.type('(Select(lambda e: e.nMuon)\r');
        await t.waitFor(/\.\.\.> $/, from);
        from = t.raw.length;
        t.type(' .Where(lambda n: n >= 2)\r');
        await t.waitFor(/\.\.\.> $/, from);
        const out = await t.run(' .Count())');
        expect(numbers(out)).toEqual([twoMuons]);
      } finally {
        t.kill();
      }
    });

    it('a `.Where(…)` line typed after a query ran extends that query', async () => {
      const t = await open();
      try {
        await t.run('Select(lambda e: e.nMuon)');
        await t.run('  .Where(lambda n: n >= 2)');
        const out = await t.run('  .Count()');
        expect(out).toContain('(continuing the last query)');
        expect(numbers(out)).toEqual([twoMuons]);
        const lone = new Terminal([FILE], { HEPQ_HOME: home });
        try {
          await lone.waitFor(/hepq> $/);
          const err = await lone.run('.Count()');
          expect(err).toContain("'.Count(' continues a func_adl query");
        } finally {
          lone.kill();
        }
      } finally {
        t.kill();
      }
    });

    it('.read runs a script of multi-line statements; .maxrows and .q', async () => {
      const script = join(home, 'cuts.hepq');
      writeFileSync(script, 'Select(lambda e: e.nMuon)\n  .Where(lambda n: n >= 2)\n  .Count()\n');
      const t = await open();
      try {
        const out = await t.run(`.read ${script}`);
        expect(numbers(out)).toEqual([twoMuons]);
        await t.run('.maxrows 3');
        const rows = await t.run('Select(lambda e: e.nMuon)');
        expect(rows.split('\n').filter((l) => /^\s*\d+\s+\d+\s*$/.test(l))).toHaveLength(3);
        t.type('.q\r');
        expect(await t.exit()).toBe(0);
      } finally {
        t.kill();
      }
    });
  },
);
