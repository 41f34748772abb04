/** Result tables fit the terminal (jagged values shortened, widest column narrowed), and the completer's choices. */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resultToJson } from '../../../exec/index.js';
import { COLLECTION_OPS } from '../../../planner/ir/index.js';
import { collections, complete } from '../../../server/repl/completion.js';
import { isComplete, openBrackets } from '../../../server/repl/input.js';
import { eventsViewSql, histogramCsv } from '../../../server/repl/repl.js';
import { formatCell, renderCsv, renderTable } from '../../../server/repl/table.js';
import { Session } from '../../../server/session.js';
import { SHARED } from '../../helpers/shared-data.js';

const ADL = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;

describe.skipIf(!existsSync(ADL))('tuple columns', () => {
  it('are named as the query result names them (col1, col2 …), in the table and the CSV alike', async () => {
    const session = new Session({ threads: 1 });
    try {
      const r = await session.query('Select(lambda e: (e.nMuon, e.nJet)).Take(3)', { files: [ADL] });
      if (r.kind !== 'rows') throw new Error(`expected rows, got ${r.kind}`);
      const names = r.schema.fields.map((f) => f.name);
      expect(names).toEqual(['col1', 'col2']);
      const rows = resultToJson(r) as unknown as unknown[][];
      expect(
        renderTable(rows as never, r.shape)
          .split('\n')[0]!
          .trim()
          .split(/\s+/),
      ).toEqual(names);
      expect(renderCsv(rows as never, r.shape).split('\n')[0]).toBe(names.join(','));
    } finally {
      await session.close();
    }
  });
});

describe('renderTable', () => {
  const rows = Array.from({ length: 30 }, (_, i) => ({
    run: 1000 + i,
    pt: Array.from({ length: i }, (_, k) => k + 0.5),
    tag: `event-${'x'.repeat(i)}`,
  }));

  it('fits the width, shortens long lists with their remaining count, and shows head, tail and the row count', () => {
    const text = renderTable(rows, 'dict', 60, 20);
    const lines = text.trimEnd().split('\n');
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(60);
    expect(lines[0]).toMatch(/^\s+run\s+pt\s+tag$/);
    expect(lines.at(-1)).toBe('(30 rows, 3 columns)');
    // rows 0–14, an ellipsis row, rows 25–29
    expect(lines.filter((l) => l.includes('⋮'))).toHaveLength(1);
    expect(lines.some((l) => /^ 0\s+1000\s+\[\]\s+event-$/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('29   1029'))).toBe(true);
    expect(lines.some((l) => l.startsWith('15 '))).toBe(false);
    // the 29-item list is cut, ending in '…'
    const last = lines.find((l) => l.startsWith('29 '))!;
    expect(last).toContain('…');
  });

  it('formats lists with how many items were left out, numbers to 6 significant digits', () => {
    expect(formatCell([1, 2, 3])).toBe('[1, 2, 3]');
    expect(
      formatCell(
        Array.from({ length: 40 }, (_, i) => i),
        20,
      ),
    ).toBe('[0, 1, 2, 3, … +36]');
    expect(formatCell(Math.PI)).toBe('3.14159');
    expect(formatCell({ pt: 1.5, eta: [0.25] })).toBe('{pt: 1.5, eta: [0.25]}');
    expect(formatCell(null)).toBe('null');
  });

  it('writes histograms as CSV, one row per bin (x outer for 2-D)', () => {
    expect(histogramCsv({ edges: [0, 1, 2], counts: [3, 4] })).toBe('low,high,count\n0,1,3\n1,2,4\n');
    expect(histogramCsv({ edges: [0, 1, 2], edges2: [5, 6, 7], counts: [1, 2, 3, 4] })).toBe(
      'x_low,x_high,y_low,y_high,count\n0,1,5,6,1\n0,1,6,7,2\n1,2,5,6,3\n1,2,6,7,4\n',
    );
  });

  it('the SQL view of the open files: root() per tree (unioned by name), read_parquet for Parquet, quotes doubled', () => {
    expect(eventsViewSql(['/d/a.root'], ['Events'])).toBe(
      "CREATE OR REPLACE VIEW events AS SELECT * FROM root('/d/a.root', 'Events')",
    );
    expect(eventsViewSql(['/d/a.root', "/d/it's.root"], ['Events', 'Events'])).toBe(
      "CREATE OR REPLACE VIEW events AS SELECT * FROM root('/d/a.root', 'Events') UNION ALL BY NAME SELECT * FROM root('/d/it''s.root', 'Events')",
    );
    expect(eventsViewSql(['/d/a.parquet', '/d/b.parquet'], ['a', 'b'])).toBe(
      "CREATE OR REPLACE VIEW events AS SELECT * FROM read_parquet(['/d/a.parquet', '/d/b.parquet'])",
    );
    expect(eventsViewSql(['/d/a.parquet', '/d/b.root'], ['a', 'Events'])).toBeUndefined();
    expect(eventsViewSql([], [])).toBeUndefined();
  });

  it('writes CSV with nested values as JSON, quoted', () => {
    expect(renderCsv([{ a: 1, b: [1, 2] }], 'dict')).toBe('a,b\n1,"[1,2]"\n');
    expect(renderCsv([[1, 'x,y']], 'tuple')).toBe('col1,col2\n1,"x,y"\n');
  });
});

describe('input and completion', () => {
  it('a statement is complete when its brackets and strings close (brackets in strings do not count)', () => {
    expect(openBrackets("Select(lambda e: {'a': e.x")).toBe('({');
    expect(isComplete('Select(lambda e:')).toBe(false);
    expect(isComplete("Select(lambda e: ')(')")).toBe(true);
    expect(isComplete('.schema Muon')).toBe(true);
    expect(isComplete('SELECT 1')).toBe(false);
    expect(isComplete('SELECT 1;')).toBe(true);
    expect(isComplete('SELECT 1\n')).toBe(true);
  });

  it('completes branches after a dot, operators and functions elsewhere, and dot-commands', () => {
    const src = {
      names: () => ['Muon_pt', 'Muon_eta', 'MET_pt', 'nMuon'],
      functions: () => ['DeltaR'],
      saved: () => ['zpeak'],
    };
    expect(complete('Select(lambda e: e.Mu', src)).toEqual([['Muon', 'Muon_eta', 'Muon_pt'], 'Mu']);
    expect(complete('Sel', src)).toEqual([['Select', 'SelectMany'], 'Sel']);
    // every operator of the vocabulary completes, the newest (a fold) and the defaulting First included
    for (const op of COLLECTION_OPS)
      expect(complete(`Select(lambda e: e.Muon_pt.${op.slice(0, 3)}`, src)[0]).toContain(op);
    expect(complete('Agg', src)).toEqual([['Aggregate'], 'Agg']);
    expect(complete('Select(lambda e: Delt', src)).toEqual([['DeltaR'], 'Delt']);
    expect(complete('.sc', src)).toEqual([['.schema'], '.sc']);
    expect(complete('.load z', src)).toEqual([['zpeak'], 'z']);
    expect(collections(['Jet_pt', 'Jet_eta', 'MET_pt', 'nJet'])).toEqual(['Jet']);
    // members of a collection after its name, and of any collection after a lambda's element
    expect(complete('Select(lambda e: e.Muon.e', src)).toEqual([['eta'], 'e']);
    expect(complete('e.Muon.Where(lambda m: m.p', src)).toEqual([['pt'], 'p']);
  });
});
