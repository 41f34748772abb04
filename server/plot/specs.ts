/**
 * Vega-Lite specifications of the plots hepq draws: one histogram, stacked sample histograms with data points and
 * error bars, and a CLs-versus-μ curve with its expected band (the "Brazil band").
 */

/** A 1-D histogram as `hepq query --format json` prints it for a Hist query. */
export interface HistogramData {
  readonly edges: readonly number[];
  /** second-axis edges of a 2-D histogram (counts are then row-major, x outer) */
  readonly edges2?: readonly number[];
  readonly counts: readonly number[];
  readonly sumw2?: readonly number[];
  readonly underflow?: number;
  readonly overflow?: number;
}

/** Axis titles, size, and the talk labels (experiment, status, luminosity, log y) of style.ts. */
export interface PlotLabels extends TalkLabels {
  readonly title?: string;
  readonly x?: string;
  readonly y?: string;
  readonly width?: number;
  readonly height?: number;
}

/** Stacked samples (drawn in order, the first at the bottom) and optional observed data with √N error bars. */
export interface StackData {
  readonly edges: readonly number[];
  readonly samples: readonly { readonly name: string; readonly counts: readonly number[] }[];
  readonly data?: readonly number[];
}

/** CLs as a function of the POI: observed and expected (−2σ, −1σ, median, +1σ, +2σ) at each scanned μ. */
export interface ClsScan {
  readonly mu: readonly number[];
  readonly obs: readonly number[];
  readonly exp: readonly (readonly number[])[];
  readonly level?: number;
}

import { HepqError } from '../../exec/batch/index.js';
import { labelLayers, type TalkLabels, yScale } from './style.js';

export type VegaLiteSpec = Record<string, unknown>;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

function frame(labels: PlotLabels): VegaLiteSpec {
  return {
    $schema: SCHEMA,
    width: labels.width ?? 560,
    height: labels.height ?? 360,
    background: 'white',
    ...(labels.title ? { title: { text: labels.title, font: FONT, fontSize: 16 } } : {}),
    config: {
      font: FONT,
      axis: { labelFontSize: 12, titleFontSize: 14, grid: false, tickCount: 8 },
      legend: { labelFontSize: 12, titleFontSize: 12, orient: 'top-right', labelLimit: 400 },
      view: { stroke: 'black' },
    },
  };
}

/**
 * One histogram for a talk: a filled bar per bin with a dark outline, √(Σw²) error bars, axis titles, headroom
 * above the tallest bin, the experiment/luminosity labels; log y on request.
 */
export function histogramSpec(h: HistogramData, labels: PlotLabels = {}): VegaLiteSpec {
  if (h.edges2) return histogram2dSpec(h, labels);
  checkHistogram(h);
  const err = (i: number) => Math.sqrt(h.sumw2?.[i] ?? Math.abs(h.counts[i]!));
  const values = h.counts.map((c, i) => ({
    lo: h.edges[i]!,
    hi: h.edges[i + 1]!,
    mid: (h.edges[i]! + h.edges[i + 1]!) / 2,
    count: c,
    down: c - err(i),
    up: c + err(i),
  }));
  const lo = h.edges[0]!;
  const hi = h.edges[h.edges.length - 1]!;
  const { width, ...top } = frame(labels);
  const x = {
    field: 'lo',
    type: 'quantitative',
    scale: { domain: [lo, hi], nice: false, zero: false },
    title: labels.x ?? 'x',
  };
  const y = {
    field: 'count',
    type: 'quantitative',
    title: labels.y ?? 'entries / bin',
    scale: yScale([...h.counts, ...values.map((v) => v.up)], labels),
  };
  return {
    ...top,
    width,
    data: { values },
    layer: [
      {
        mark: { type: 'rect', name: 'bins', fill: '#4c78a8', stroke: '#2a4a6e', strokeWidth: 0.5 },
        encoding: {
          x,
          x2: { field: 'hi' },
          y,
          y2: { datum: labels.logy ? (y.scale as { domain: number[] }).domain[0] : 0 },
          tooltip: [
            { field: 'lo', title: 'low edge' },
            { field: 'hi', title: 'high edge' },
            { field: 'count', title: 'entries' },
          ],
        },
      },
      {
        mark: { type: 'rule', name: 'errors', color: '#1d2a38', strokeWidth: 1 },
        encoding: {
          x: { field: 'mid', type: 'quantitative' },
          y: { field: 'down', type: 'quantitative' },
          y2: { field: 'up' },
        },
      },
      ...labelLayers(labels, width as number),
    ],
  };
}

/** A 2-D histogram as a heat map: one rectangle per cell, coloured by its count (empty cells left blank). */
export function histogram2dSpec(h: HistogramData, labels: PlotLabels = {}): VegaLiteSpec {
  const ex = h.edges;
  const ey = h.edges2 ?? [];
  const nx = ex.length - 1;
  const ny = ey.length - 1;
  if (nx < 1 || ny < 1 || h.counts.length !== nx * ny || !h.counts.every(Number.isFinite))
    throw new HepqError(
      'plot/bad-input',
      `a 2-D histogram needs (x bins × y bins) counts: ${nx} × ${ny} bins, ${h.counts.length} counts`,
    );
  const values: Record<string, number>[] = [];
  for (let i = 0; i < nx; i++)
    for (let j = 0; j < ny; j++) {
      const count = h.counts[i * ny + j]!;
      if (count !== 0) values.push({ x0: ex[i]!, x1: ex[i + 1]!, y0: ey[j]!, y1: ey[j + 1]!, count });
    }
  return {
    ...frame(labels),
    data: { values },
    mark: { type: 'rect', name: 'cells' },
    encoding: {
      x: {
        field: 'x0',
        type: 'quantitative',
        scale: { domain: [ex[0], ex[nx]], nice: false, zero: false },
        title: labels.x ?? 'x',
      },
      x2: { field: 'x1' },
      y: {
        field: 'y0',
        type: 'quantitative',
        scale: { domain: [ey[0], ey[ny]], nice: false, zero: false },
        title: labels.y ?? 'y',
      },
      y2: { field: 'y1' },
      color: { field: 'count', type: 'quantitative', scale: { scheme: 'viridis' }, title: 'entries' },
    },
  };
}

const SAMPLE_COLOURS = [
  '#e45756',
  '#4c78a8',
  '#72b7b2',
  '#f58518',
  '#54a24b',
  '#b279a2',
  '#9d755d',
  '#bab0ac',
];

/**
 * Stacked sample histograms with the observed data as points with √N error bars, a legend naming every sample and
 * "Data" (top right, above the stack thanks to the headroom), and under it a Data / Pred. ratio panel.
 */
export function stackSpec(s: StackData, labels: PlotLabels = {}): VegaLiteSpec {
  const nb = s.edges.length - 1;
  for (const smp of s.samples) checkHistogram({ edges: s.edges, counts: smp.counts }, smp.name);
  const bars: Record<string, unknown>[] = [];
  const base = new Array<number>(nb).fill(0);
  s.samples.forEach((smp, k) => {
    for (let i = 0; i < nb; i++) {
      const c = smp.counts[i]!;
      bars.push({
        sample: smp.name,
        order: k,
        lo: s.edges[i],
        hi: s.edges[i + 1],
        y0: base[i],
        y1: base[i]! + c,
      });
      base[i]! += c;
    }
  });
  const names = s.samples.map((x) => x.name);
  const domain = s.data ? [...names, 'Data'] : names;
  const range = [
    ...names.map((_, k) => SAMPLE_COLOURS[k % SAMPLE_COLOURS.length]!),
    ...(s.data ? ['black'] : []),
  ];
  const xDomain = { domain: [s.edges[0], s.edges[nb]], nice: false, zero: false };
  const points = (s.data ?? []).map((n, i) => ({
    x: (s.edges[i]! + s.edges[i + 1]!) / 2,
    n,
    lo: Math.max(0, n - Math.sqrt(n)),
    hi: n + Math.sqrt(n),
    pred: base[i]!,
  }));
  const ratio = s.data !== undefined;
  const { width, height, ...top } = frame(labels);
  const mainHeight = ratio ? Math.round((height as number) * 0.75) : (height as number);
  const y = {
    type: 'quantitative',
    title: labels.y ?? 'events / bin',
    scale: yScale([...base, ...points.map((p) => p.hi)], labels, true),
  };
  const xMain = {
    field: 'lo',
    type: 'quantitative',
    scale: xDomain,
    title: ratio ? null : (labels.x ?? 'x'),
    ...(ratio ? { axis: { labels: false } } : {}),
  };
  const layers: VegaLiteSpec[] = [
    {
      data: { values: bars },
      mark: { type: 'rect', name: 'stack', stroke: 'black', strokeWidth: 0.3 },
      encoding: {
        x: xMain,
        x2: { field: 'hi' },
        y: { ...y, field: 'y1' },
        y2: { field: 'y0' },
        color: { field: 'sample', type: 'nominal', sort: domain, scale: { domain, range }, title: null },
      },
    },
  ];
  if (ratio)
    layers.push(
      {
        data: { values: points },
        mark: { type: 'rule', name: 'errors', color: 'black' },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'lo', type: 'quantitative' },
          y2: { field: 'hi' },
        },
      },
      {
        data: { values: points },
        mark: { type: 'point', name: 'data', filled: true, size: 30, opacity: 1 },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'n', type: 'quantitative' },
          color: { datum: 'Data' },
        },
      },
    );
  layers.push(...labelLayers(labels, width as number));
  const main = { width, height: mainHeight, layer: layers };
  if (!ratio) return { ...top, ...main };
  const ratios = points
    .filter((p) => p.pred > 0)
    .map((p) => ({ x: p.x, r: p.n / p.pred, lo: p.lo / p.pred, hi: p.hi / p.pred }));
  const rScale = { domain: [0.5, 1.5], nice: false, clamp: true };
  const panel = {
    width,
    height: (height as number) - mainHeight,
    layer: [
      {
        data: { values: [{ one: 1 }] },
        mark: { type: 'rule', name: 'unity', color: '#888', strokeDash: [4, 3] },
        encoding: { y: { field: 'one', type: 'quantitative', scale: rScale } },
      },
      {
        data: { values: ratios },
        mark: { type: 'rule', name: 'ratio-errors', color: 'black' },
        encoding: {
          x: { field: 'x', type: 'quantitative', scale: xDomain, title: labels.x ?? 'x' },
          y: {
            field: 'lo',
            type: 'quantitative',
            scale: rScale,
            title: 'Data / Pred.',
            axis: { tickCount: 3 },
          },
          y2: { field: 'hi' },
        },
      },
      {
        data: { values: ratios },
        mark: { type: 'point', name: 'ratio', filled: true, color: 'black', size: 20, opacity: 1 },
        encoding: {
          x: { field: 'x', type: 'quantitative', scale: xDomain },
          y: { field: 'r', type: 'quantitative', scale: rScale },
        },
      },
    ],
  };
  return { ...top, vconcat: [main, panel], spacing: 6 };
}

/** CLs versus μ: the ±1σ/±2σ expected bands, the expected median (dashed), the observed curve and the CLs level. */
export function clsSpec(scan: ClsScan, labels: PlotLabels = {}): VegaLiteSpec {
  const n = scan.mu.length;
  if (n < 2 || scan.obs.length !== n || scan.exp.length !== n || scan.exp.some((e) => e.length !== 5))
    throw new Error(
      'a CLs scan needs at least two μ values, each with an observed and five expected CLs values',
    );
  const rows = scan.mu.map((mu, i) => {
    const e = scan.exp[i]!;
    return { mu, obs: scan.obs[i], m2: e[0], m1: e[1], med: e[2], p1: e[3], p2: e[4] };
  });
  const level = scan.level ?? 0.05;
  const x = {
    field: 'mu',
    type: 'quantitative',
    title: labels.x ?? 'μ (signal strength)',
    scale: { nice: false },
  };
  // headroom above CLs = 1 for the labels and the legend
  const y = { type: 'quantitative', title: labels.y ?? 'CLs', scale: { domain: [0, 1.4], nice: false } };
  const entries = ['Observed', 'Expected', 'Expected ± 1σ', 'Expected ± 2σ', `CLs = ${level}`];
  const legend = {
    scale: { domain: entries, range: ['black', '#555555', '#00cc00', '#fee000', 'red'] },
    title: null,
    legend: { orient: 'top-right', symbolType: 'stroke', symbolStrokeWidth: 3 },
  };
  const { width, ...top } = frame(labels);
  return {
    ...top,
    width,
    data: { values: rows },
    layer: [
      {
        mark: { type: 'area', name: 'band2' },
        encoding: {
          x,
          y: { ...y, field: 'm2' },
          y2: { field: 'p2' },
          color: { datum: entries[3], ...legend },
        },
      },
      {
        mark: { type: 'area', name: 'band1' },
        encoding: {
          x,
          y: { ...y, field: 'm1' },
          y2: { field: 'p1' },
          color: { datum: entries[2], ...legend },
        },
      },
      {
        mark: { type: 'line', name: 'expected', strokeDash: [6, 4] },
        encoding: { x, y: { ...y, field: 'med' }, color: { datum: entries[1], ...legend } },
      },
      {
        mark: { type: 'line', name: 'observed', point: { filled: true, size: 20, color: 'black' } },
        encoding: { x, y: { ...y, field: 'obs' }, color: { datum: entries[0], ...legend } },
      },
      {
        data: { values: [{ level }] },
        mark: { type: 'rule', name: 'level' },
        encoding: { y: { field: 'level', type: 'quantitative' }, color: { datum: entries[4], ...legend } },
      },
      ...labelLayers(labels, width as number),
    ],
  };
}

function checkHistogram(h: HistogramData, what = 'histogram'): void {
  const ok =
    Array.isArray(h.edges) &&
    Array.isArray(h.counts) &&
    h.edges.length === h.counts.length + 1 &&
    h.counts.length > 0 &&
    h.edges.every((e, i) => Number.isFinite(e) && (i === 0 || e > h.edges[i - 1]!)) &&
    h.counts.every((c) => Number.isFinite(c));
  if (!ok)
    throw new HepqError(
      'plot/bad-input',
      `${what}: needs increasing finite 'edges' and one finite count per bin (${h.edges?.length ?? 0} edges, ${h.counts?.length ?? 0} counts)`,
      {
        hint: 'a histogram result is {edges: [n+1 numbers], counts: [n numbers]}, as hepq query --format json prints it',
      },
    );
}
