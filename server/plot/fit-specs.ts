/**
 * Vega-Lite specs for fit results, as cabinetry draws them: a pre- or post-fit stack with data, the total
 * prediction's uncertainty band and a data/prediction ratio panel; the pulls of the constrained parameters;
 * the correlation matrix.
 */
import { HepqError } from '../../exec/batch/index.js';
import { type PlotLabels, type StackData, stackSpec, type VegaLiteSpec } from './specs.js';

export interface FitStackData extends StackData {
  /** one-standard-deviation uncertainty of the total prediction per bin (correlations included) */
  readonly totalStdev: readonly number[];
}

/**
 * A stack with data and its data / prediction panel (`stackSpec`), plus the total's ±1σ band over the stack and
 * around 1 in the ratio panel (drawn under the data).
 */
export function fitStackSpec(s: FitStackData, labels: PlotLabels = {}): VegaLiteSpec {
  const nb = s.edges.length - 1;
  if (s.totalStdev.length !== nb)
    throw new HepqError(
      'plot/bad-input',
      `the uncertainty band has ${s.totalStdev.length} bins, the stack ${nb}`,
    );
  const total = s.edges.slice(1).map((_e, i) => s.samples.reduce((a, x) => a + x.counts[i]!, 0));
  const band = total.map((t, i) => ({
    lo: s.edges[i],
    hi: s.edges[i + 1],
    y0: t - s.totalStdev[i]!,
    y1: t + s.totalStdev[i]!,
    r0: t > 0 ? 1 - s.totalStdev[i]! / t : 1,
    r1: t > 0 ? 1 + s.totalStdev[i]! / t : 1,
  }));
  const bandLayer: VegaLiteSpec = {
    data: { values: band },
    mark: { type: 'rect', name: 'uncertainty', color: '#555', opacity: 0.35 },
    encoding: {
      x: { field: 'lo', type: 'quantitative' },
      x2: { field: 'hi' },
      y: { field: 'y1', type: 'quantitative' },
      y2: { field: 'y0' },
    },
  };
  const ratioBand: VegaLiteSpec = {
    data: { values: band },
    mark: { type: 'rect', name: 'ratio-band', color: '#555', opacity: 0.35 },
    encoding: {
      x: { field: 'lo', type: 'quantitative' },
      x2: { field: 'hi' },
      y: { field: 'r1', type: 'quantitative', scale: { domain: [0.5, 1.5], nice: false, clamp: true } },
      y2: { field: 'r0' },
    },
  };
  type Layered = VegaLiteSpec & { layer: VegaLiteSpec[] };
  const spec = stackSpec(s, labels) as VegaLiteSpec & { layer?: VegaLiteSpec[]; vconcat?: Layered[] };
  const withBand = (v: Layered): Layered => ({ ...v, layer: [v.layer[0]!, bandLayer, ...v.layer.slice(1)] });
  if (spec.vconcat) {
    const [main, panel] = spec.vconcat;
    return { ...spec, vconcat: [withBand(main!), { ...panel!, layer: [ratioBand, ...panel!.layer] }] };
  }
  return withBand(spec as Layered);
}

export interface PullData {
  readonly name: string;
  readonly pull: number;
  readonly pullError: number;
}

/** The pulls (θ̂ − θ₀)/σ₀ with their post-fit errors, one row per constrained parameter, ±1σ/±2σ guides. */
export function pullsSpec(pulls: readonly PullData[], labels: PlotLabels = {}): VegaLiteSpec {
  const rows = pulls
    .filter((p) => Number.isFinite(p.pull))
    .map((p) => ({ name: p.name, pull: p.pull, lo: p.pull - p.pullError, hi: p.pull + p.pullError }));
  if (rows.length === 0) throw new HepqError('plot/bad-input', 'no constrained parameters to draw pulls of');
  const y = { field: 'name', type: 'nominal', sort: null, title: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    width: labels.width ?? 420,
    height: Math.max(120, 18 * rows.length),
    ...(labels.title ? { title: labels.title } : {}),
    layer: [
      {
        data: { values: [{ a: -2, b: 2 }] },
        mark: { type: 'rect', color: '#fee000', opacity: 0.6 },
        encoding: { x: { field: 'a', type: 'quantitative' }, x2: { field: 'b' } },
      },
      {
        data: { values: [{ a: -1, b: 1 }] },
        mark: { type: 'rect', color: '#00cc00', opacity: 0.6 },
        encoding: { x: { field: 'a', type: 'quantitative' }, x2: { field: 'b' } },
      },
      {
        data: { values: rows },
        mark: { type: 'rule', color: 'black' },
        encoding: { y, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } },
      },
      {
        data: { values: rows },
        mark: { type: 'point', name: 'pulls', filled: true, color: 'black', size: 30, opacity: 1 },
        encoding: {
          y,
          x: {
            field: 'pull',
            type: 'quantitative',
            title: labels.x ?? '(θ̂ − θ₀) / Δθ',
            scale: { domain: [-3, 3], clamp: true },
          },
        },
      },
    ],
  };
}

/** The correlation matrix as a heat map (−1 blue … +1 red) with the value in each cell. */
export function correlationSpec(
  names: readonly string[],
  matrix: ArrayLike<number>,
  labels: PlotLabels = {},
): VegaLiteSpec {
  const n = names.length;
  if (matrix.length !== n * n)
    throw new HepqError('plot/bad-input', `a ${n}-parameter correlation matrix needs ${n * n} values`);
  const cells: { x: string; y: string; c: number }[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) cells.push({ x: names[j]!, y: names[i]!, c: matrix[i * n + j]! });
  const enc = {
    x: { field: 'x', type: 'nominal', sort: names, title: null },
    y: { field: 'y', type: 'nominal', sort: names, title: null },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    width: Math.max(200, 40 * n),
    height: Math.max(200, 40 * n),
    ...(labels.title ? { title: labels.title } : {}),
    data: { values: cells },
    layer: [
      {
        mark: { type: 'rect', name: 'correlation' },
        encoding: {
          ...enc,
          color: {
            field: 'c',
            type: 'quantitative',
            scale: { scheme: 'redblue', domain: [1, -1] },
            title: 'ρ',
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 8 },
        encoding: { ...enc, text: { field: 'c', type: 'quantitative', format: '.2f' } },
      },
    ],
  };
}
