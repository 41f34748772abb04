/** The table of `hepq` subcommands; each module is imported only when its command runs. */
import type { CommandEntry } from '../command.js';

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'demo',
    summary: 'a whole Z→μμ analysis in one command: generate, select, histogram, fit, CLs, limit',
    load: async () => (await import('./demo.js')).default,
  },
  {
    name: 'agc',
    summary: 'the AGC tt̄ analysis end to end: samples, every histogram in one pass, workspace, fit, CLs',
    load: async () => (await import('./agc.js')).default,
  },
  {
    name: 'inspect',
    summary: 'list every object of a ROOT file: trees, branches, types, sizes',
    load: async () => (await import('./inspect.js')).default,
  },
  {
    name: 'dump',
    summary: 'print branches of a tree as rows (jsonl, json, csv, arrow, parquet)',
    load: async () => (await import('./dump.js')).default,
  },
  {
    name: 'query',
    summary: 'run a func_adl or qastle query over ROOT files (rows, values or histograms)',
    load: async () => (await import('./query.js')).default,
  },
  {
    name: 'explain',
    summary: 'show how a query will run: its plan and the branches and bytes it reads',
    load: async () => (await import('./explain.js')).default,
  },
  {
    name: 'repl',
    summary: 'interactive func_adl prompt with history, Tab completion, tables and terminal histograms',
    load: async () => (await import('./repl.js')).default,
  },
  {
    name: 'plot',
    summary: 'draw a histogram, sample stack or CLs scan result as SVG/PNG (or in the terminal)',
    load: async () => (await import('./plot.js')).default,
  },
  {
    name: 'generate',
    summary: 'synthetic events (Z→μμ, W, tt̄, QCD; seeded) as ROOT, Parquet or Arrow',
    load: async () => (await import('./generate.js')).default,
  },
  {
    name: 'fit',
    summary: 'maximum-likelihood fit of a HistFactory workspace (pyhf JSON)',
    load: async () => (await import('./fit.js')).default,
  },
  {
    name: 'cls',
    summary: 'asymptotic CLs of a HistFactory workspace (per patch of a patchset)',
    load: async () => (await import('./cls.js')).default,
  },
  {
    name: 'limit',
    summary: 'CLs upper limits on the POI of a HistFactory workspace',
    load: async () => (await import('./limit.js')).default,
  },
  {
    name: 'ranking',
    summary: 'nuisance parameters of a HistFactory workspace ranked by impact on the POI',
    load: async () => (await import('./ranking.js')).default,
  },
  {
    name: 'servicex',
    summary: 'serve the ServiceX-compatible transformer endpoint (local pool or Redis workers)',
    load: async () => (await import('./servicex.js')).default,
  },
  {
    name: 'worker',
    summary: 'a transformer worker pulling file jobs from a Redis queue',
    load: async () => (await import('./worker.js')).default,
  },
  {
    name: 'sql',
    summary: 'SQL on an embedded DuckDB over ROOT trees, Parquet and func_adl results',
    load: async () => (await import('./sql.js')).default,
  },
  {
    name: 'serve',
    summary: 'HTTP server: SQL and func_adl over files under data roots (Arrow, JSON, CSV, Parquet)',
    load: async () => (await import('./serve.js')).default,
  },
  {
    name: 'import-xml',
    summary: 'HistFactory XML + ROOT histograms to a pyhf JSON workspace',
    load: async () => (await import('./import-xml.js')).default,
  },
  {
    name: 'gpu-info',
    summary: 'the WebGPU adapter queries may offload to, its limits and measured costs',
    load: async () => (await import('./gpu-info.js')).default,
  },
];
