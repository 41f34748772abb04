/** The Session and `hepq query`/`explain` over real ROOT files, checked against jsroot's reading of the same branches. */
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { alignedBoundaries, openRootTable } from '../../connectors/root/index.js';
import { type Column, valueAt } from '../../exec/batch/index.js';
import { Session } from '../../server/session.js';
import { runCli } from '../helpers/cli.js';
import { openJsrootTree } from '../helpers/jsroot-reference.js';
import { ROOT_DATA, SHARED } from '../helpers/shared-data.js';

const ADL = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
const SAMPLE = `${ROOT_DATA}uproot-sample-6.20.04-zlib.root`;
const NESTED = `${ROOT_DATA}uproot-nesteddirs.root`;

const run = runCli;

const columnValues = (c: Column, n: number) => Array.from({ length: n }, (_, i) => valueAt(c, i));

describe('Session over ROOT files', () => {
  const session = new Session();
  afterAll(() => session.close());

  it('counts events passing a cut exactly as a plain loop over jsroot values does', async () => {
    const ref = await openJsrootTree(ADL, 'Events');
    const nMuon = (await ref.read('nMuon')) as number[];
    const expected = nMuon.filter((n) => n >= 2).length;
    const r = await session.query('Where(lambda e: e.nMuon >= 2).Count()', { files: [ADL] });
    expect(r).toEqual({ kind: 'value', value: expected });
    // Several files read as one tree: the same file twice counts twice; a leading dot and EventDataset work too.
    const twice = await session.query('.Where(lambda e: e.nMuon >= 2).Count()', { files: [ADL, ADL] });
    expect(twice).toEqual({ kind: 'value', value: 2 * expected });
    const named = await session.query(
      `EventDataset('${ADL}', 'Events').Where(lambda e: e.nMuon >= 2).Count()`,
    );
    expect(named).toEqual({ kind: 'value', value: expected });
  });

  it('explain analyze counts the rows reaching each stage as a plain loop does', async () => {
    const ref = await openJsrootTree(ADL, 'Events');
    const nMuon = (await ref.read('nMuon')) as number[];
    const met = (await ref.read('MET_pt')) as number[];
    const first = nMuon.filter((n) => n >= 2).length;
    const both = nMuon.filter((n, i) => n >= 2 && met[i]! > 30).length;
    const text = await session.explainAnalyze(
      'Where(lambda e: e.nMuon >= 2).Where(lambda e: e.MET_pt > 30).Select(lambda e: e.Muon_pt)',
      { files: [ADL], optimize: false },
    );
    expect(text).toMatch(/Analyze: 1,000 of 1,000 entries scanned/);
    expect(text).toContain(`events: 1,000 → Where`);
    expect(text).toContain(
      `after Where: ${first} → Where  (${((100 * first) / 1000).toFixed(1)}% passed the Where)`,
    );
    expect(text).toContain(`after Where: ${both} → Select`);
    expect(text).toContain(`result: ${both} rows`);
  });

  it('reports progress up to the total number of events', async () => {
    const seen: number[] = [];
    await session.query('Select(lambda e: e.MET_pt).Count()', {
      files: [ADL, ADL],
      onProgress: (p) => {
        expect(p.total).toBe(2000);
        seen.push(p.done);
      },
    });
    expect(seen.at(-1)).toBe(2000);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('names a mistyped branch with a caret and a suggestion, and lists trees when none fits', async () => {
    await expect(session.query('Select(lambda e: e.nMuonn)', { files: [ADL] })).rejects.toThrow(
      /unknown column nMuonn/,
    );
    await expect(session.query('Select(lambda e: e.Int32)', { files: [NESTED] })).rejects.toThrow(
      /several trees.*one\/two\/tree.*three\/tree/,
    );
    const r = await session.query('Select(lambda e: e.Int32).Count()', {
      files: [NESTED],
      tree: 'one/two/tree',
    });
    expect(r).toEqual({ kind: 'value', value: 100 });
  });
});

describe('ROOT connector table', () => {
  it('scans in batches that start on basket boundaries and together equal jsroot entry by entry', async () => {
    const table = await openRootTable(SAMPLE, 'sample');
    const ref = await openJsrootTree(SAMPLE, 'sample');
    const names = ['n', 'i4', 'Ai4', 'af8'];
    const got: Record<string, unknown[]> = Object.fromEntries(names.map((n) => [n, []]));
    const starts: number[] = [];
    let at = 0;
    for await (const b of table.scan({ columns: names, batchSize: 1 })) {
      starts.push(at);
      for (const [i, n] of names.entries()) got[n]!.push(...columnValues(b.columns[i]!, b.length));
      at += b.length;
    }
    expect(at).toBe(30);
    expect(starts.length).toBeGreaterThan(1);
    const bounds = new Set(alignedBoundaries(table.tree, names));
    for (const s of starts) expect(bounds.has(s)).toBe(true);
    for (const n of names) {
      const expected = ((await ref.read(n)) ?? []).map((v) => (Array.isArray(v) ? v.map(Number) : Number(v)));
      expect(got[n]!.map((v) => (Array.isArray(v) ? v.map(Number) : Number(v)))).toEqual(expected);
    }
    await table.close();
  });

  it('skips clusters where a pushed filter keeps nothing, without reading their other branches', async () => {
    const table = await openRootTable(SAMPLE, 'sample');
    const all = await openJsrootTree(SAMPLE, 'sample');
    const n = ((await all.read('n')) as number[]).map(Number);
    const batches = async (value: number) => {
      let rows = 0;
      for await (const b of table.scan({
        columns: ['n', 'Ai4'],
        batchSize: 1,
        filters: [{ column: 'n', op: '>=', value }],
      }))
        rows += b.length;
      return rows;
    };
    expect(await batches(Math.max(...n) + 1)).toBe(0);
    expect(await batches(Math.min(...n))).toBe(30);
    expect(table.supportsFilter({ column: 'Ai4', op: '>', value: 0 })).toBe('unsupported');
    await table.close();
  });

  it('stops reading filter branches first once a pushed filter has skipped nothing for a while', async () => {
    const file = `${ROOT_DATA}uproot-issue412.root`; // 1,000,000 entries in 100 clusters
    const table = await openRootTable(file, 'test');
    const b1 = ((await (await openJsrootTree(file, 'test')).read('b1')) as number[]).map(Number);
    const source = table.handle.file.source;
    const scan = async (value: number) => {
      const before = source.stats.requests;
      let batches = 0;
      let sum = 0;
      let rows = 0;
      const filters = [{ column: 'b1', op: '>=' as const, value }];
      for await (const b of table.scan({ columns: ['b1', 'b2'], batchSize: 10_000, filters })) {
        batches++;
        rows += b.length;
        const c = b.columns[0]!;
        for (let i = 0; i < b.length; i++) sum += Number(valueAt(c, i));
      }
      return { batches, requests: source.stats.requests - before, sum, rows };
    };
    // A filter that keeps every entry: after 8 batches, only every 8th batch still reads b1 before b2 (two
    // reads); the others read both in one.
    const [lo, hi] = b1.reduce(([a, b], x) => [Math.min(a, x), Math.max(b, x)], [Infinity, -Infinity]);
    const all = await scan(lo!);
    expect(all.rows).toBe(b1.length);
    expect(all.sum).toBe(b1.reduce((a, x) => a + x, 0));
    expect(all.batches).toBeGreaterThan(32);
    expect(all.requests).toBeLessThan(1.5 * all.batches);
    // One that keeps nothing still skips every batch (probing never stops while it skips).
    expect((await scan(hi! + 1)).rows).toBe(0);
    await table.close();
  });
});

describe('hepq query and hepq explain', () => {
  it('prints a count, rows as jsonl, and errors with a caret', async () => {
    const ref = await openJsrootTree(ADL, 'Events');
    const nMuon = (await ref.read('nMuon')) as number[];
    const met = (await ref.read('MET_pt')) as number[];
    const count = await run('query', 'Where(lambda e: e.nMuon >= 2).Count()', ADL);
    expect(count.code).toBe(0);
    expect(JSON.parse(count.out)).toBe(nMuon.filter((x) => x >= 2).length);
    const rows = await run(
      'query',
      "Where(lambda e: e.nMuon >= 2).Select(lambda e: {'n': e.nMuon, 'met': e.MET_pt})",
      ADL,
    );
    const parsed = rows.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { n: number; met: number });
    const idx = nMuon.map((x, i) => (x >= 2 ? i : -1)).filter((i) => i >= 0);
    expect(parsed.map((r) => r.n)).toEqual(idx.map((i) => nMuon[i]));
    // float32 values print as their shortest decimals: read back as float32 they are the stored values
    expect(parsed.map((r) => Math.fround(r.met))).toEqual(idx.map((i) => met[i]));
    const bad = await run('query', 'Select(lambda e: e.MET_ptt)', ADL);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/\^+/);
    expect(bad.err).toMatch(/did you mean MET_pt/);
  });

  it('prints rows as awkward tolist() does: tuples as arrays, single values bare; --file names inputs', async () => {
    const ref = await openJsrootTree(ADL, 'Events');
    const nMuon = (await ref.read('nMuon')) as number[];
    const met = (await ref.read('MET_pt')) as number[];
    const idx = nMuon.map((n, i) => (n >= 3 ? i : -1)).filter((i) => i >= 0);
    const tuples = await run(
      'query',
      '--file',
      ADL,
      'Where(lambda e: e.nMuon >= 3).Select(lambda e: (e.nMuon, e.MET_pt))',
      '--format',
      'json',
    );
    expect((JSON.parse(tuples.out) as [number, number][]).map(([n, m]) => [n, Math.fround(m)])).toEqual(
      idx.map((i) => [nMuon[i], met[i]]),
    );
    const bare = await run('query', '-f', ADL, 'Where(lambda e: e.nMuon >= 3).Select(lambda e: e.MET_pt)');
    expect(
      bare.out
        .trim()
        .split('\n')
        .map((l) => Math.fround(Number(l))),
    ).toEqual(idx.map((i) => met[i]));
    const table = await run(
      'query',
      '-f',
      ADL,
      'Where(lambda e: e.nMuon >= 3).Select(lambda e: e.nMuon)',
      '--format',
      'table',
    );
    expect(table.out).toContain(`(${idx.length} rows`);
  });

  it('skims to a ROOT file that jsroot reads back row for row', async () => {
    const ref = await openJsrootTree(ADL, 'Events');
    const nMuon = (await ref.read('nMuon')) as number[];
    const met = (await ref.read('MET_pt')) as number[];
    const out = `${tmpdir()}/hepq-skim-${process.pid}.root`;
    const r = await run(
      'query',
      "Where(lambda e: e.nMuon >= 2).Select(lambda e: {'met': e.MET_pt})",
      ADL,
      '--format',
      'root',
      '--out',
      out,
    );
    expect(r.code).toBe(0);
    const skim = await openJsrootTree(out, 'Events');
    expect(await skim.read('met')).toEqual(met.filter((_, i) => nMuon[i]! >= 2));
  });

  it('explains which branches a query reads and the filter it pushes', async () => {
    const r = await run('explain', "Where(lambda e: e.nMuon >= 2).Select(lambda e: {'pt': e.Muon_pt})", ADL);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/columns read: 2 of \d+/);
    expect(r.out).toMatch(/^\s+nMuon\s/m);
    expect(r.out).toMatch(/^\s+Muon_pt\s/m);
    expect(r.out).not.toMatch(/^\s+Jet_pt\s/m);
    expect(r.out).toMatch(/pushed filters: nMuon >= 2/);
  });
});
