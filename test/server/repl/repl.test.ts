/**
 * The REPL as a person uses it, through a real pseudo-terminal: a query prints a table (checked against jsroot),
 * a multi-line query runs when its brackets close, a broken query shows the caret and the REPL goes on, Tab
 * completes a branch, Ctrl-C cancels a long scan, a histogram is drawn, and history/saved queries persist.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';
import { SHARED } from '../../helpers/shared-data.js';
import { ensureBuilt, havePty, Terminal } from './pty.js';

const FILE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
const REF_Q2 = `${SHARED}conformance-data/adl-benchmark/sql_ref_q2.csv`;
let home: string;

beforeAll(() => {
  ensureBuilt();
  home = mkdtempSync(join(tmpdir(), 'hepq-repl-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function open(files: string[] = [FILE]): Promise<Terminal> {
  const t = new Terminal(files, { HEPQ_HOME: home });
  await t.waitFor(/hepq> $/);
  return t;
}

describe.skipIf(!havePty || !existsSync(FILE))('hepq FILE (the REPL through a pseudo-terminal)', () => {
  it('prints a query result as an aligned table, with the values jsroot reads', async () => {
    const ref = await openJsrootTree(FILE, 'Events');
    const nMuon = (await ref.read('nMuon', 5)) as number[];
    const pt = (await ref.read('Muon_pt', 5)) as number[][];
    const t = await open();
    try {
      const out = await t.run("Select(lambda e: {'n': e.nMuon, 'pt': e.Muon_pt}).Take(5)");
      const lines = out.split('\n');
      const header = lines.findIndex((l) => /^\s+n\s+pt\s*$/.test(l));
      expect(header).toBeGreaterThanOrEqual(0);
      for (let i = 0; i < 5; i++) {
        const row = lines[header + 2 + i]!;
        const cells = row.trim().split(/\s{3,}/);
        expect(cells[0]).toBe(String(i));
        expect(Number(cells[1])).toBe(nMuon[i]);
        // the first muon's pT, to 6 significant digits
        expect(cells[2]).toContain(String(Number(pt[i]![0]!.toPrecision(6))));
      }
      expect(out).toContain('(5 rows, 2 columns)');
    } finally {
      await t.exit();
    }
  });

  it('runs a query typed over several lines once its brackets close; counts match the file', async () => {
    const t = await open();
    try {
      const from = t.raw.length;
      t.type('Select(lambda e:\r');
      await t.waitFor(/\.\.\.> $/, from);
      const out = await t.run('   e.MET_pt).Count()');
      expect(out.trim().split('\n')).toContain('1000');
    } finally {
      await t.exit();
    }
  });

  it('runs SQL typed over several lines once it ends in a semicolon; group counts match jsroot', async () => {
    const ref = await openJsrootTree(FILE, 'Events');
    const nMuon = (await ref.read('nMuon')) as number[];
    const want = new Map<number, number>();
    for (const n of nMuon) want.set(n, (want.get(n) ?? 0) + 1);
    const t = await open();
    try {
      const from = t.raw.length;
      t.type(`SELECT nMuon, count(*) AS events FROM root('${FILE}', 'Events')\r`);
      await t.waitFor(/\.\.\.> $/, from);
      const out = await t.run('GROUP BY nMuon ORDER BY nMuon;');
      const rows = out
        .split('\n')
        .map((l) => l.trim().split(/\s+/).map(Number))
        .filter((r) => r.length === 3 && r.every(Number.isFinite));
      expect(rows.map(([, n, c]) => [n, c])).toEqual([...want].sort((a, b) => a[0]! - b[0]!));
      // the open file is the view `events`; its MET mean equals the mean of what jsroot reads
      const met = (await ref.read('MET_pt')) as number[];
      const view = await t.run('SELECT count(*) AS n, avg(MET_pt) AS met FROM events;');
      const [, n, mean] = view
        .split('\n')
        .map((l) => l.trim().split(/\s+/))
        .find((r) => r.length === 3 && r[0] === '0')!;
      expect(Number(n)).toBe(met.length);
      expect(Number(mean)).toBeCloseTo(met.reduce((a, b) => a + b, 0) / met.length, 3);
    } finally {
      await t.exit();
    }
  });

  it("prints SQL values as hepq sql does: DuckDB's text in the table, its CSV with .format csv", async () => {
    const t = await open();
    try {
      const sql =
        "SELECT 1.0::DOUBLE AS d, 0.1::FLOAT AS f, [1, 2] AS l, {'a': 1, 'b': 'x'} AS s, NULL AS n;";
      const table = await t.run(sql);
      // the cells DuckDB's CAST(x AS VARCHAR) gives (the reference values of the issue), NULL as NULL
      const row = table.split('\n').find((l) => l.includes("{'a': 1, 'b': x}"));
      expect(
        row
          ?.trim()
          .split(/\s{3,}/)
          .slice(-5),
      ).toEqual(['1.0', '0.1', '[1, 2]', "{'a': 1, 'b': x}", 'NULL']);
      await t.run('.format csv');
      const csv = await t.run(sql);
      expect(csv.replace(/\r/g, '')).toContain(`d,f,l,s,n\n1.0,0.1,"[1, 2]","{'a': 1, 'b': x}",\n`);
    } finally {
      await t.exit();
    }
  });

  it('shows a broken query with a caret under the mistake and a hint, then carries on', async () => {
    const t = await open();
    try {
      const out = await t.run('Select(lambda e: e.Muon_ptt)');
      const lines = out.split('\n');
      const src = lines.findIndex((l) => l.includes('| Select(lambda e: e.Muon_ptt)'));
      expect(src).toBeGreaterThan(0);
      const caret = lines[src + 1]!;
      // the carets sit under the unknown member access `e.Muon_ptt`
      expect(caret.indexOf('^')).toBe(lines[src]!.indexOf('e.Muon_ptt'));
      expect(caret.trim()).toBe('^'.repeat('e.Muon_ptt'.length));
      expect(out).toMatch(/did you mean Muon_pt/);
      const next = await t.run('Select(lambda e: e.nMuon).Count()');
      expect(next.trim().split('\n')).toContain('1000');
    } finally {
      expect(await t.exit()).toBe(0);
    }
  });

  it('completes a branch name with Tab, and the completed query runs', async () => {
    const ref = await openJsrootTree(FILE, 'Events');
    const nMuon = (await ref.read('nMuon')) as number[];
    const t = await open();
    try {
      const from = t.raw.length;
      t.type('Select(lambda e: e.Muon_char\t');
      await t.waitFor(/e\.Muon_charge$/, from);
      const out = await t.run('.Count()).Sum()');
      expect(out.trim().split('\n')).toContain(String(nMuon.reduce((a, b) => a + b, 0)));
    } finally {
      await t.exit();
    }
  });

  it('draws a histogram in the terminal with the reference total and overflow (ADL task 2)', async () => {
    const ref = readFileSync(REF_Q2, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').map(Number));
    const inRange = ref.filter(([x]) => x! > 15 && x! < 60).reduce((a, [, y]) => a + y!, 0);
    const over = ref.filter(([x]) => x! > 60).reduce((a, [, y]) => a + y!, 0);
    const t = await open();
    try {
      const out = await t.run('SelectMany(lambda e: e.Jet_pt).Hist(lambda pt: pt, bins=45, range=(15, 60))');
      expect(out).toContain(`${inRange} entries in 45 bins`);
      expect(out).toContain(`overflow ${over}`);
      expect(out).toMatch(/█/);
      expect(out).toMatch(/^\s+15\s.*\s60$/m);
      const again = await t.run('.hist');
      expect(again).toContain(`${inRange} entries in 45 bins`);
      const svgPath = join(home, 'jets.svg');
      expect(await t.run(`.plot ${svgPath}`)).toContain(`wrote ${svgPath}`);
      expect(readFileSync(svgPath, 'utf8').match(/aria-roledescription="rect mark"/g)).toHaveLength(45);
    } finally {
      await t.exit();
    }
  });

  it('Ctrl-C cancels a long scan, not the REPL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hepq-many-'));
    const files = Array.from({ length: 300 }, (_, i) => {
      const f = join(dir, `copy${i}.root`);
      symlinkSync(FILE, f);
      return f;
    });
    const t = await open(files);
    try {
      const from = t.raw.length;
      t.type(
        'Select(lambda e: e.Muon.Choose(2).Count() + e.Jet.Choose(4).Count() + e.Electron.Choose(2).Count()).Sum()\r',
      );
      await t.waitFor(/scan .*events/, from);
      t.type('\x03');
      const out = await t.waitFor(/hepq> $/, from);
      expect(out).toContain('query cancelled');
      expect(out).not.toMatch(/^\d+$/m);
      const next = await t.run('Select(lambda e: e.nMuon).Count()');
      expect(next.trim().split('\n')).toContain('300000');
    } finally {
      await t.exit();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('dot-commands: .schema, .explain, .format csv, .output FILE, and a tree that does not exist', async () => {
    const ref = await openJsrootTree(FILE, 'Events');
    const met = (await ref.read('MET_pt', 3)) as number[];
    const t = await open();
    const outFile = join(home, 'results.csv');
    try {
      const schema = await t.run('.schema Muon_p*');
      expect(schema).toMatch(/Muon_pt\s+list<float32>/);
      expect(schema).toMatch(/Muon_phi\s+list<float32>/);
      expect(schema).not.toMatch(/Muon_eta/);
      const explain = await t.run('.explain Select(lambda e: e.MET_pt).Where(lambda m: m > 50).Count()');
      expect(explain).toMatch(/columns read: 1 of \d+/);
      expect(explain).toMatch(/^\s+MET_pt\s/m);
      await t.run('.format csv');
      const csv = await t.run('Select(lambda e: e.MET_pt).Take(3)');
      const lines = csv.split('\n').filter((l) => /^[\d.]+$|^value$/.test(l.trim()));
      // float32 values print as their shortest decimals: read back as float32 they are the stored values
      expect(lines[0]!.trim()).toBe('value');
      expect(lines.slice(1).map((l) => Math.fround(Number(l)))).toEqual(met);
      await t.run(`.output ${outFile}`);
      const quiet = await t.run('Select(lambda e: e.MET_pt).Take(3)');
      expect(quiet).not.toContain(String(met[0]));
      const saved = readFileSync(outFile, 'utf8').trim().split('\n');
      expect(saved[0]).toBe('value');
      expect(saved.slice(1).map((l) => Math.fround(Number(l)))).toEqual(met);
      await t.run('.output');
      const globDir = mkdtempSync(join(home, 'glob-'));
      for (const n of ['a.root', 'b.root', 'notes.txt']) symlinkSync(FILE, join(globDir, n));
      const globbed = await t.run(`.open ${globDir}/*.root`);
      expect(globbed).toContain('2 files, 2000 entries in all');
      expect(globbed).not.toContain('notes.txt');
      expect((await t.run(`.open ${globDir}/*.parquet`)).trim()).toContain(
        `no file matches ${globDir}/*.parquet`,
      );
      const bad = await t.run(`.open ${FILE} --tree Evnts`);
      expect(bad).toContain("no object 'Evnts'");
      expect(bad).toContain("did you mean 'Events'?");
      // a failed .open keeps the files opened before it: the two globbed copies
      const still = await t.run('Select(lambda e: e.nMuon).Count()');
      expect(still.trim().split('\n')).toContain('2000');
    } finally {
      await t.exit();
    }
  });

  it('keeps history and saved queries across sessions', async () => {
    const first = await open();
    const from0 = first.raw.length;
    first.type('Select(lambda e:\r');
    await first.waitFor(/\.\.\.> $/, from0);
    await first.run('   e.nMuon).Count()');
    await first.run('Select(lambda e: e.nJet).Max()');
    await first.run('.save maxjets');
    expect(await first.exit()).toBe(0);
    const t = await open();
    try {
      const from = t.raw.length;
      t.type('\x1b[A'); // arrow up: the last line typed in the previous session
      await t.waitFor(/\.save maxjets$/, from);
      t.type('\x1b[A\x1b[A'); // two more: the multi-line query, recalled whole on one line
      await t.waitFor(/hepq> Select\(lambda e: e\.nMuon\)\.Count\(\)$/, from);
      const cleared = t.raw.length;
      t.type('\x15'); // Ctrl-U clears the line: wait for the redrawn empty prompt before typing on
      await t.waitFor(/hepq> $/, cleared);
      const out = await t.run('.load maxjets');
      const ref = await openJsrootTree(FILE, 'Events');
      const nJet = (await ref.read('nJet')) as number[];
      expect(out.trim().split('\n')).toContain(String(Math.max(...nJet)));
    } finally {
      await t.exit();
    }
  });
  it('.param and .fileset: parameters bound in later queries, a fileset run dataset by dataset', async () => {
    writeFileSync(join(home, 'fs.json'), JSON.stringify({ one: { files: [FILE], metadata: { xsec: 3 } } }));
    const t = await open();
    try {
      await t.run('.param lumi=2');
      expect(await t.run('.param')).toContain('lumi = 2');
      // lumi alone: each of the 1000 events counts twice
      expect(await t.run('Select(lambda e: lumi).Sum()')).toMatch(/\b2000\b/);
      expect(await t.run(`.fileset ${join(home, 'fs.json')}`)).toContain('one (1 file)');
      const out = await t.run(
        'Select(lambda e: e.nMuon).Hist(lambda n: n, bins=1, range=(0, 100), weight=lambda n: xsec * lumi)',
      );
      expect(out).toContain('"dataset": "one"');
      expect(out).toMatch(/"counts": \[\s*6000\s*\]/);
    } finally {
      await t.exit();
    }
  });
});
