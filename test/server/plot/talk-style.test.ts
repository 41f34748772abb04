/**
 * Plots ready for a talk (mplhep's CMS/ATLAS styles as the bar): axis titles from the query instead of its raw text,
 * --xlabel/--title/--logy and the experiment/status/luminosity labels, headroom above the data, a legend naming the
 * data, a Data / Pred. ratio panel, and result files that carry their labels. Expected numbers are the inputs'.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clsSpec, histogramSpec, queryAxisLabel, renderSvg, stackSpec } from '../../../server/plot/index.js';
import { runCli } from '../../helpers/cli.js';
import { HAVE_ROOT_DATA, SHARED } from '../../helpers/shared-data.js';

const FILE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hepq-talk-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The text drawn in an SVG (vega writes each label as a <text> element). */
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

describe('axis titles from the query', () => {
  it('names the histogrammed expression, without the lambda variable', () => {
    expect(
      queryAxisLabel('SelectMany(lambda e: e.Jet_pt).Hist(lambda pt: pt, bins=45, range=(15, 60))'),
    ).toBe('Jet_pt');
    expect(
      queryAxisLabel("Select(lambda e: {'m': e.MET_pt}).Hist(lambda r: r.m, bins=10, range=(0, 1))"),
    ).toBe('m');
    expect(queryAxisLabel('Select(lambda e: e.MET_pt * 2).Hist(lambda m: m, bins=10, range=(0, 1))')).toBe(
      'MET_pt * 2',
    );
    expect(queryAxisLabel('Select(lambda e: e.MET_pt)')).toBeUndefined();
  });
});

describe('the talk style of a histogram', () => {
  const h = { edges: [0, 1, 2, 3], counts: [4, 100, 9], sumw2: [4, 100, 9] };

  it('leaves headroom above the tallest bin and its error bar, and draws √Σw² errors', () => {
    const spec = histogramSpec(h) as { layer: { encoding: { y: { scale?: { domain: number[] } } } }[] };
    const top = spec.layer[0]!.encoding.y.scale!.domain[1]!;
    expect(top).toBeGreaterThanOrEqual(1.3 * (100 + 10));
    const values = (spec as unknown as { data: { values: { down: number; up: number }[] } }).data.values;
    expect(values.map((v) => [v.down, v.up])).toEqual([
      [2, 6],
      [90, 110],
      [6, 12],
    ]);
  });

  it('a log y axis spans the smallest positive count to above the largest', () => {
    const spec = histogramSpec(h, { logy: true }) as {
      layer: { encoding: { y: { scale?: Record<string, unknown> } } }[];
    };
    const scale = spec.layer[0]!.encoding.y.scale!;
    expect(scale.type).toBe('log');
    const [lo, hi] = scale.domain as number[];
    expect(lo).toBeLessThanOrEqual(2);
    expect(hi).toBeGreaterThan(110);
  });

  it('stacks with data: a legend naming "Data", and a ratio panel of data over the stack', async () => {
    const s = {
      edges: [0, 1, 2],
      samples: [
        { name: 'bkg', counts: [10, 20] },
        { name: 'sig', counts: [10, 5] },
      ],
      data: [30, 25],
    };
    const spec = stackSpec(s, { x: 'm [GeV]', lumi: '10 fb⁻¹ (13 TeV)' }) as { vconcat: unknown[] };
    expect(spec.vconcat).toHaveLength(2);
    const ratio = JSON.stringify(spec.vconcat[1]);
    // data / (sum of samples) per bin: 30/20 and 25/25
    expect(ratio).toContain('"r":1.5');
    expect(ratio).toContain('"r":1,');
    const drawn = texts(await renderSvg(spec as never));
    for (const t of ['bkg', 'sig', 'Data', 'Data / Pred.', 'm [GeV]', '10 fb⁻¹ (13 TeV)', 'hepq'])
      expect(drawn, t).toContain(t);
  });

  it('a CLs scan has a legend for the observed, expected and bands', async () => {
    const scan = {
      mu: [0, 1, 2],
      obs: [1, 0.3, 0.02],
      exp: [
        [1, 1, 1, 1, 1],
        [0.1, 0.2, 0.3, 0.5, 0.7],
        [0.001, 0.005, 0.02, 0.08, 0.2],
      ],
    };
    const drawn = texts(await renderSvg(clsSpec(scan)));
    for (const t of ['Observed', 'Expected', 'Expected ± 1σ', 'Expected ± 2σ', 'CLs = 0.05'])
      expect(drawn, t).toContain(t);
  });
});

describe.skipIf(!HAVE_ROOT_DATA)('hepq query --plot and hepq plot', () => {
  it('titles the x axis with the expression, not the raw query, and takes the talk options', async () => {
    const q = 'SelectMany(lambda e: e.Jet_pt).Hist(lambda pt: pt, bins=45, range=(15, 60))';
    const plain = join(dir, 'plain.svg');
    expect((await runCli('query', q, FILE, '--plot', plain, '--quiet')).code).toBe(0);
    const a = texts(readFileSync(plain, 'utf8'));
    expect(a).toContain('Jet_pt');
    expect(a).toContain('hepq');
    expect(a.join(' ')).not.toContain('SelectMany');
    const dressed = join(dir, 'dressed.svg');
    const r = await runCli(
      ...['query', q, FILE, '--plot', dressed, '--quiet', '--xlabel', 'jet pT [GeV]', '--title', 'Jets'],
      ...['--experiment', 'CMS', '--status', 'Open Data', '--lumi', '4.4 fb⁻¹ (8 TeV)', '--logy'],
    );
    expect(r.code).toBe(0);
    const b = texts(readFileSync(dressed, 'utf8'));
    for (const t of ['jet pT [GeV]', 'Jets', 'CMS', 'Open Data', '4.4 fb⁻¹ (8 TeV)'])
      expect(b, t).toContain(t);
    expect(b).not.toContain('hepq');
    // log axis: decades are labelled
    expect(b.some((t) => t === '1,000' || t === '1000')).toBe(true);
  });

  it('hepq plot keeps the labels a result file carries; options override them', async () => {
    const file = join(dir, 'mass.json');
    writeFileSync(
      file,
      JSON.stringify({ edges: [80, 90, 100], counts: [5, 7], labels: { x: 'm(μμ) [GeV]', title: 'Z peak' } }),
    );
    const out = join(dir, 'mass.svg');
    expect((await runCli('plot', file, '--out', out)).code).toBe(0);
    expect(texts(readFileSync(out, 'utf8'))).toEqual(expect.arrayContaining(['m(μμ) [GeV]', 'Z peak']));
    expect((await runCli('plot', file, '--out', out, '--title', 'other')).code).toBe(0);
    const t = texts(readFileSync(out, 'utf8'));
    expect(t).toContain('other');
    expect(t).toContain('m(μμ) [GeV]');
  });
});
