/**
 * The look of a plot for a talk, after mplhep's CMS/ATLAS styles: an experiment label (bold, with an italic status
 * such as "Preliminary") at the top left inside the frame, the luminosity and energy at the top right above it,
 * headroom above the tallest bin so labels and legend never cover data, and a log y axis on request.
 */
import type { VegaLiteSpec } from './specs.js';

export interface TalkLabels {
  /** bold label at the top left (default "hepq"; "" for none) */
  readonly experiment?: string;
  /** italic text after it, e.g. "Preliminary", "Simulation", "Internal" */
  readonly status?: string;
  /** top right above the frame, e.g. "36.3 fb⁻¹ (13 TeV)" */
  readonly lumi?: string;
  /** a logarithmic y axis */
  readonly logy?: boolean;
}

const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

/** Text layers of the experiment / status / luminosity labels (pixel positions in the frame of `width`). */
export function labelLayers(labels: TalkLabels, width: number): VegaLiteSpec[] {
  const layers: VegaLiteSpec[] = [];
  const experiment = labels.experiment ?? 'hepq';
  const text = (t: string, x: number, y: number, mark: Record<string, unknown>): VegaLiteSpec => ({
    data: { values: [{}] },
    mark: { type: 'text', font: FONT, baseline: 'alphabetic', ...mark },
    encoding: { x: { value: x }, y: { value: y }, text: { value: t } },
  });
  if (experiment) {
    layers.push(
      text(experiment, 10, 24, { name: 'experiment', align: 'left', fontSize: 18, fontWeight: 'bold' }),
    );
    if (labels.status)
      layers.push(
        text(labels.status, 16 + experiment.length * 13, 24, {
          name: 'status',
          align: 'left',
          fontSize: 15,
          fontStyle: 'italic',
        }),
      );
  }
  if (labels.lumi) layers.push(text(labels.lumi, width, -6, { name: 'lumi', align: 'right', fontSize: 13 }));
  return layers;
}

/**
 * The y scale with room above the data for the labels (and a legend): linear from 0 to 1.35 (1.5 with a legend)
 * times the tallest value, or logarithmic over the positive values with two decades of room.
 */
export function yScale(
  values: readonly number[],
  labels: TalkLabels,
  legend = false,
): Record<string, unknown> {
  const max = Math.max(0, ...values.filter(Number.isFinite));
  if (labels.logy) {
    const positive = values.filter((v) => v > 0);
    const min = positive.length ? Math.min(...positive) : 0.5;
    const top = max > 0 ? max : 1;
    return { type: 'log', domain: [min / 2, top * 10 ** (legend ? 2.5 : 2)], nice: false, clamp: true };
  }
  return { domain: [0, max > 0 ? max * (legend ? 1.5 : 1.35) : 1], nice: false, zero: true };
}

/**
 * An axis title from a func_adl Hist query: the histogrammed expression (`Jet_pt` of
 * `SelectMany(lambda e: e.Jet_pt).Hist(lambda pt: pt, …)`), without its lambda variable; undefined if unclear.
 */
export function queryAxisLabel(query: string): string | undefined {
  const hist = /\.Hist\(\s*lambda\s+(\w+)\s*:\s*/.exec(query);
  if (!hist) return undefined;
  const v = hist[1]!;
  let body = argumentText(query, hist.index + hist[0].length);
  if (body === v) {
    // the identity: the expression is the previous Select's
    const before = query.slice(0, hist.index);
    const sel = [...before.matchAll(/(?:Select|SelectMany)\(\s*lambda\s+(\w+)\s*:\s*/g)].at(-1);
    if (!sel) return undefined;
    const inner = argumentText(before, sel.index! + sel[0].length);
    return tidy(inner, sel[1]!);
  }
  body = tidy(body, v);
  return body;
}

/** The text of a call argument starting at `from`, up to its `,` or `)` at depth 0. */
function argumentText(s: string, from: number): string {
  let depth = 0;
  let quote = '';
  for (let i = from; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      if (depth === 0) return s.slice(from, i).trim();
      depth--;
    } else if (c === ',' && depth === 0) return s.slice(from, i).trim();
  }
  return s.slice(from).trim();
}

/** `e.Jet_pt` → `Jet_pt`; a long expression is cut to 40 characters. */
function tidy(expr: string, v: string): string {
  const t = expr.replace(new RegExp(`\\b${v}\\.`, 'g'), '').replace(/\s+/g, ' ');
  return t.length > 40 ? `${t.slice(0, 39)}…` : t;
}
