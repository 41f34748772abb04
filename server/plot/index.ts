/** Plots: Vega-Lite specs for histograms, stacks and CLs scans, rendered to SVG/PNG files or drawn in a terminal. */

export { correlationSpec, type FitStackData, fitStackSpec, type PullData, pullsSpec } from './fit-specs.js';
export { plotFormat, renderSvg, svgToPng, writePlot } from './render.js';
export {
  type ClsScan,
  clsSpec,
  type HistogramData,
  histogram2dSpec,
  histogramSpec,
  type PlotLabels,
  type StackData,
  stackSpec,
  type VegaLiteSpec,
} from './specs.js';
export { labelLayers, queryAxisLabel, type TalkLabels, yScale } from './style.js';
export { drawHistogram, drawHistogram2D, shortNumber, type TerminalHistOptions } from './terminal.js';
