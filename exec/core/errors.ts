/** The one error base class of hepq: a code, a message, and where the problem is (query span or file location). */

/** A span in query text, as character offsets [start, end). */
export interface SourceSpan {
  readonly start: number;
  readonly end: number;
}

/** Where in a data file a problem was found. */
export interface FileLocation {
  readonly file: string;
  /** Object path inside the file, e.g. `Events/Muon_pt` or `one/two/tree`. */
  readonly object?: string;
  readonly offset?: number;
}

/**
 * What kind of mistake an error is, for whoever handles it: `syntax` (the text cannot be read: query, option,
 * request body), `plan` (it reads but means nothing here: unknown name, wrong type, bad argument), `data` (an
 * input file or workspace is missing, corrupt or inconsistent), `unsupported` (valid, but hepq does not do it
 * yet), `resource` (a limit, timeout, cancellation, permission or busy server), `internal` (a bug in hepq).
 */
export type ErrorKind = 'syntax' | 'plan' | 'data' | 'unsupported' | 'resource' | 'internal';

export const ERROR_KINDS: readonly ErrorKind[] = [
  'syntax',
  'plan',
  'data',
  'unsupported',
  'resource',
  'internal',
];

// Code name patterns (the part after `layer/`), in order: the first match gives the kind.
const KIND_RULES: ReadonlyArray<[RegExp, ErrorKind]> = [
  [/(^|\/)(internal|bug)$/, 'internal'],
  [/(^|\/)(unsupported|not-supported|hist2d)$/, 'unsupported'],
  [
    /(^|\/)(syntax|parse|bad-json|bad-format|bad-number|bad-request|invalid-request|media-type|bad-url|usage|missing-option|unknown-command|query-first|bad-range)$/,
    'syntax',
  ],
  [
    /(^|\/)(timeout|cancelled|canceled|busy|too-large|body-too-large|result-too-large|memory|limit|too-deep|too-many|permission|permission-denied|forbidden|not-allowed|unauthorized|file-refused|forbidden-statement|shutdown|closed|not-acceptable|empty-token|token-file|no-data-root|unavailable)$/,
    'resource',
  ],
  [
    /^(root|rntuple|parquet|io|synthetic)\/|(^|\/)(corrupt[a-z-]*|checksum-mismatch|not-found|no-such-file|not-a-file|open-failed|empty-read|schema-changed|key-past-end|bad-compression|bad-histogram|bad-response|network-error|http-error)$|^stats\/(json|workspace|io|xml|measurement|patch)$/,
    'data',
  ],
];

/** The kind of an error code, for codes whose throw site does not say (see ErrorKind). */
export function kindOfCode(code: string): ErrorKind {
  for (const [re, kind] of KIND_RULES) if (re.test(code)) return kind;
  return 'plan';
}

export interface HepqErrorOptions {
  /** The kind of mistake (default: derived from the code by `kindOfCode`). */
  readonly kind?: ErrorKind;
  readonly span?: SourceSpan;
  readonly source?: string;
  readonly location?: FileLocation;
  readonly hint?: string;
  readonly cause?: unknown;
}

/** Base class for every user-facing error. `code` is stable and machine-readable. */
export class HepqError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly span?: SourceSpan;
  readonly source?: string;
  readonly location?: FileLocation;
  readonly hint?: string;

  constructor(code: string, message: string, options: HepqErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HepqError';
    this.code = code;
    this.kind = options.kind ?? kindOfCode(code);
    this.span = options.span;
    this.source = options.source;
    this.location = options.location;
    this.hint = options.hint;
  }

  /**
   * A bug in hepq surfaced as an error that says so: the message asks for a report and carries the context
   * (usually the query text) so the report can be acted on. `cause` keeps the original error and its stack.
   */
  static internal(what: string, cause: unknown, context?: string): HepqError {
    const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    return new HepqError('internal/bug', `this is a bug in hepq: ${what} (${detail})`, {
      kind: 'internal',
      cause,
      hint: `please report it${context ? ` with this input:\n    ${context.length > 2000 ? `${context.slice(0, 2000)}…` : context}` : ''}`,
    });
  }

  /** A multi-line human rendering: message, location or caret under the query, and the hint. */
  render(): string {
    const lines = [`error[${this.code}]: ${this.message}`];
    if (this.location) {
      const { file, object, offset } = this.location;
      lines.push(
        `  at ${file}${object ? ` : ${object}` : ''}${offset !== undefined ? ` (byte offset ${offset})` : ''}`,
      );
    }
    if (this.source !== undefined && this.span) lines.push(...caretLines(this.source, this.span));
    if (this.hint) lines.push(`  hint: ${this.hint}`);
    return lines.join('\n');
  }
}

/** The line of `source` holding `span`, with carets under the span. */
export function caretLines(source: string, span: SourceSpan): string[] {
  const lineStart = source.lastIndexOf('\n', Math.max(0, span.start - 1)) + 1;
  let lineEnd = source.indexOf('\n', span.start);
  if (lineEnd < 0) lineEnd = source.length;
  const lineNo = source.slice(0, lineStart).split('\n').length;
  const col = span.start - lineStart;
  const width = Math.max(1, Math.min(span.end, lineEnd) - span.start);
  const gutter = `${lineNo} | `;
  return [
    `  ${gutter}${source.slice(lineStart, lineEnd)}`,
    `  ${' '.repeat(gutter.length + col)}${'^'.repeat(width)}`,
  ];
}

/** The candidate closest to `name` by edit distance, if it is close enough to be a likely typo. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  const lower = name.toLowerCase();
  const limit = Math.max(2, Math.floor(name.length / 3));
  for (const c of candidates) {
    // The distance is at least the difference of the lengths: skip what cannot be close enough, so a
    // 100 KB name costs one comparison of lengths per candidate, not an edit-distance table.
    const other = c.toLowerCase();
    if (Math.abs(other.length - lower.length) > limit) continue;
    const d = editDistance(lower, other);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= limit ? best : undefined;
}

export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
