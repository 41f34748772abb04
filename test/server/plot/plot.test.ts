/**
 * Plots as a person makes them with the built CLI: `hepq query … --plot`, `hepq plot RESULT`, `hepq limit --plot`.
 * Bar heights and CLs points are checked against references computed elsewhere (the ADL benchmark's SQL reference
 * histogram, pyhf's CLs scan), and the PNG is decoded here pixel by pixel.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJsrootTree } from '../../helpers/jsroot-reference.js';
import { SHARED } from '../../helpers/shared-data.js';
import { ensureBuilt, REPO } from '../repl/pty.js';
import { readPng } from './png.js';

const FILE = `${SHARED}conformance-data/func_adl_uproot/Run2012B_SingleMu_1000.root`;
const REF_Q2 = `${SHARED}conformance-data/adl-benchmark/sql_ref_q2.csv`;
const WS = `${SHARED}data/stats/workspaces/pyhf_examples/2-bin_1-channel.json`;
const WS_REF = `${SHARED}data/stats/expected/pyhf_2bin_1channel.json`;
const BAR = 'fill="#4c78a8"';
let dir: string;

function hepq(...args: string[]): { out: string; err: string } {
  const r = execFileSync(process.execPath, [join(REPO, 'bin', 'hepq.mjs'), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { out: r, err: '' };
}

/** The rect-mark paths of an SVG bar chart: x, y, width, height of each bar in drawing order. */
function bars(svg: string): { x: number; y: number; w: number; h: number }[] {
  const out: { x: number; y: number; w: number; h: number }[] = [];
  for (const m of svg.matchAll(
    /<path [^>]*aria-roledescription="rect mark" d="M([-\d.e]+),([-\d.e]+)h([-\d.e]+)v([-\d.e]+)h[^"]*"([^>]*)>/g,
  ))
    if (m[5]!.includes(BAR)) out.push({ x: +m[1]!, y: +m[2]!, w: +m[3]!, h: +m[4]! });
  return out;
}

/** ADL task 2 (jet pT, 100 bins over 15–60 GeV) from the SQL engines' reference file. */
function referenceQ2(): number[] {
  const rows = readFileSync(REF_Q2, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));
  return rows.filter(([x]) => x! > 15 && x! < 60).map(([, y]) => y!);
}

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'hepq-plot-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!existsSync(FILE))('plots of histograms', () => {
  const query = 'SelectMany(lambda e: e.Jet_pt).Hist(lambda pt: pt, bins=100, range=(15, 60))';

  it('hepq query --plot out.svg draws one bar per bin, heights in proportion to the reference counts', () => {
    const svgPath = join(dir, 'jets.svg');
    const { out } = hepq('query', query, FILE, '--plot', svgPath, '--format', 'json');
    expect(JSON.parse(out).counts).toEqual(referenceQ2()); // the printed result is not polluted
    const svg = readFileSync(svgPath, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const [, w, h] = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg)!;
    expect(Number(w)).toBeGreaterThan(560);
    expect(Number(h)).toBeGreaterThan(360);
    const ref = referenceQ2();
    const b = bars(svg);
    expect(b).toHaveLength(100);
    const max = Math.max(...ref);
    const hmax = Math.max(...b.map((r) => r.h));
    b.forEach((r, i) => {
      expect(r.h / hmax).toBeCloseTo(ref[i]! / max, 6);
      expect(r.w).toBeCloseTo(b[0]!.w, 6); // equal bins
      if (i > 0) expect(r.x).toBeCloseTo(b[i - 1]!.x + b[i - 1]!.w, 6); // adjacent, in order
    });
  });

  it('hepq plot RESULT --out out.png renders a PNG at twice the SVG size whose bars have the reference heights', () => {
    const ref = referenceQ2();
    const json = join(dir, 'jets.json');
    writeFileSync(json, hepq('query', query, FILE, '--format', 'json').out);
    const svgPath = join(dir, 'jets2.svg');
    const pngPath = join(dir, 'jets.png');
    hepq('plot', json, '--out', svgPath);
    hepq('plot', json, '--out', pngPath, '--xlabel', 'jet pT [GeV]');
    const svg = readFileSync(svgPath, 'utf8');
    const [, sw, sh] = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg)!;
    const png = readPng(readFileSync(pngPath));
    expect(png.width).toBe(2 * Number(sw));
    expect(png.height).toBe(2 * Number(sh));
    // measure each bar in the image: the bar colour's vertical extent at the bin's centre column
    const isBar = ([r, g, b]: number[]) =>
      Math.abs(r! - 0x4c) < 12 && Math.abs(g! - 0x78) < 12 && Math.abs(b! - 0xa8) < 12;
    const b = bars(svg);
    const [, tx] = /<g[^>]*transform="translate\(([\d.]+),([\d.]+)\)"/.exec(svg)!;
    const heights = b.map((r) => {
      // a quarter into the bar: its centre carries the √N error bar
      const x = Math.round(2 * (Number(tx) + r.x + r.w / 4));
      let n = 0;
      for (let y = 0; y < png.height; y++) if (isBar(png.pixel(x, y))) n++;
      return n;
    });
    const max = Math.max(...ref);
    const hmax = Math.max(...heights);
    heights.forEach((h, i) => {
      expect(Math.abs(h / hmax - ref[i]! / max)).toBeLessThan(0.02); // within a few pixels of 720
    });
  });

  it('hepq plot draws a histogram in the terminal without --out, and names what is wrong with a bad file', () => {
    const json = join(dir, 'small.json');
    writeFileSync(json, JSON.stringify({ edges: [0, 1, 2, 3], counts: [2, 8, 4] }));
    const { out } = hepq('plot', json);
    const rows = out.split('\n');
    // the tallest column is the middle bin; the first bin reaches a quarter of its height
    const plotRows = rows.filter((l) => /[┤│]/.test(l));
    const top = plotRows[0]!;
    const axis = top.search(/[┤│]/);
    const cols = top.slice(axis + 1);
    const third = Math.floor((rows.find((l) => l.includes('┼'))!.length - axis - 1) / 3);
    // the top row is filled only over the middle bin (8 of 8), never over the first (2) or last (4)
    expect(cols.slice(third, 2 * third).trim()).toMatch(/^█+$/);
    expect(cols.slice(0, third).trim()).toBe('');
    expect(cols.slice(2 * third).trim()).toBe('');
    // the first bin's column is a quarter of the plot's height: 2/8 of the rows hold its blocks
    const firstCol = plotRows.map((l) => l[axis + 1 + Math.floor(third / 2)] ?? ' ');
    expect(firstCol.filter((c) => c === '█').length).toBe(plotRows.length / 4);
    expect(out).toContain('14 entries in 3 bins');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ rows: [1, 2] }));
    let err = '';
    try {
      execFileSync(process.execPath, [join(REPO, 'bin', 'hepq.mjs'), 'plot', bad], {
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (e) {
      err = (e as { stderr: string }).stderr;
    }
    expect(err).toContain('error[plot/bad-input]');
    expect(err).toContain('found: rows');
  });
});

describe('stacked samples with data', () => {
  it('hepq plot stacks the samples bin by bin and puts a √N error bar on each data point', () => {
    const json = join(dir, 'stack.json');
    const stack = {
      edges: [0, 10, 20, 30],
      samples: [
        { name: 'bkg', counts: [4, 9, 1] },
        { name: 'sig', counts: [1, 16, 0] },
      ],
      data: [4, 25, 1],
    };
    writeFileSync(json, JSON.stringify(stack));
    const svgPath = join(dir, 'stack.svg');
    hepq('plot', json, '--out', svgPath);
    const svg = readFileSync(svgPath, 'utf8');
    const rects = [
      ...svg.matchAll(/aria-roledescription="rect mark" d="M([-\d.e]+),([-\d.e]+)h([-\d.e]+)v([-\d.e]+)h/g),
    ].map((m) => ({
      y: Number(m[2]),
      h: Number(m[4]),
    }));
    expect(rects).toHaveLength(6);
    // the y scale maps counts linearly: bin 2's stack (bkg 9 + sig 16 = 25) is 25 units tall, bkg 9 of them
    const [b0, b1, , s0, s1] = rects as { y: number; h: number }[];
    const unit = (b1!.h + s1!.h) / 25;
    expect(b1!.h / unit).toBeCloseTo(9, 6);
    expect(s1!.h / unit).toBeCloseTo(16, 6);
    expect(b0!.h / unit).toBeCloseTo(4, 6);
    expect(s0!.h / unit).toBeCloseTo(1, 6);
    // signal sits on top of background: its bottom edge is the background's top edge
    expect(s1!.y + s1!.h).toBeCloseTo(b1!.y, 6);
    // error bars: rules from n − √n to n + √n, i.e. 2√n units tall (2·5 for n = 25)
    const rules = [
      ...svg.matchAll(
        /aria-roledescription="rule mark" transform="translate\([^)]*\)" x2="0" y2="([-\d.e]+)"/g,
      ),
    ].map((m) => Math.abs(Number(m[1])));
    // three on the data points, then three in the Data / Pred. panel under the stack (and its points)
    expect(rules).toHaveLength(6);
    expect(rules[1]! / unit).toBeCloseTo(10, 4);
    expect(svg.match(/aria-roledescription="point"/g)).toHaveLength(6);
  });
});

describe.skipIf(!existsSync(FILE))('2-D histograms', () => {
  it('a Hist2D query matches a plain loop over jsroot values, and its heat map has one cell per filled bin', async () => {
    const t = await openJsrootTree(FILE, 'Events');
    const met = (await t.read('MET_pt')) as number[];
    const nJet = (await t.read('nJet')) as number[];
    const want = new Array<number>(20 * 5).fill(0);
    met.forEach((m, e) => {
      const i = Math.floor(m / 5);
      const j = nJet[e]!;
      if (m >= 0 && m < 100 && j < 5) want[i * 5 + j]!++;
    });
    const svgPath = join(dir, 'met-njet.svg');
    const q = 'Hist2D(lambda e: e.MET_pt, lambda e: e.nJet, bins=(20, 5), range=((0, 100), (0, 5)))';
    const { out } = hepq('query', q, FILE, '--format', 'json', '--plot', svgPath);
    const h = JSON.parse(out);
    expect(h.counts).toEqual(want);
    const svg = readFileSync(svgPath, 'utf8');
    expect(svg.match(/aria-roledescription="rect mark"/g)).toHaveLength(want.filter((c) => c > 0).length);
    const json = join(dir, 'met-njet.json');
    writeFileSync(json, out);
    const term = hepq('plot', json).out;
    expect(term).toContain(
      `${want.reduce((a, b) => a + b, 0)} entries in 20×5 bins, max ${Math.max(...want)} per cell`,
    );
    expect(term.split('\n').filter((l) => /[┤│]/.test(l))).toHaveLength(5); // one text row per y bin
  });
});

describe.skipIf(!existsSync(WS))('CLs scan plot (Brazil band)', () => {
  it('hepq limit --scan --plot puts the observed CLs points where pyhf computed them', () => {
    const ref = JSON.parse(readFileSync(WS_REF, 'utf8')).upper_limit_scan;
    const svgPath = join(dir, 'cls.svg');
    const { out } = hepq('limit', WS, '--scan', '0:4.9:20', '--plot', svgPath, '--json');
    const printed = JSON.parse(out);
    expect(printed.obs).toBeCloseTo(ref.obs, 4);
    const svg = readFileSync(svgPath, 'utf8');
    expect(svg.match(/aria-roledescription="area mark"/g)).toHaveLength(2); // ±2σ and ±1σ bands
    const points = [
      ...svg.matchAll(/aria-roledescription="point" transform="translate\(([-\d.e]+),([-\d.e]+)\)"/g),
    ];
    expect(points).toHaveLength(20);
    const height = 360; // the plot's inner height, CLs from 0 (bottom) to 1.4 (top: room for the legend)
    points.forEach((p, i) => {
      expect(Number(p[2]) / height).toBeCloseTo(1 - ref.CLs_obs_at_scan[i] / 1.4, 3);
    });
    // the same scan through hepq plot
    const json = join(dir, 'scan.json');
    writeFileSync(json, out);
    hepq('plot', json, '--out', join(dir, 'cls2.svg'));
    expect(readFileSync(join(dir, 'cls2.svg'), 'utf8').match(/aria-roledescription="point"/g)).toHaveLength(
      20,
    );
  });
});
