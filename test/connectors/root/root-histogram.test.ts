/**
 * Histograms as plain objects: every histogram of the shared ROOT files read by us and by jsroot (the ROOT team's
 * reader), and TH1D/TH2D written by writeHistograms read back by both.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFile } from 'jsroot';
import { describe, expect, it } from 'vitest';
import {
  openRoot,
  type RootHistogram,
  readRootHistogram,
  toRootHistogram,
  writeHistograms,
} from '../../../connectors/root/index.js';
import { Histogram1D, Histogram2D, type HistogramResult } from '../../../exec/sinks/histogram.js';
import { HAVE_ROOT_DATA, ROOT_DATA } from '../../helpers/shared-data.js';

// biome-ignore lint/suspicious/noExplicitAny: jsroot objects are untyped
type J = any;

const FILES: Record<string, string[]> = {
  'histograms1d2d.root': ['myTH1F', 'myTH1D', 'myTH2F', 'myTH2D', 'myTH1D_nonuniform'],
  'issue368_pyhf_test_histograms.root': ['h_bkg', 'h_sig'],
  'uproot-histograms.root': ['one', 'two', 'three'],
  'uproot-hepdata-example.root': ['hpx', 'hpxpy', 'hprof'],
};

/** An axis's edges as jsroot holds them: fXbins when variable, else equal steps from fXmin to fXmax. */
function jsEdges(a: J): number[] {
  if (a.fXbins?.length === a.fNbins + 1) return Array.from(a.fXbins as ArrayLike<number>);
  return Array.from({ length: a.fNbins + 1 }, (_, i) =>
    i === a.fNbins ? a.fXmax : a.fXmin + ((a.fXmax - a.fXmin) * i) / a.fNbins,
  );
}

function expectSame(ours: RootHistogram, js: J, what: string): void {
  expect(ours.className, what).toBe(js._typename);
  expect(ours.title, what).toBe(js.fTitle);
  expect(ours.entries, what).toBe(js.fEntries);
  const axes = [js.fXaxis, js.fYaxis, js.fZaxis].slice(0, ours.dim);
  expect(ours.axisTitles, what).toEqual(axes.map((a: J) => a.fTitle));
  ours.axes.forEach((a, d) => {
    const e = jsEdges(axes[d]);
    expect(a.edges.length, what).toBe(e.length);
    for (const [i, x] of a.edges.entries()) expect(x, `${what} edge ${i}`).toBeCloseTo(e[i]!, 9);
  });
  const arr = Array.from(js.fArray as ArrayLike<number>);
  if (ours.profile) {
    expect(Array.from(ours.profile.sumwy), what).toEqual(arr);
    expect(Array.from(ours.profile.binEntries), what).toEqual(
      Array.from(js.fBinEntries as ArrayLike<number>),
    );
    expect(Array.from(ours.profile.sumwy2), what).toEqual(Array.from(js.fSumw2 as ArrayLike<number>));
    for (const [g, v] of ours.values.entries())
      expect(v).toBe(js.fBinEntries[g] ? arr[g]! / js.fBinEntries[g] : 0);
  } else {
    expect(Array.from(ours.values), what).toEqual(arr);
    const sw2 = js.fSumw2?.length ? Array.from(js.fSumw2 as ArrayLike<number>) : arr;
    expect(Array.from(ours.variances), what).toEqual(sw2);
  }
}

describe.skipIf(!HAVE_ROOT_DATA)('readRootHistogram against jsroot', () => {
  for (const [file, names] of Object.entries(FILES))
    it(`${file}: ${names.join(', ')}`, async () => {
      const f = await openRoot(`${ROOT_DATA}${file}`);
      const js = await openFile(`${ROOT_DATA}${file}`);
      for (const name of names)
        expectSame(await readRootHistogram(f, name), await js.readObject(name), `${file}:${name}`);
      await f.close();
    });

  it('lays the in-range bins out as exec/sinks does (x outer) and sums the flows', async () => {
    const f = await openRoot(`${ROOT_DATA}histograms1d2d.root`);
    const h = await readRootHistogram(f, 'myTH2D');
    const [nx, ny] = [h.axes[0]!.nbins, h.axes[1]!.nbins];
    expect(h.counts.length).toBe(nx * ny);
    for (let ix = 0; ix < nx; ix++)
      for (let iy = 0; iy < ny; iy++)
        expect(h.counts[ix * ny + iy]).toBe(h.values[ix + 1 + (nx + 2) * (iy + 1)]);
    const total = h.values.reduce((s, v) => s + v, 0);
    expect(h.underflow + h.overflow + h.counts.reduce((s, v) => s + v, 0)).toBeCloseTo(total, 12);
    const h1 = await readRootHistogram(f, 'myTH1D_nonuniform');
    expect([h1.underflow, ...h1.counts, h1.overflow]).toEqual(Array.from(h1.values));
    expect(h1.edges).toEqual([-2, 1, 2]);
    await expect(readRootHistogram(f, 'nope')).rejects.toThrow(/nope/);
    await f.close();
  });
});

describe('writeHistograms: TH1D / TH2D read back by jsroot and by our reader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hepq-hist-'));

  it('writes variable bins, flows, sumw2 and titles of a 1-D histogram', async () => {
    const path = join(dir, 'h1.root');
    const input = {
      edges: [0, 10, 25, 50, 100],
      counts: [3.5, 7, 0, 1.25],
      sumw2: [2.5, 9, 0, 1.5625],
      underflow: 0.5,
      overflow: 2,
      underflowSumw2: 0.25,
      title: 'm_{bb}',
      axisTitles: ['m [GeV]', 'events'],
      entries: 17,
    };
    const summary = await writeHistograms(path, {
      SR_ttbar: input,
      uniform: { edges: [0, 1, 2, 3], counts: [1, 2, 3] },
    });
    expect(summary.keys).toEqual(['SR_ttbar', 'uniform']);
    const js = await openFile(path);
    const h: J = await js.readObject('SR_ttbar');
    expect(h._typename).toBe('TH1D');
    expect(h.fTitle).toBe('m_{bb}');
    expect(h.fXaxis.fTitle).toBe('m [GeV]');
    expect(jsEdges(h.fXaxis)).toEqual(input.edges);
    expect(Array.from(h.fArray)).toEqual([0.5, 3.5, 7, 0, 1.25, 2]);
    expect(Array.from(h.fSumw2)).toEqual([0.25, 2.5, 9, 0, 1.5625, 2]);
    expect(h.fEntries).toBe(17);
    // ROOT's statistics from bin centres: Σw = 11.75, Σw·x = 3.5·5 + 7·17.5 + 1.25·75
    expect(h.fTsumw).toBe(11.75);
    expect(h.fTsumw2).toBe(13.0625);
    expect(h.fTsumwx).toBeCloseTo(3.5 * 5 + 7 * 17.5 + 1.25 * 75, 9);
    const u: J = await js.readObject('uniform');
    expect(u.fXaxis.fXbins.length).toBe(0);
    expect([u.fXaxis.fXmin, u.fXaxis.fXmax, u.fXaxis.fNbins]).toEqual([0, 3, 3]);
    expect(Array.from(u.fSumw2)).toEqual([0, 1, 2, 3, 0]);
    const f = await openRoot(path);
    const ours = await readRootHistogram(f, 'SR_ttbar');
    expect(ours).toMatchObject({
      edges: input.edges,
      counts: input.counts,
      sumw2: input.sumw2,
      underflow: 0.5,
      overflow: 2,
    });
    expect(ours.axisTitles).toEqual(['m [GeV]']);
    await f.close();
  });

  it('writes exec/sinks histograms as they come (2-D counts x outer)', async () => {
    const path = join(dir, 'h2.root');
    const h1 = new Histogram1D(4, 0, 2);
    const h2 = new Histogram2D([2, 0, 2], [3, 0, 3]);
    for (const [x, y, w] of [
      [0.5, 0.5, 1],
      [1.5, 2.5, 2],
      [1.2, 0.1, 0.5],
      [-1, 1, 3],
      [0.3, 1.7, 1.5],
    ] as const) {
      h1.fill(x, w);
      h2.fill(x, y, w);
    }
    await writeHistograms(
      path,
      { x: h1.result(), xy: { ...h2.result(), title: 'xy' } },
      { compression: 'zstd:3' },
    );
    const js = await openFile(path);
    const a: J = await js.readObject('x');
    // 1-D: underflow 3 (x = −1), then [0, 0.5): 1.5, [0.5, 1): 1, [1, 1.5): 0.5, [1.5, 2): 2
    expect(Array.from(a.fArray)).toEqual([3, 1.5, 1, 0.5, 2, 0]);
    expect(Array.from(a.fSumw2)).toEqual([3, 2.25, 1, 0.25, 4, 0]);
    const b: J = await js.readObject('xy');
    expect(b._typename).toBe('TH2D');
    // ROOT's global bin: ix + (nx + 2)·iy, with nx = 2
    const at = (ix: number, iy: number) => b.fArray[ix + 4 * iy];
    expect([at(1, 1), at(2, 3), at(2, 1), at(1, 2)]).toEqual([1, 2, 0.5, 1.5]);
    expect(Array.from(b.fArray as ArrayLike<number>).reduce((s, v) => s + v, 0)).toBe(5); // the x = −1 fill is a flow total: not placed
    expect(jsEdges(b.fYaxis)).toEqual([0, 1, 2, 3]);
    const f = await openRoot(path);
    // a histogram read back is an exec/sinks HistogramResult (the shared shape), checked by the compiler
    const back: HistogramResult = await readRootHistogram(f, 'xy');
    expect(back.counts).toEqual(h2.result().counts);
    expect(back.sumw2).toEqual(h2.result().sumw2);
    await f.close();
  });

  it.skipIf(!HAVE_ROOT_DATA)('copies ROOT-written histograms (flows and all) bin for bin', async () => {
    const src = await openRoot(`${ROOT_DATA}uproot-hepdata-example.root`);
    const hpx = await readRootHistogram(src, 'hpx');
    const hpxpy = await readRootHistogram(src, 'hpxpy');
    await src.close();
    const path = join(dir, 'copy.root');
    await writeHistograms(path, { hpx, hpxpy }, { compression: 'none' });
    const js = await openFile(path);
    for (const h of [hpx, hpxpy]) {
      const o: J = await js.readObject(h.name);
      expect(Array.from(o.fArray), h.name).toEqual(Array.from(h.values));
      expect(Array.from(o.fSumw2), h.name).toEqual(Array.from(h.variances));
      expect(o.fEntries).toBe(h.entries);
      expect(o.fTitle).toBe(h.title);
    }
  });

  it('puts paths with "/" into subdirectories (combine\'s $CHANNEL/$PROCESS layout)', async () => {
    const path = join(dir, 'dirs.root');
    const h = (a: number, b: number) => ({ edges: [0, 1, 2], counts: [a, b] });
    const input = {
      'SR/ttbar': h(1, 2),
      'SR/ttbar_jesUp': h(1.5, 2.5),
      'CR/low/wjets': h(3, 4),
      data: h(5, 6),
    };
    await writeHistograms(path, input);
    const js = await openFile(path);
    const f = await openRoot(path);
    for (const [p, want] of Object.entries(input)) {
      expect(Array.from((await js.readObject(p)).fArray as ArrayLike<number>), p).toEqual([
        0,
        ...want.counts,
        0,
      ]);
      expect((await readRootHistogram(f, p)).counts, p).toEqual(want.counts);
    }
    const top = await f.inspect();
    expect(top.objects.map((o) => `${o.path} ${o.class}`).sort()).toEqual([
      'CR/low/wjets TH1D',
      'SR/ttbar TH1D',
      'SR/ttbar_jesUp TH1D',
      'data TH1D',
    ]);
    await f.close();
  });

  it('refuses malformed histograms, naming them', async () => {
    const path = join(dir, 'bad.root');
    await expect(writeHistograms(path, { h: { edges: [0, 2, 1], counts: [1, 2] } })).rejects.toThrow(
      "histogram 'h' x axis: edges must be finite and increasing (edge 2 is 1)",
    );
    await expect(writeHistograms(path, { h: { edges: [0, 1, 2], counts: [1, 2, 3] } })).rejects.toThrow(
      "histogram 'h': 3 counts (no sumw2) for 2 bins",
    );
    await expect(writeHistograms(path, { 'SR//h': { edges: [0, 1], counts: [1] } })).rejects.toMatchObject({
      code: 'root/bad-histogram',
      message: "cannot write a histogram at 'SR//h'",
    });
  });
});

describe('toRootHistogram layout', () => {
  it('a TH3 (as the streamers deliver it): x-outer in-range bins, flows summed by any axis below / above', () => {
    const axis = (n: number, name: string) => ({
      fName: name,
      fTitle: name.toUpperCase(),
      fNbins: n,
      fXmin: 0,
      fXmax: n,
    });
    const [nx, ny, nz] = [2, 3, 2];
    const n = (nx + 2) * (ny + 2) * (nz + 2);
    const g = (ix: number, iy: number, iz: number) => ix + (nx + 2) * (iy + (ny + 2) * iz);
    const fArray = Float64Array.from({ length: n }, (_, i) => i + 1);
    const h = toRootHistogram({
      _class: 'TH3I',
      fName: 'h3',
      fTitle: 't',
      fXaxis: axis(nx, 'xaxis'),
      fYaxis: axis(ny, 'yaxis'),
      fZaxis: axis(nz, 'zaxis'),
      fArray,
      fEntries: 5,
    });
    expect(h.dim).toBe(3);
    expect(h.axisTitles).toEqual(['XAXIS', 'YAXIS', 'ZAXIS']);
    expect(h.edges3).toEqual([0, 1, 2]);
    const want: number[] = [];
    for (let ix = 1; ix <= nx; ix++)
      for (let iy = 1; iy <= ny; iy++) for (let iz = 1; iz <= nz; iz++) want.push(fArray[g(ix, iy, iz)]!);
    expect(h.counts).toEqual(want);
    expect(h.sumw2).toEqual(want); // no fSumw2: unweighted
    let under = 0;
    let over = 0;
    for (let iz = 0; iz < nz + 2; iz++)
      for (let iy = 0; iy < ny + 2; iy++)
        for (let ix = 0; ix < nx + 2; ix++) {
          const v = fArray[g(ix, iy, iz)]!;
          if (ix === 0 || iy === 0 || iz === 0) under += v;
          else if (ix === nx + 1 || iy === ny + 1 || iz === nz + 1) over += v;
        }
    expect([h.underflow, h.overflow]).toEqual([under, over]);
    expect(() =>
      toRootHistogram({ _class: 'TH1D', fXaxis: axis(2, 'x'), fArray: [1, 2] }, 'f.root:h'),
    ).toThrow('f.root:h: 2 bin contents where the axes give 4 bins (under/overflow included)');
  });
});

describe('connectors/root/writer/README.md', () => {
  it('the writeHistograms example runs', async () => {
    const readme = readFileSync(
      new URL('../../../connectors/root/writer/README.md', import.meta.url),
      'utf8',
    );
    const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
      .map((m) => m[1]!)
      .find((b) => b.includes('writeHistograms'));
    expect(block).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'hepq-readme-'));
    const index = new URL('../../../connectors/root/index.ts', import.meta.url).pathname;
    const code = block!
      .replace("'../index.js'", JSON.stringify(index))
      .replace("'hists.root'", JSON.stringify(join(dir, 'hists.root')));
    writeFileSync(join(dir, 'example.ts'), code);
    await import(join(dir, 'example.ts'));
    const js = await openFile(join(dir, 'hists.root'));
    const h: J = await js.readObject('SR_ttbar');
    expect(Array.from(h.fArray)).toEqual([0, 12, 30, 4.5, 0]);
  });
});
