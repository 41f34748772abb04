/** The plot options shared by `hepq query --plot`, `hepq plot` and `hepq limit --plot`: titles, log y, talk labels. */
import type { PlotLabels } from '../plot/index.js';

export const PLOT_OPTIONS = {
  title: { type: 'string' },
  xlabel: { type: 'string' },
  ylabel: { type: 'string' },
  logy: { type: 'boolean' },
  lumi: { type: 'string' },
  experiment: { type: 'string' },
  status: { type: 'string' },
} as const;

export const PLOT_HELP = `plot options:
  --xlabel X, --ylabel Y, --title T   axis titles and a title (default x: the histogrammed expression)
  --logy                              a logarithmic y axis
  --experiment NAME --status TEXT     the label at the top left (default "hepq"; --experiment "" for none),
                                      e.g. --experiment CMS --status Preliminary
  --lumi TEXT                         top right, e.g. --lumi "36.3 fb⁻¹ (13 TeV)"`;

interface PlotValues {
  readonly title?: string | undefined;
  readonly xlabel?: string | undefined;
  readonly ylabel?: string | undefined;
  readonly logy?: boolean | undefined;
  readonly lumi?: string | undefined;
  readonly experiment?: string | undefined;
  readonly status?: string | undefined;
}

/** The labels the options ask for, over `defaults` (e.g. an x title from the query). */
export function plotLabels(v: PlotValues, defaults: PlotLabels = {}): PlotLabels {
  return {
    ...defaults,
    ...(v.title !== undefined ? { title: v.title } : {}),
    ...(v.xlabel !== undefined ? { x: v.xlabel } : {}),
    ...(v.ylabel !== undefined ? { y: v.ylabel } : {}),
    ...(v.logy ? { logy: true } : {}),
    ...(v.lumi !== undefined ? { lumi: v.lumi } : {}),
    ...(v.experiment !== undefined ? { experiment: v.experiment } : {}),
    ...(v.status !== undefined ? { status: v.status } : {}),
  };
}
