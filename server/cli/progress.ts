/**
 * A progress bar for long operations (scans, generation, toys, limit scans): done / total, rate and ETA, drawn on
 * stderr only when stderr is a terminal and the user did not ask for quiet, so piped and `--json` output stay clean.
 */

export interface ProgressUpdate {
  readonly done: number;
  readonly total: number;
  readonly unit?: string;
}

/** The stream a reporter draws on (process.stderr, or a test double). */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export interface ProgressOptions {
  readonly label?: string;
  readonly quiet?: boolean;
  readonly stream?: ProgressStream;
  /** minimum milliseconds between redraws (default 100) */
  readonly interval?: number;
  /** the clock, in ms (tests pass a fake one) */
  readonly now?: () => number;
}

/** 1234567 → "1.23M" */
export function humanCount(n: number): string {
  const a = Math.abs(n);
  if (a < 1e3) return Number.isInteger(n) ? String(n) : n.toFixed(1);
  if (a < 1e6) return `${(n / 1e3).toFixed(a < 1e4 ? 2 : 1)}k`;
  if (a < 1e9) return `${(n / 1e6).toFixed(a < 1e7 ? 2 : 1)}M`;
  return `${(n / 1e9).toFixed(2)}G`;
}

/** Seconds as "42s", "3m05s", "1h02m". */
export function humanDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '?';
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** One line of progress text: `label ███████░░░░ 45% 4.50k/10.0k events 12.3k events/s ETA 1s`. */
export function progressLine(u: ProgressUpdate, elapsedMs: number, width: number, label = ''): string {
  const unit = u.unit ?? 'items';
  const frac = u.total > 0 ? Math.min(1, Math.max(0, u.done / u.total)) : 0;
  const rate = elapsedMs > 0 ? (u.done / elapsedMs) * 1000 : 0;
  const eta = rate > 0 ? (u.total - u.done) / rate : Number.NaN;
  const tail = ` ${String(Math.floor(frac * 100)).padStart(3)}% ${humanCount(u.done)}/${humanCount(u.total)} ${unit}  ${humanCount(rate)} ${unit}/s  ETA ${humanDuration(eta)}`;
  const head = label ? `${label} ` : '';
  const barWidth = Math.max(10, Math.min(40, width - head.length - tail.length - 1));
  const full = Math.floor(frac * barWidth);
  return `${head}${'█'.repeat(full)}${'░'.repeat(barWidth - full)}${tail}`;
}

/** Feeds on `{done, total, unit}` updates (e.g. the Session's onProgress) and redraws one stderr line. */
export class ProgressReporter {
  private readonly stream: ProgressStream;
  private readonly active: boolean;
  private readonly interval: number;
  private readonly now: () => number;
  private readonly label: string;
  private start = -1;
  private last = Number.NEGATIVE_INFINITY;
  private drawn = false;
  private latest: ProgressUpdate | undefined;

  constructor(options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.active = !options.quiet && this.stream.isTTY === true;
    this.interval = options.interval ?? 100;
    this.now = options.now ?? (() => performance.now());
    this.label = options.label ?? '';
  }

  /** Whether anything will be drawn (a terminal, not quiet). */
  get enabled(): boolean {
    return this.active;
  }

  /** The callback form, to pass as `onProgress`. */
  readonly update = (u: ProgressUpdate): void => {
    this.latest = u;
    if (!this.active) return;
    const t = this.now();
    if (this.start < 0) this.start = t;
    if (t - this.last < this.interval && u.done < u.total) return;
    this.last = t;
    this.draw(u, t);
  };

  private draw(u: ProgressUpdate, t: number): void {
    const width = (this.stream.columns ?? 80) - 1;
    this.stream.write(`\r\x1b[2K${progressLine(u, t - this.start, width, this.label).slice(0, width)}`);
    this.drawn = true;
  }

  /** Erase the bar (call when the operation ends, before printing its result). */
  finish(): void {
    if (this.active && this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }

  /** The last update received (drawn or not). */
  get lastUpdate(): ProgressUpdate | undefined {
    return this.latest;
  }
}

/** A plain batch-stream object passed through unchanged (its `schema` kept), reporting the rows it has passed on. */
export function streamWithProgress<B extends { readonly length: number }, S extends AsyncIterable<B>>(
  stream: S,
  total: number,
  report: (u: ProgressUpdate) => void,
  unit = 'events',
): S {
  async function* pass(): AsyncGenerator<B> {
    let done = 0;
    report({ done, total, unit });
    for await (const b of stream) {
      done += b.length;
      report({ done, total, unit });
      yield b;
    }
  }
  return { ...stream, [Symbol.asyncIterator]: pass } as S;
}
