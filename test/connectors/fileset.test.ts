// Filesets (coffea's JSON and YAML forms), their metadata as query parameters, named parameters bound at run
// time, and the seeded per-event random functions.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFileset, parseFileset } from '../../connectors/index.js';
import { HepqError } from '../../exec/batch/index.js';
import { type HistogramResult, selectHistograms } from '../../exec/index.js';
import { Session } from '../../server/index.js';
import { runCli } from '../helpers/cli.js';
import { SHARED } from '../helpers/shared-data.js';

const FILE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
const HAVE = existsSync(FILE);
const dir = mkdtempSync(join(tmpdir(), 'hepq-fileset-'));
const session = new Session({ threads: 1 });
afterAll(async () => {
  await session.close();
  rmSync(dir, { recursive: true, force: true });
});

const MET =
  'EventDataset().Hist(lambda e: e.MET_pt, bins=10, range=(0, 100), weight=lambda e: xsec * lumi / nevts)';

describe('filesets', () => {
  it('read coffea JSON and YAML, resolving relative paths against the fileset', () => {
    writeFileSync(
      join(dir, 'fs.json'),
      JSON.stringify({
        ttbar: {
          files: { 'a.root': 'Events', 'b.root': 'Events' },
          metadata: { xsec: 729.84, is_data: false },
        },
        data: { files: ['/abs/d.root'], treename: 'Events', metadata: { is_data: true } },
      }),
    );
    writeFileSync(
      join(dir, 'fs.yaml'),
      'ttbar:\n  files:\n    a.root: Events\n    b.root: Events\n  metadata:\n    xsec: 729.84\n    is_data: false\ndata:\n  files: [/abs/d.root]\n  treename: Events\n  metadata: {is_data: true}\n',
    );
    for (const f of ['fs.json', 'fs.yaml']) {
      const fs = loadFileset(join(dir, f));
      expect(fs.datasets.map((d) => d.name)).toEqual(['ttbar', 'data']);
      expect(fs.datasets[0]!.files).toEqual([join(dir, 'a.root'), join(dir, 'b.root')]);
      expect(fs.datasets[0]!.tree).toBe('Events');
      expect(fs.datasets[0]!.metadata).toEqual({ xsec: 729.84, is_data: false });
      expect(fs.datasets[1]!.files).toEqual(['/abs/d.root']);
      expect(fs.datasets[1]!.metadata).toEqual({ is_data: true });
    }
  });

  it('say what is wrong with a bad fileset, and where', () => {
    const err = (raw: unknown) => {
      try {
        parseFileset(raw, '.', 'fs.json');
      } catch (e) {
        return e as HepqError;
      }
      throw new Error('expected an error');
    };
    expect(err({ a: { fils: ['x.root'] } }).hint).toMatch(/did you mean files/);
    expect(err({ a: { files: [] } }).message).toMatch(/lists no files/);
    expect(err({ a: { files: ['x'], metadata: { 'x-sec': 1 } } }).message).toMatch(
      /cannot be used in a query/,
    );
    expect(err([]).location?.file).toBe('fs.json');
    writeFileSync(join(dir, 'bad.json'), '{"a": ');
    expect(() => loadFileset(join(dir, 'bad.json'))).toThrow(/not valid JSON/);
  });

  it.skipIf(!HAVE)('bind each dataset’s metadata as query parameters, one pass per file', async () => {
    const fileset = parseFileset({
      a: { files: [FILE], metadata: { xsec: 2, nevts: 1000 } },
      b: { files: [FILE, FILE], metadata: { xsec: 5, nevts: 2000 } },
    });
    const r = await session.queryFileset(MET, fileset, { params: { lumi: 10 } });
    const plain = await session.query('EventDataset().Hist(lambda e: e.MET_pt, bins=10, range=(0, 100))', {
      files: [FILE],
    });
    const counts = (plain as { histogram: HistogramResult }).histogram.counts;
    expect(r.files).toBe(3);
    expect(r.histograms!.categories).toEqual(['dataset']);
    const [a] = selectHistograms(r.histograms!, { dataset: 'a' });
    const [b] = selectHistograms(r.histograms!, { dataset: 'b' });
    // a: weight 2·10/1000 per event; b: two files of the same events at 5·10/2000.
    a!.counts.forEach((c, i) => {
      expect(c).toBeCloseTo(counts[i]! * 0.02, 9);
    });
    b!.counts.forEach((c, i) => {
      expect(c).toBeCloseTo(counts[i]! * 2 * 0.025, 9);
    });
  });

  it.skipIf(!HAVE)('run over a fileset from the CLI with --param', async () => {
    writeFileSync(join(dir, 'cli.yaml'), `one:\n  files: [${FILE}]\n  metadata: {xsec: 3, nevts: 100}\n`);
    const r = await runCli('query', MET, '--fileset', join(dir, 'cli.yaml'), '--param', 'lumi=2');
    expect(r.code, r.err).toBe(0);
    const set = JSON.parse(r.out) as {
      categories: string[];
      histograms: { labels: object; counts: number[] }[];
    };
    expect(set.categories).toEqual(['dataset']);
    expect(set.histograms[0]!.labels).toEqual({ dataset: 'one' });
    const plain = await session.query('EventDataset().Hist(lambda e: e.MET_pt, bins=10, range=(0, 100))', {
      files: [FILE],
    });
    const counts = (plain as { histogram: HistogramResult }).histogram.counts;
    set.histograms[0]!.counts.forEach((c, i) => {
      expect(c).toBeCloseTo(counts[i]! * 0.06, 9);
    });
    const bad = await runCli('query', MET, FILE, '--param', 'lumi');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/not NAME=VALUE/);
  });

  it.skipIf(!HAVE)('are tables in SQL, and func_adl takes parameters there', async () => {
    const path = join(dir, 'sql.json');
    writeFileSync(
      path,
      JSON.stringify({
        a: { files: [FILE], metadata: { xsec: 2, is_data: false } },
        b: { files: [FILE, FILE], treename: 'Events', metadata: { xsec: 5, label: 'bee' } },
      }),
    );
    const r = await session.sql(
      `SELECT dataset, file, tree, xsec, is_data, label FROM fileset('${path}') ORDER BY dataset`,
    );
    expect(r.rowCount).toBe(3);
    expect(r.columns[0]).toEqual(['a', 'b', 'b']);
    expect(r.columns[1]).toEqual([FILE, FILE, FILE]);
    expect(r.columns[2]).toEqual(['', 'Events', 'Events']);
    expect(r.columns[3]).toEqual([2, 5, 5]);
    expect(r.columns[5]).toEqual(['', 'bee', 'bee']);
    const h = await session.sql(
      `SELECT sum(count) FROM func_adl('${MET}', '${FILE}', params := '{"xsec": 2, "lumi": 3, "nevts": 4}')`,
    );
    const plain = await session.query('EventDataset().Hist(lambda e: e.MET_pt, bins=10, range=(0, 100))', {
      files: [FILE],
    });
    const inRange = (plain as { histogram: HistogramResult }).histogram.counts.reduce((a, c) => a + c, 0);
    expect(Number(h.columns[0]![0])).toBeCloseTo(inRange * 1.5, 9);
  });

  it.skipIf(!HAVE)('name a missing parameter at its place in the query', async () => {
    const e = await session.query(MET, { files: [FILE], params: { xsec: 1, nevts: 1 } }).catch((x) => x);
    expect(e).toBeInstanceOf(HepqError);
    expect(String((e as HepqError).message)).toMatch(/lumi/);
    expect((e as HepqError).span).toBeDefined();
  });
});

describe.skipIf(!HAVE)('rand and randn', () => {
  const values = async (expr: string, range?: { start: number; stop: number }) => {
    const r = await session.query(`EventDataset().Select(lambda e: ${expr})`, {
      files: [FILE],
      ...(range ? { range } : {}),
    });
    if (r.kind !== 'rows') throw new Error('rows expected');
    return r.batches.flatMap((b) => [...(b.columns[0] as { values: Float64Array }).values]);
  };

  it('give the same number for the same event whatever the entry range it is read in', async () => {
    const whole = await values('rand(7, e.event)');
    const parts = [
      ...(await values('rand(7, e.event)', { start: 0, stop: 300 })),
      ...(await values('rand(7, e.event)', { start: 300, stop: 1000 })),
    ];
    expect(parts).toEqual(whole);
    const reversedKeys = await values('rand(7, e.event)', { start: 500, stop: 1000 });
    expect(reversedKeys).toEqual(whole.slice(500));
    expect(await values('rand(8, e.event)')).not.toEqual(whole);
  });

  it('are uniform on [0, 1) and standard normal', async () => {
    const u = await values('rand(1, e.event, e.luminosityBlock)');
    const n = u.length;
    expect(n).toBe(1000);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const mean = u.reduce((a, x) => a + x, 0) / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    // ten equal bins: χ² with 9 degrees of freedom stays below 30 (p ≈ 4e-4)
    const bins = new Array(10).fill(0);
    for (const x of u) bins[Math.floor(x * 10)]++;
    expect(bins.reduce((a, c) => a + (c - n / 10) ** 2 / (n / 10), 0)).toBeLessThan(30);
    const g = await values('randn(3, e.event)');
    const gm = g.reduce((a, x) => a + x, 0) / n;
    const gv = g.reduce((a, x) => a + (x - gm) ** 2, 0) / (n - 1);
    expect(Math.abs(gm)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(gv - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });
});
