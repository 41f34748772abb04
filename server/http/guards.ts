/**
 * Request guards that run before any route: the Host and Origin checks against DNS rebinding and cross-site
 * requests, and a JSON body parser that refuses deep nesting before it parses (a 1 MB body nested 500,000
 * levels deep must not reach the recursive code after the parser).
 */
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HepqError } from '../../exec/batch/index.js';

/** JSON bodies may nest this deep (the API's bodies nest two levels). */
export const MAX_JSON_DEPTH = 64;

/** The host name of a Host header or URL authority (no port, no IPv6 brackets), lower case. */
export function hostName(authority: string): string {
  const a = authority.trim().toLowerCase();
  if (a.startsWith('[')) return a.slice(1, a.indexOf(']') > 0 ? a.indexOf(']') : undefined);
  const colon = a.lastIndexOf(':');
  return colon >= 0 && a.indexOf(':') === colon ? a.slice(0, colon) : a;
}

/** Names a browser cannot be made to resolve to this server by DNS rebinding: IP literals and localhost. */
function rebindSafe(name: string): boolean {
  return isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost');
}

export interface HostGuardOptions {
  /** Check the Host header (a server without a token: DNS rebinding would reach it). */
  readonly checkHost: boolean;
  /** Host names accepted besides IP literals and localhost. */
  readonly allowedHosts: readonly string[];
}

function refused(reply: FastifyReply, code: string, message: string, hint: string): FastifyReply {
  return reply.code(403).send({ error: { code, message, hint } });
}

/**
 * The hook refusing a Host name that could be a rebound DNS name (when `checkHost`), and a browser's
 * cross-origin request (an Origin header whose host is not the Host the request was sent to).
 */
export function hostGuard(options: HostGuardOptions) {
  const allowed = new Set(options.allowedHosts.map((h) => h.toLowerCase()));
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const host = request.headers.host;
    const name = host === undefined ? undefined : hostName(host);
    if (options.checkHost && name !== undefined && !rebindSafe(name) && !allowed.has(name))
      return refused(
        reply,
        'server/forbidden-host',
        `requests for host ${JSON.stringify(name.slice(0, 100))} are refused`,
        'use the address (127.0.0.1) or localhost, or start the server with --allow-host NAME or a token',
      );
    const origin = request.headers.origin;
    if (origin !== undefined) {
      // "null" (an opaque origin: a sandboxed frame, a file:// page) parses to no host and is refused.
      let originHost: string;
      try {
        originHost = new URL(origin).host.toLowerCase();
      } catch {
        originHost = '';
      }
      if (originHost !== host?.toLowerCase() && !allowed.has(hostName(originHost)))
        return refused(
          reply,
          'server/forbidden-origin',
          'cross-origin requests are refused',
          'call the API from the same origin, or from a program rather than a web page',
        );
    }
    return undefined;
  };
}

/** The byte offset where `text` first nests deeper than `max` (outside strings), or -1. */
export function tooDeepAt(text: string, max: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) return Buffer.byteLength(text.slice(0, i));
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return -1;
}

/** Replace the JSON body parser with one that refuses nesting deeper than MAX_JSON_DEPTH first. */
export function guardJsonBodies(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    const at = tooDeepAt(text, MAX_JSON_DEPTH);
    if (at >= 0) {
      done(
        new HepqError('server/too-deep', `the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`, {
          location: { file: 'request body', offset: at },
          hint: 'send {"sql": "…"} or {"query": "…", "files": […]}',
        }),
        undefined,
      );
      return;
    }
    parse(request, text, done);
  });
}
