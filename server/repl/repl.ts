/**
 * The interactive REPL over a Session: multi-line func_adl and SQL (DuckDB, through Session.sql), persistent
 * history, Tab completion, dot-commands, results as tables or terminal histograms; Ctrl-C cancels a running query.
 */
import { appendFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { JsValue } from '../../exec/batch/index.js';
import { HepqError } from '../../exec/core/index.js';
import { type QueryResult, resultToJson } from '../../exec/index.js';
import { textResult } from '../cli/float32-text.js';
import { ProgressReporter } from '../cli/progress.js';
import { drawHistogram, type HistogramData } from '../plot/index.js';
import { type QueryOptions, Session } from '../session.js';
import { complete } from './completion.js';
import { runDotCommand } from './dot-commands.js';
import { installHistorySearch } from './history-search.js';
import { awaitsMore, isComplete, isContinuation, isSql, unwrapParens } from './input.js';
import { hepqHome, loadHistory, SavedQueries, saveHistory } from './store.js';
import {
  formatCell,
  type OutputFormat,
  type RowShape,
  renderCsv,
  renderJson,
  renderTable,
  sqlLabels,
  sqlRows,
} from './table.js';

export interface ReplOptions {
  readonly files?: readonly string[];
  readonly tree?: string;
  readonly input?: NodeJS.ReadableStream;
  readonly output?: NodeJS.WritableStream & { columns?: number; isTTY?: boolean };
  /** folder of the history and saved-queries files (default $HEPQ_HOME or ~/.hepq) */
  readonly home?: string;
  readonly session?: Session;
}

/** The REPL's state, shared with the dot-commands. */
export class Repl {
  readonly session: Session;
  readonly out: NodeJS.WritableStream & { columns?: number; isTTY?: boolean };
  readonly saved: SavedQueries;
  files: string[] = [];
  /** Query parameters set with `.param NAME=VALUE`, bound in every following query. */
  params: Record<string, number | boolean | string> = {};
  /** A fileset (`.fileset FILE`): following queries run over each of its datasets instead of the open files. */
  fileset: string | undefined;
  tree: string | undefined;
  names: string[] = [];
  format: OutputFormat = 'table';
  timer = false;
  outputFile: string | undefined;
  lastQuery: string | undefined;
  /** the last func_adl query run: a following `.Select(…)` line typed on its own extends it */
  lastFuncAdl: string | undefined;
  /** rows a table shows (`.maxrows N`) */
  maxRows = 20;
  lastHist: HistogramData | undefined;
  running: AbortController | undefined;
  private rl!: Interface;
  /** SQL defining the view `events` over the open files, still to be run (undefined: nothing to do). */
  private eventsView: string | undefined;
  private buffer = '';
  private terminal = false;
  private readonly historyFile: string;
  private readonly ownSession: boolean;

  constructor(private readonly options: ReplOptions = {}) {
    // Workers stay up for 10 minutes between queries: a physicist's pause should not cost their start.
    this.session = options.session ?? new Session({ workerIdleMs: 600_000 });
    this.ownSession = !options.session;
    this.out = options.output ?? process.stdout;
    const home = options.home ?? hepqHome();
    this.historyFile = join(home, 'history');
    this.saved = new SavedQueries(join(home, 'queries.json'));
    this.tree = options.tree;
  }

  get width(): number {
    return this.out.columns ?? 100;
  }

  print(text: string): void {
    this.out.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Results go to `.output FILE` when set, else to the terminal. */
  result(text: string): void {
    const t = text.endsWith('\n') ? text : `${text}\n`;
    if (this.outputFile) appendFileSync(this.outputFile, t);
    else this.out.write(t);
  }

  /** Open files (checking each can be read with the tree asked for) and learn their branch names. */
  async open(files: readonly string[], tree?: string): Promise<void> {
    const names = new Set<string>();
    const lines: string[] = [];
    let entries = 0;
    const tables: string[] = [];
    for (const f of files) {
      const table = await this.session.open(f, tree === undefined ? {} : { tree });
      for (const field of table.schema().fields) names.add(field.name);
      const n = table.statistics().entries;
      entries += n;
      lines.push(`  ${f}: ${table.name}, ${n} entries, ${table.schema().fields.length} branches`);
      tables.push(table.name);
    }
    this.files = [...files];
    this.tree = tree;
    this.names = [...names];
    this.eventsView = eventsViewSql(files, tables);
    if (lines.length > 6) lines.splice(3, lines.length - 5, `  … ${lines.length - 5} more files`);
    if (files.length > 1) lines.push(`  ${files.length} files, ${entries} entries in all`);
    this.print(lines.join('\n'));
  }

  private queryOptions(signal?: AbortSignal, onProgress?: QueryOptions['onProgress']): QueryOptions {
    return {
      files: this.files,
      ...(Object.keys(this.params).length ? { params: { ...this.params } } : {}),
      ...(this.tree ? { tree: this.tree } : {}),
      ...(signal ? { signal } : {}),
      ...(onProgress ? { onProgress } : {}),
    };
  }

  async explain(text: string): Promise<void> {
    this.print(await this.session.explain(text, this.queryOptions()));
  }

  /** Run one query: a progress bar while it scans, Ctrl-C aborts it, the result printed in the current format. */
  async run(text: string): Promise<void> {
    this.lastQuery = text;
    const controller = new AbortController();
    this.running = controller;
    const progress = new ProgressReporter({ stream: this.out, label: 'scan' });
    const t0 = performance.now();
    try {
      const options = this.queryOptions(controller.signal, progress.update);
      if (isSql(text)) {
        if (this.eventsView) {
          // the open files become the SQL view `events` (made on the first SQL statement, so DuckDB starts only then)
          await this.session.sql(this.eventsView, { signal: controller.signal });
          this.eventsView = undefined;
        }
        const r = await this.session.sql(text, {
          signal: controller.signal,
          maxRows: 1_000_000,
          onProgress: progress.update,
        });
        progress.finish();
        if (this.format === 'csv') {
          // the CSV `hepq sql` writes: DuckDB's text, quoted as DuckDB's COPY … TO quotes it
          const { encodeResult } = await import('../sql/index.js');
          this.result((await encodeResult(r, 'csv')) as string);
        } else this.showRows(sqlRows(r, this.format === 'json'), 'dict', sqlLabels(r));
        if (this.timer) this.print(`time: ${(performance.now() - t0).toFixed(1)} ms`);
        return;
      }
      if (this.fileset) {
        const r = await this.session.queryFileset(text, this.fileset, options);
        progress.finish();
        this.result(
          renderJson(
            (r.histograms ??
              r.datasets.map((d) => ({
                dataset: d.dataset,
                results: d.results.map((x) => resultToJson(x)),
              }))) as unknown as JsValue,
          ),
        );
        if (this.timer) this.print(`time: ${(performance.now() - t0).toFixed(1)} ms`);
        return;
      }
      const result = await this.session.query(text, options);
      progress.finish();
      this.show(result);
      if (this.timer) this.print(`time: ${(performance.now() - t0).toFixed(1)} ms`);
    } catch (e) {
      progress.finish();
      if (controller.signal.aborted) this.print('query cancelled (Ctrl-C)');
      else this.printError(e);
    } finally {
      this.running = undefined;
    }
  }

  show(result: QueryResult): void {
    if (result.kind === 'histogram') {
      this.lastHist = result.histogram;
      if (this.format === 'table')
        this.result(drawHistogram(result.histogram, { width: Math.min(this.width, 100) }).join('\n'));
      else if (this.format === 'json') this.result(renderJson(result.histogram));
      else this.result(histogramCsv(result.histogram));
      return;
    }
    const json = resultToJson(textResult(result)) as JsValue;
    if (result.kind === 'histograms') {
      this.result(renderJson(json));
      return;
    }
    if (result.kind === 'value') {
      this.result(this.format === 'json' ? renderJson(json) : formatCell(json, 200));
      return;
    }
    this.showRows(json as JsValue[], result.shape);
  }

  /** Rows in the current format; `labels`: the table header's name of a key that is not its own. */
  showRows(rows: JsValue[], shape: RowShape, labels?: ReadonlyMap<string, string>): void {
    if (this.format === 'json') this.result(renderJson(rows));
    else if (this.format === 'csv') this.result(renderCsv(rows, shape));
    else
      this.result(
        renderTable(
          rows,
          shape,
          this.width,
          this.outputFile ? Number.MAX_SAFE_INTEGER : this.maxRows,
          labels,
        ),
      );
  }

  printError(e: unknown): void {
    if (e instanceof HepqError && e.code === 'query/no-files')
      this.print(
        new HepqError(e.code, e.message, {
          hint: ".open FILE.root first, or name the files in the query: EventDataset('file.root')",
        }).render(),
      );
    else if (e instanceof HepqError) this.print(e.render());
    else if (e instanceof Error) this.print(`error: ${e.message}`);
    else this.print(`error: ${String(e)}`);
  }

  /** One complete statement: a dot-command or a query. Returns false to leave the REPL. */
  async statement(text: string): Promise<boolean> {
    const t = text.trim();
    if (!t) return true;
    try {
      if (t.startsWith('.') && !isContinuation(t)) return await runDotCommand(this, t);
      if (isContinuation(t))
        throw new HepqError(
          'repl/continuation',
          `'${t.split('(')[0]}(' continues a func_adl query, but none came before it`,
          {
            hint: "type the query's first line (Select(…), EventDataset('file.root'), …) before its .Operator(…) lines",
          },
        );
      const query = isSql(t) ? t : unwrapParens(t);
      if (!isSql(t)) this.lastFuncAdl = query;
      await this.run(query);
    } catch (e) {
      this.printError(e);
    }
    return true;
  }

  /** A statement typed over several lines becomes one history entry (on one line), so Up recalls it whole. */
  private joinHistory(lines: number, text: string): void {
    const history = (this.rl as unknown as { history?: string[] }).history;
    if (lines < 2 || !history || !this.terminal) return;
    history.splice(0, Math.min(lines, history.length), text.replace(/\s*\n\s*/g, ' ').trim());
    saveHistory(this.historyFile, history);
  }

  private prompt(): void {
    if (!this.terminal) return;
    this.rl.setPrompt(this.buffer ? '   ...> ' : 'hepq> ');
    this.rl.prompt();
  }

  /** Read statements until `.exit` or end of input (Ctrl-D). */
  async start(): Promise<void> {
    const input = this.options.input ?? process.stdin;
    const terminal =
      (this.out as { isTTY?: boolean }).isTTY === true && (input as { isTTY?: boolean }).isTTY === true;
    this.rl = createInterface({
      input,
      output: this.out,
      terminal,
      history: loadHistory(this.historyFile),
      historySize: 1000,
      removeHistoryDuplicates: true,
      completer: (line: string) =>
        complete(line, {
          names: () => this.names,
          functions: () => this.session.functions.scalarNames(),
          saved: () => this.saved.names(),
        }),
    });
    // take lines from now on: input that arrives while the files open must not be lost
    const queue: string[] = [];
    let closed = false;
    let wake: (() => void) | undefined;
    this.rl.on('line', (l: string) => {
      queue.push(l);
      wake?.();
    });
    this.rl.on('close', () => {
      closed = true;
      wake?.();
    });
    const next = async (): Promise<string | undefined> => {
      while (queue.length === 0) {
        if (closed) return undefined;
        await new Promise<void>((r) => {
          wake = r;
        });
        wake = undefined;
      }
      return queue.shift();
    };
    this.terminal = terminal;
    if (terminal) installHistorySearch(this.rl, () => (this.buffer ? '   ...> ' : 'hepq> '));
    this.rl.on('history', (h: string[]) => saveHistory(this.historyFile, h));
    this.rl.on('SIGINT', () => {
      if (this.running) {
        this.running.abort(new HepqError('repl/cancelled', 'query cancelled'));
        return;
      }
      if (this.buffer || this.rl.line) this.out.write('^C\n');
      else this.out.write('\n(Ctrl-C cancels a running query; type .exit or press Ctrl-D to leave)\n');
      this.buffer = '';
      this.rl.write('', { ctrl: true, name: 'u' });
      this.prompt();
    });
    if (this.options.files?.length) {
      try {
        await this.open(this.options.files, this.options.tree);
      } catch (e) {
        this.printError(e);
      }
    }
    if (terminal) {
      this.print('hepq — type a func_adl query (it may span lines), .help for commands, Ctrl-D to leave');
      if (this.files.length === 0) this.print('no file is open yet: .open FILE.root');
    }
    this.prompt();
    try {
      let typed = 0; // lines of the statement typed so far (each one a history entry)
      for (let line = await next(); line !== undefined; line = await next()) {
        typed++;
        if (!this.buffer && isContinuation(line) && this.lastFuncAdl) {
          // `.Where(…)` typed after a query ran: it extends that query (as the next line of a Python cell would)
          if (this.terminal) this.print('(continuing the last query)');
          this.buffer = `${this.lastFuncAdl}\n${line}`;
        } else this.buffer = this.buffer ? `${this.buffer}\n${line}` : line;
        if (!isComplete(this.buffer)) {
          this.prompt();
          continue;
        }
        if (!isSql(this.buffer) && !this.buffer.trimStart().startsWith('.')) {
          // `EventDataset('f.root')` alone: its operators come on the next lines, up to an aggregate or .Hist(…)
          // (an empty line runs it as typed)
          if (awaitsMore(this.buffer, line)) {
            this.prompt();
            continue;
          }
          // lines pasted at once arrive together: a following `.Select(…)` line continues this query
          if (queue.length === 0) await new Promise((r) => setImmediate(r));
          if (queue.length > 0 && isContinuation(queue[0]!)) continue;
        }
        const text = this.buffer.replace(/\\\n/g, '\n');
        this.joinHistory(typed, text);
        this.buffer = '';
        typed = 0;
        if (!(await this.statement(text))) break;
        this.prompt();
      }
    } finally {
      this.rl.close();
      if (this.ownSession) await this.session.close();
    }
  }
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * `CREATE OR REPLACE VIEW events` over the open files: ROOT trees through `root(file, tree)` (several unioned by
 * column name), Parquet through `read_parquet`. Undefined for a mix of the two, or more than 50 ROOT files.
 */
export function eventsViewSql(files: readonly string[], tables: readonly string[]): string | undefined {
  if (files.length === 0) return undefined;
  const local = files.map((f) => (/^https?:\/\//.test(f) ? f : resolve(f)));
  let body: string;
  if (files.every((f) => /\.parquet$/i.test(f)))
    body = `SELECT * FROM read_parquet([${local.map(sqlString).join(', ')}])`;
  else if (files.every((f) => !/\.parquet$/i.test(f)) && files.length <= 50)
    body = local
      .map((f, i) => `SELECT * FROM root(${sqlString(f)}, ${sqlString(tables[i]!)})`)
      .join(' UNION ALL BY NAME ');
  else return undefined;
  return `CREATE OR REPLACE VIEW events AS ${body}`;
}

/** A histogram as CSV: one row per bin with its edges (x then y for a 2-D histogram) and count. */
export function histogramCsv(h: HistogramData): string {
  const ex = h.edges;
  const ey = h.edges2;
  if (!ey) return `low,high,count\n${h.counts.map((c, i) => `${ex[i]},${ex[i + 1]},${c}`).join('\n')}\n`;
  const ny = ey.length - 1;
  const rows = h.counts.map((c, k) => {
    const i = Math.floor(k / ny);
    const j = k % ny;
    return `${ex[i]},${ex[i + 1]},${ey[j]},${ey[j + 1]},${c}`;
  });
  return `x_low,x_high,y_low,y_high,count\n${rows.join('\n')}\n`;
}

/** Run a REPL to its end (`hepq repl`, `hepq FILE…`). */
export async function runRepl(options: ReplOptions = {}): Promise<number> {
  await new Repl(options).start();
  return 0;
}
