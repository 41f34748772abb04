/** Histograms drawn in a terminal with Unicode block characters, with a y axis (counts) and an x axis (edges). */
import type { HistogramData } from './specs.js';

const EIGHTHS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

export interface TerminalHistOptions {
  /** total width in columns, axis labels included (default 80) */
  readonly width?: number;
  /** plot height in text rows (default 12) */
  readonly height?: number;
  readonly title?: string;
  readonly xLabel?: string;
}

/** Format an axis number compactly (at most ~7 characters). */
export function shortNumber(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(1).replace('e+', 'e');
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

/**
 * The histogram as lines of text: bins merged in groups when there are more bins than columns, each column's
 * height in eighths of a row, the maximum, half and zero marked on the y axis and the edges on the x axis.
 */
export function drawHistogram(h: HistogramData, options: TerminalHistOptions = {}): string[] {
  if (h.edges2) return drawHistogram2D(h, options);
  const rows = Math.max(3, options.height ?? 12);
  const nb = h.counts.length;
  const lo = h.edges[0]!;
  const hi = h.edges[nb]!;
  let max = 0;
  for (const c of h.counts) max = Math.max(max, c);
  const yLabels = [shortNumber(max), shortNumber(max / 2), '0'];
  const gutter = Math.max(...yLabels.map((l) => l.length)) + 1;
  const avail = Math.max(10, (options.width ?? 80) - gutter - 2);
  const group = Math.ceil(nb / avail);
  const cols: number[] = [];
  for (let i = 0; i < nb; i += group) {
    let s = 0;
    for (let j = i; j < Math.min(nb, i + group); j++) s += h.counts[j]!;
    cols.push(s);
  }
  const colMax = Math.max(0, ...cols);
  const per = Math.max(1, Math.floor(avail / cols.length));
  const eighths = cols.map((c) => (colMax > 0 ? Math.round((Math.max(0, c) / colMax) * rows * 8) : 0));
  const out: string[] = [];
  if (options.title) out.push(options.title);
  const half = Math.floor(rows / 2);
  for (let r = rows - 1; r >= 0; r--) {
    const label = r === rows - 1 ? yLabels[0]! : r === half - 1 && rows > 4 ? yLabels[1]! : '';
    let line = `${label.padStart(gutter)}${label ? '┤' : '│'}`;
    for (const e of eighths) line += EIGHTHS[Math.max(0, Math.min(8, e - r * 8))]!.repeat(per);
    out.push(line.trimEnd());
  }
  const plotWidth = cols.length * per;
  out.push(`${'0'.padStart(gutter)}┼${'─'.repeat(plotWidth)}`);
  const loL = shortNumber(lo);
  const hiL = shortNumber(hi);
  const midL = shortNumber((lo + hi) / 2);
  const axis = new Array<string>(gutter + 1 + plotWidth + hiL.length).fill(' ');
  const put = (at: number, s: string) => {
    for (let k = 0; k < s.length; k++) axis[at + k] = s[k]!;
  };
  put(gutter + 1 - Math.floor(loL.length / 2), loL);
  const midAt = gutter + 1 + Math.floor(plotWidth / 2) - Math.floor(midL.length / 2);
  if (midAt > gutter + 1 + loL.length + 1 && midAt + midL.length < gutter + plotWidth - hiL.length)
    put(midAt, midL);
  put(gutter + 1 + plotWidth - Math.ceil(hiL.length / 2), hiL);
  out.push(axis.join('').trimEnd());
  let total = 0;
  for (const c of h.counts) total += c;
  const extra = [
    `${shortNumber(total)} entries in ${nb} bins`,
    ...(group > 1 ? [`${group} bins per column`] : []),
    ...(h.underflow ? [`underflow ${shortNumber(h.underflow)}`] : []),
    ...(h.overflow ? [`overflow ${shortNumber(h.overflow)}`] : []),
  ];
  out.push(`${' '.repeat(gutter + 1)}${options.xLabel ? `${options.xLabel} — ` : ''}${extra.join(', ')}`);
  return out;
}

const SHADES = [' ', '░', '▒', '▓', '█'];

/**
 * A 2-D histogram as a shaded map: x to the right, y upwards, each cell shaded by its count relative to the
 * largest (' ' empty, ░ ▒ ▓ █ in quarters); cells are merged when there are more bins than room.
 */
export function drawHistogram2D(h: HistogramData, options: TerminalHistOptions = {}): string[] {
  const ex = h.edges;
  const ey = h.edges2!;
  const nx = ex.length - 1;
  const ny = ey.length - 1;
  const yLabels = [shortNumber(ey[ny]!), shortNumber(ey[0]!)];
  const gutter = Math.max(...yLabels.map((l) => l.length)) + 1;
  const availX = Math.max(10, (options.width ?? 80) - gutter - 2);
  const gx = Math.ceil(nx / availX);
  const gy = Math.ceil(ny / Math.max(4, options.height ?? 16));
  const cols = Math.ceil(nx / gx);
  const rows = Math.ceil(ny / gy);
  const cell = new Float64Array(cols * rows);
  for (let i = 0; i < nx; i++)
    for (let j = 0; j < ny; j++)
      cell[Math.floor(i / gx) * rows + Math.floor(j / gy)]! += h.counts[i * ny + j]!;
  let max = 0;
  for (const c of cell) max = Math.max(max, c);
  const per = Math.max(1, Math.min(3, Math.floor(availX / cols)));
  const out: string[] = [];
  if (options.title) out.push(options.title);
  for (let r = rows - 1; r >= 0; r--) {
    const label = r === rows - 1 ? yLabels[0]! : r === 0 ? yLabels[1]! : '';
    let line = `${label.padStart(gutter)}${label ? '┤' : '│'}`;
    for (let c = 0; c < cols; c++) {
      const v = cell[c * rows + r]!;
      const k = v <= 0 || max <= 0 ? 0 : Math.max(1, Math.ceil((v / max) * 4));
      line += SHADES[k]!.repeat(per);
    }
    out.push(line.trimEnd());
  }
  const plotWidth = cols * per;
  out.push(`${' '.repeat(gutter)}└${'─'.repeat(plotWidth)}`);
  const lo = shortNumber(ex[0]!);
  const hi = shortNumber(ex[nx]!);
  out.push(`${' '.repeat(gutter + 1)}${lo}${hi.padStart(Math.max(hi.length + 1, plotWidth - lo.length))}`);
  let total = 0;
  for (const c of h.counts) total += c;
  out.push(
    `${' '.repeat(gutter + 1)}${options.xLabel ? `${options.xLabel} — ` : ''}${shortNumber(total)} entries in ${nx}×${ny} bins, max ${shortNumber(max)} per cell (░▒▓█ = quarters of it)`,
  );
  return out;
}
