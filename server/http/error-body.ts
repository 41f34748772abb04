/**
 * Errors as HTTP answers: a 4xx status from the error's code and a JSON body {error: {code, message,
 * location, hint}}; anything that is not a HepqError is a bug (500, its text kept out of the answer); the
 * data roots' absolute paths are shown relative to their root.
 */
import { HepqError } from '../../exec/batch/index.js';

export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly location?: Record<string, unknown>;
    readonly hint?: string;
  };
}

const STATUS: ReadonlyArray<[RegExp, number]> = [
  [/^server\/unauthorized$/, 401],
  [/^sql\/(forbidden-statement|forbidden-function|forbidden-table|file-refused|permission)$/, 403],
  [/^(sql\/no-such-file|io\/not-found)$/, 404],
  [/^server\/timeout$/, 408],
  [/^(sql\/result-too-large|server\/result-too-large|sql\/too-complex)$/, 413],
  [/^server\/busy$/, 429],
  [/^server\/not-acceptable$/, 406],
  [/^server\/body-too-large$/, 413],
  [/^server\/media-type$/, 415],
];

/** The status for an error: 500 for a bug in hepq, else 400 unless a more precise 4xx fits its code. */
export function statusFor(code: string, kind?: HepqError['kind']): number {
  if (kind === 'internal') return 500;
  for (const [re, status] of STATUS) if (re.test(code)) return status;
  return 400;
}

function lineColumn(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/** `text` with each root's absolute path (and what is under it) written relative to the root. */
function relativeTo(roots: readonly string[], text: string): string {
  let out = text;
  for (const root of roots) {
    const r = root.endsWith('/') ? root.slice(0, -1) : root;
    if (r) out = out.split(`${r}/`).join('').split(r).join('.');
  }
  return out;
}

/** What a client is told of a bug: that it is one, not its text (which may hold paths, data, internals). */
export const INTERNAL_MESSAGE =
  'internal error: this is a bug in hepq, not in your request; the server has logged it';

/** The answer's body; `roots`: absolute paths not to disclose (the data roots). */
export function errorBody(e: HepqError, roots: readonly string[] = []): ErrorBody {
  if (e.kind === 'internal')
    return {
      error: {
        code: e.code,
        message: INTERNAL_MESSAGE,
        hint: 'please report it with the request that caused it',
      },
    };
  const rel = (s: string) => relativeTo(roots, s);
  const location: Record<string, unknown> = {};
  if (e.span) {
    location.start = e.span.start;
    location.end = e.span.end;
    if (e.source !== undefined) Object.assign(location, lineColumn(e.source, e.span.start));
  }
  if (e.location)
    for (const [k, v] of Object.entries(e.location)) location[k] = typeof v === 'string' ? rel(v) : v;
  return {
    error: {
      code: e.code,
      message: rel(e.message),
      ...(Object.keys(location).length ? { location } : {}),
      ...(e.hint ? { hint: rel(e.hint) } : {}),
    },
  };
}

/**
 * Any thrown value as a HepqError: hepq's own errors as they are, fastify's own 4xx as request errors,
 * anything else is a bug (kind internal: 500, says so; its text only in the server's log).
 */
export function asHepqError(e: unknown): HepqError {
  if (e instanceof HepqError) return e;
  const err = e as { code?: string; statusCode?: number; message?: string };
  if (err?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return new HepqError('server/media-type', err.message ?? 'unsupported content type', {
      hint: 'send application/json ({"sql": "…"}) or text/plain (the SQL itself)',
    });
  if (err?.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new HepqError('server/body-too-large', 'the request body is too large');
  if (err?.statusCode === 400 || err?.code?.startsWith?.('FST_ERR_CTP'))
    return new HepqError('server/bad-request', err.message ?? 'bad request');
  if (err?.code === 'FST_ERR_VALIDATION' || (err as { validation?: unknown })?.validation)
    return new HepqError('server/invalid-request', err.message ?? 'invalid request');
  if (typeof err?.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500)
    return new HepqError('server/bad-request', err.message ?? 'bad request');
  return HepqError.internal('an unexpected error while answering the request', e);
}
