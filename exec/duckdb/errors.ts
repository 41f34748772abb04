/** DuckDB's error messages as located HepqErrors: a stable code from the error type, a span in the SQL text. */
import { HepqError, type SourceSpan } from '../batch/index.js';

/** Where DuckDB's "LINE n: …" excerpt and its caret point in `sql` (the statement starting at `offset`). */
function caretSpan(message: string, sql: string, offset: number): SourceSpan | undefined {
  const m = /\nLINE (\d+): (.*)\n( *)\^/.exec(message);
  if (!m) return undefined;
  const text = sql.slice(offset);
  const lineNo = Number(m[1]);
  const lines = text.split('\n');
  const line = lines[lineNo - 1];
  if (line === undefined) return undefined;
  let excerpt = m[2]!;
  let col = m[3]!.length - `LINE ${m[1]}: `.length;
  if (excerpt.startsWith('...')) {
    excerpt = excerpt.slice(3);
    col -= 3;
  }
  if (excerpt.endsWith('...')) excerpt = excerpt.slice(0, -3);
  const at = line.indexOf(excerpt.slice(0, Math.max(1, Math.min(excerpt.length, 40))));
  if (at < 0 || col < 0) return undefined;
  const lineStart = lines.slice(0, lineNo - 1).reduce((n, l) => n + l.length + 1, 0);
  const start = offset + lineStart + at + col;
  const word = /^[A-Za-z_0-9."']+/.exec(sql.slice(start))?.[0] ?? '';
  return { start, end: start + Math.max(1, word.length) };
}

/** The first place a quoted name of the message ("rnge") occurs in the SQL. */
function nameSpan(message: string, sql: string, offset: number): SourceSpan | undefined {
  const m = /"([^"\n]+)"/.exec(message);
  if (!m) return undefined;
  const name = m[1]!;
  const re = new RegExp(`(?<![A-Za-z0-9_])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_])`);
  const hit = re.exec(sql.slice(offset));
  return hit ? { start: offset + hit.index, end: offset + hit.index + name.length } : undefined;
}

/** A DuckDB (or other) error thrown while running `sql`, as a HepqError with code `sql/<type>`. */
export function sqlError(e: unknown, sql: string, offset = 0): HepqError {
  if (e instanceof HepqError) return e;
  const raw = e instanceof Error ? e.message : String(e);
  const text = raw.replace(/^Failed to (extract statements|prepare statement|execute[^:]*): /, '');
  const typed = /^([A-Za-z ]+?) Error: ([\s\S]*)$/.exec(text);
  const kind = typed ? typed[1]!.trim().toLowerCase().replace(/\s+/g, '-') : 'error';
  const body = (typed ? typed[2]! : text).replace(/\n\nLINE \d+:[\s\S]*$/, '').trim();
  const span =
    caretSpan(text, sql, offset) ??
    (kind === 'binder' || kind === 'catalog' ? nameSpan(body, sql, offset) : undefined);
  const hint = /Candidate bindings: (.*)/.exec(body)?.[1];
  const message = body.replace(/\nCandidate bindings: .*/, '').replace(/\n+/g, ' ');
  return new HepqError(`sql/${kind}`, message, {
    source: sql,
    ...(span ? { span } : {}),
    ...(hint ? { hint: `did you mean ${hint}?` } : {}),
    cause: e,
  });
}

/** A table function's error (a file that is missing or refused) pointed at the file's literal in the SQL. */
export function locateFileError(e: unknown, sql: string, offset = 0): unknown {
  if (!(e instanceof HepqError) || e.span) return e;
  const names = [
    e.location?.file,
    /^(?:no such file: )?(\S+?)(?: is outside| holds|:|$)/.exec(e.message)?.[1],
  ];
  for (const name of names) {
    if (!name) continue;
    const base = name.slice(name.lastIndexOf('/') + 1);
    const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(`'(?:${esc(name)}|[^'\\n]*${esc(base)})'`);
    const hit = re.exec(sql.slice(offset));
    if (!hit) continue;
    const start = offset + hit.index;
    return new HepqError(e.code, e.message, {
      source: sql,
      span: { start, end: start + hit[0].length },
      ...(e.location ? { location: e.location } : {}),
      ...(e.hint ? { hint: e.hint } : {}),
      cause: e,
    });
  }
  return e;
}
