/** The REPL's dot-commands: .open, .schema, .explain, .timer, .format, .output, .hist, .plot, .save, .load, .help. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { loadFileset } from '../../connectors/index.js';
import { didYouMean } from '../../exec/batch/index.js';
import { globRegExp, HepqError, isGlob } from '../../exec/core/index.js';
import { drawHistogram, histogramSpec, queryAxisLabel, writePlot } from '../plot/index.js';
import { DOT_COMMANDS } from './completion.js';
import { isComplete, isContinuation } from './input.js';
import type { Repl } from './repl.js';
import type { OutputFormat } from './table.js';

export const REPL_HELP = `Type a func_adl query; it may span lines and runs when its brackets close. Examples:
  Select(lambda e: e.MET_pt).Where(lambda m: m > 50).Count()
  SelectMany(lambda e: e.Jet_pt).Hist(lambda pt: pt, bins=50, range=(0, 200))
  Select(lambda e: {'pt': e.Muon_pt, 'eta': e.Muon_eta})
SQL (DuckDB) runs when it ends in ';' (or at an empty line); the open files are the view events:
  SELECT nMuon, count(*) FROM events GROUP BY nMuon ORDER BY nMuon;
  SELECT avg(MET_pt) FROM root('other.root', 'Events');

commands:
  .open FILE… [--tree T]   read these files (as one tree) in the following queries; dir/*.root works too
  .param [NAME=VALUE]      bind a query parameter (a free name of the query) in what follows; none: list them
  .fileset [FILE]          run following queries over a coffea-style fileset (JSON/YAML), its metadata as
                           parameters, histograms labelled by dataset; no FILE: back to the open files
  .schema [PATTERN]        branches and their types (PATTERN: a substring or a glob such as Muon_*)
  .explain [QUERY]         the plan and the bytes a query reads (default: the last query)
  .timer on|off            print each query's run time
  .format table|json|csv   how results print (.mode too)
  .maxrows N               rows a table shows (default 20)
  .tables                  the SQL view over the open files
  .read FILE               run the statements of FILE (queries, SQL, dot-commands)
  .output [FILE]           append results to FILE (no FILE: back to the terminal)
  .hist                    draw the last histogram again
  .plot FILE.svg|FILE.png  save the last histogram as a plot
  .save NAME               keep the last query under NAME (across sessions)
  .load [NAME]             run a saved query (no NAME: list them)
  .help                    this text
  .exit                    leave (or .q, .quit, Ctrl-D)
A line starting with .Select(…) or .Where(…) continues the query before it.
Tab completes branch names, operators, functions and commands; Ctrl-C cancels a running query.`;

const glob = (p: string) =>
  isGlob(p)
    ? globRegExp(p, { slashes: true, ignoreCase: true })
    : { test: (s: string) => s.toLowerCase().includes(p.toLowerCase()) };

/** A column type as the REPL's .schema and the web console show it: `list<float32>`, `{pt: float32, eta: float32}`. */
export function columnTypeText(t: import('../../exec/batch/index.js').DataType): string {
  switch (t.kind) {
    case 'primitive':
      return t.type;
    case 'utf8':
      return 'string';
    case 'list':
      return `list<${columnTypeText(t.item)}>`;
    case 'fixed-list':
      return `${columnTypeText(t.item)}[${t.size}]`;
    case 'struct':
      return `{${t.fields.map((f) => `${f.name}: ${columnTypeText(f.type)}`).join(', ')}}`;
  }
}

/** `dir/*.root` → the matching files of dir, sorted (a pattern in the last path component only). */
export function expandGlob(arg: string): string[] {
  if (!isGlob(basename(arg)) || /^https?:\/\//.test(arg)) return [arg];
  const dir = dirname(arg);
  const re = glob(basename(arg)) as RegExp;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new HepqError('repl/no-dir', `cannot list ${dir} for ${arg}`);
  }
  const hits = names.filter((n) => re.test(n)).sort();
  if (hits.length === 0)
    throw new HepqError('repl/no-match', `no file matches ${arg}`, {
      hint: `${dir} has ${names.length} entries; check the pattern`,
    });
  return hits.map((n) => (dir === '.' && !arg.startsWith('./') ? n : join(dir, n)));
}

function needFiles(repl: Repl): void {
  if (repl.files.length === 0)
    throw new HepqError('repl/no-files', 'no file is open', { hint: 'open one with .open FILE.root' });
}

/** Run one dot-command; false means leave the REPL. */
export async function runDotCommand(repl: Repl, text: string): Promise<boolean> {
  const [cmd = '', ...args] = text.split(/\s+/);
  const rest = text.slice(cmd.length).trim();
  switch (cmd) {
    case '.exit':
    case '.quit':
    case '.q':
      return false;
    case '.tables':
      needFiles(repl);
      repl.print(
        `  events  (the open files as one SQL view: ${repl.files.length} file${repl.files.length > 1 ? 's' : ''}, tree ${repl.tree ?? 'found in the file'})`,
      );
      return true;
    case '.maxrows': {
      const n = Number(rest);
      if (!Number.isSafeInteger(n) || n < 1) throw new HepqError('repl/usage', 'usage: .maxrows N (N ≥ 1)');
      repl.maxRows = n;
      return true;
    }
    case '.read': {
      if (!rest) throw new HepqError('repl/usage', 'usage: .read FILE (its statements run one by one)');
      let text: string;
      try {
        text = readFileSync(rest, 'utf8');
      } catch {
        throw new HepqError('repl/no-file', `cannot read ${rest}`);
      }
      for (const statement of splitStatements(text)) if (!(await repl.statement(statement))) return false;
      return true;
    }
    case '.help':
      repl.print(REPL_HELP);
      return true;
    case '.open': {
      const files: string[] = [];
      let tree: string | undefined;
      for (let i = 0; i < args.length; i++) {
        if (args[i] === '--tree') tree = args[++i];
        else files.push(...expandGlob(args[i]!));
      }
      if (files.length === 0) throw new HepqError('repl/usage', 'usage: .open FILE… [--tree TREE]');
      await repl.open(files, tree);
      return true;
    }
    case '.schema': {
      needFiles(repl);
      const schema = await repl.session.schema(repl.files[0]!, repl.tree);
      const m = rest ? glob(rest) : { test: () => true };
      const fields = schema.fields.filter((f) => m.test(f.name));
      const w = Math.max(4, ...fields.map((f) => f.name.length));
      repl.print(
        fields.length
          ? `${fields.map((f) => `  ${f.name.padEnd(w)}  ${columnTypeText(f.type)}`).join('\n')}\n(${fields.length} of ${schema.fields.length} branches)`
          : `no branch matches '${rest}' (of ${schema.fields.length})`,
      );
      return true;
    }
    case '.param': {
      if (!rest) {
        const names = Object.entries(repl.params);
        repl.print(
          names.length
            ? names.map(([k, v]) => `  ${k} = ${JSON.stringify(v)}`).join('\n')
            : 'no parameters set',
        );
        return true;
      }
      const m = /^([A-Za-z_]\w*)\s*=\s*(.*)$/s.exec(rest);
      if (!m)
        throw new HepqError('repl/usage', 'usage: .param NAME=VALUE', { hint: 'e.g. .param lumi=3378' });
      const v = m[2]!.trim();
      if (v === '') delete repl.params[m[1]!];
      else
        repl.params[m[1]!] =
          v === 'true' ? true : v === 'false' ? false : Number.isFinite(Number(v)) ? Number(v) : v;
      return true;
    }
    case '.fileset': {
      if (!rest) {
        repl.fileset = undefined;
        repl.print('queries read the open files again');
        return true;
      }
      const fs = loadFileset(rest);
      repl.fileset = rest;
      repl.print(
        `fileset ${rest}: ${fs.datasets.map((d) => `${d.name} (${d.files.length} file${d.files.length === 1 ? '' : 's'})`).join(', ')}`,
      );
      return true;
    }
    case '.explain': {
      const q = rest || repl.lastQuery;
      if (!q)
        throw new HepqError('repl/usage', 'nothing to explain', {
          hint: 'usage: .explain QUERY (or run a query first)',
        });
      await repl.explain(q);
      return true;
    }
    case '.timer':
      if (rest !== 'on' && rest !== 'off') throw new HepqError('repl/usage', 'usage: .timer on|off');
      repl.timer = rest === 'on';
      return true;
    case '.format':
    case '.mode':
      if (!['table', 'json', 'csv'].includes(rest))
        throw new HepqError('repl/usage', `unknown format '${rest}'`, {
          hint: 'use .format table, json or csv',
        });
      repl.format = rest as OutputFormat;
      return true;
    case '.output':
      if (rest) writeFileSync(rest, '');
      repl.outputFile = rest || undefined;
      repl.print(rest ? `results now go to ${rest}` : 'results now go to the terminal');
      return true;
    case '.hist':
      if (!repl.lastHist)
        throw new HepqError('repl/no-hist', 'no histogram yet', { hint: 'run a query ending in .Hist(…)' });
      repl.print(drawHistogram(repl.lastHist, { width: Math.min(repl.width, 100) }).join('\n'));
      return true;
    case '.plot': {
      if (!repl.lastHist)
        throw new HepqError('repl/no-hist', 'no histogram yet', { hint: 'run a query ending in .Hist(…)' });
      if (!rest) throw new HepqError('repl/usage', 'usage: .plot FILE.svg|FILE.png');
      const n = await writePlot(rest, histogramSpec(repl.lastHist, xTitle(repl.lastQuery)));
      repl.print(`wrote ${rest} (${n} bytes)`);
      return true;
    }
    case '.save':
      if (!rest || /\s/.test(rest)) throw new HepqError('repl/usage', 'usage: .save NAME (one word)');
      if (!repl.lastQuery)
        throw new HepqError('repl/usage', 'no query to save yet', { hint: 'run a query first' });
      repl.saved.set(rest, repl.lastQuery);
      repl.print(`saved '${rest}'`);
      return true;
    case '.load': {
      if (!rest) {
        const all = repl.saved.all();
        const names = Object.keys(all).sort();
        repl.print(
          names.length
            ? names.map((n) => `  ${n}: ${all[n]!.replace(/\s+/g, ' ')}`).join('\n')
            : 'no saved queries (.save NAME keeps the last one)',
        );
        return true;
      }
      const q = repl.saved.get(rest);
      if (q === undefined) {
        const guess = didYouMean(rest, repl.saved.names());
        throw new HepqError('repl/no-saved', `no saved query '${rest}'`, {
          hint: guess ? `did you mean '${guess}'?` : '.load with no name lists them',
        });
      }
      repl.print(q);
      await repl.run(q);
      return true;
    }
    default: {
      const guess = didYouMean(cmd, DOT_COMMANDS);
      throw new HepqError('repl/unknown-command', `unknown command '${cmd}'`, {
        hint: guess ? `did you mean '${guess}'? (.help lists them)` : '.help lists the commands',
      });
    }
  }
}

/** The statements of a script for `.read`: lines grouped as the REPL groups typed lines. */
export function splitStatements(text: string): string[] {
  const out: string[] = [];
  let buffer = '';
  for (const line of text.split('\n')) {
    if (buffer && isContinuation(line)) buffer += `\n${line}`;
    else if (buffer && isComplete(buffer)) {
      out.push(buffer);
      buffer = line;
    } else buffer = buffer ? `${buffer}\n${line}` : line;
  }
  if (buffer.trim()) out.push(buffer);
  return out.map((s) => s.trim()).filter(Boolean);
}

/** The x-axis title of a plot of the last query: its histogrammed expression (none when unclear). */
function xTitle(query: string | undefined): { x?: string } {
  const x = query === undefined ? undefined : queryAxisLabel(query);
  return x === undefined ? {} : { x };
}
