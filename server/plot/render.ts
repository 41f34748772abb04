/** Renders Vega-Lite specifications to SVG with vega's headless view, and to PNG through resvg. */
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { HepqError } from '../../exec/batch/index.js';
import type { VegaLiteSpec } from './specs.js';

/** The SVG text of a Vega-Lite spec (vega's `View.toSVG()`, no browser or canvas needed). */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  // biome-ignore lint/suspicious/noExplicitAny: vega-lite's TopLevelSpec union is wider than our record type
  const compiled = vl.compile(spec as any).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A PNG of an SVG, scaled by `scale` (2 gives a crisp image for slides); system fonts are used for the text. */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return r.render().asPng();
}

export type PlotFormat = 'svg' | 'png';

/** The plot format a file name asks for (by extension). */
export function plotFormat(path: string): PlotFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.svg') return 'svg';
  if (ext === '.png') return 'png';
  throw new HepqError('plot/bad-format', `cannot tell the plot format of '${path}'`, {
    hint: 'name the output file with .svg or .png',
  });
}

/** Render a spec and write it as SVG or PNG, chosen by the file's extension. Returns the bytes written. */
export async function writePlot(path: string, spec: VegaLiteSpec): Promise<number> {
  const format = plotFormat(path);
  const svg = await renderSvg(spec);
  const bytes = format === 'svg' ? svg : await svgToPng(svg);
  await writeFile(path, bytes);
  return typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length;
}
