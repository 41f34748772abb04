/**
 * Bearer-token authentication as a fastify `onRequest` hook, shared by every plugin of the app (the SQL
 * routes and the ServiceX transformer): `Authorization: Bearer <token>` (the scheme in any case, RFC 7235),
 * compared in constant time whatever the lengths.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HepqError } from '../../exec/batch/index.js';

/** Paths served without a token: the liveness probe, the API description and the console's page (no data). */
const OPEN_PATHS = ['/', '/health', '/docs'];

export type AuthHook = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

/** The hook refusing requests without the token (401 with a JSON error body). */
export function bearerAuth(token: string, options: { open?: readonly string[] } = {}): AuthHook {
  if (token.length === 0) throw new HepqError('server/empty-token', 'the bearer token is empty');
  const want = digest(token);
  const open = options.open ?? OPEN_PATHS;
  return async (request, reply) => {
    // routes that check credentials themselves (the ServiceX endpoint: access tokens, S3 signatures)
    if ((request.routeOptions.config as { ownAuth?: boolean } | undefined)?.ownAuth) return undefined;
    const path = request.url.split('?')[0]!;
    if (open.some((p) => path === p || path.startsWith(`${p}/`))) return undefined;
    const given = /^\s*bearer\s+(.*?)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    if (given !== undefined && timingSafeEqual(digest(given), want)) return undefined;
    return reply
      .code(401)
      .header('www-authenticate', 'Bearer')
      .send({
        error: {
          code: 'server/unauthorized',
          message: request.headers.authorization ? 'wrong bearer token' : 'missing bearer token',
          hint: 'send Authorization: Bearer <token> (the token of --token-file)',
        },
      });
  };
}

/** Equal-length digests, so the comparison takes the same time whatever the length of the guess. */
function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** The token in a file (first line, trimmed); an empty or unreadable file is an error. */
export function readTokenFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new HepqError('server/token-file', `cannot read the token file ${file}: ${(e as Error).message}`, {
      location: { file },
    });
  }
  const token = text.split('\n')[0]!.trim();
  if (!token)
    throw new HepqError('server/token-file', `the token file ${file} is empty`, { location: { file } });
  return token;
}

/** Whether a listen address is loopback-only (serving elsewhere without a token deserves a warning). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/**
 * The refusal of `hepq serve` and `hepq servicex` to listen beyond loopback without a token (unless --insecure),
 * and the warning when they do with --insecure: one wording for both commands.
 */
export function checkOpenHost(
  command: string,
  host: string,
  token: string | undefined,
  insecure: boolean,
  warn: (text: string) => void,
): void {
  if (isLoopback(host) || token) return;
  if (!insecure)
    throw new HepqError(
      'server/no-token',
      `hepq ${command} will not listen on ${host} without a token: anyone who can reach that address could read every file under the data roots`,
      {
        kind: 'resource',
        hint: 'give --token-file FILE (or the HEPQ_TOKEN environment variable), bind to 127.0.0.1, or add --insecure if the network is trusted',
      },
    );
  warn(
    `\n*** WARNING (--insecure): hepq ${command} is listening on ${host} WITHOUT authentication: anyone who can reach\n` +
      '*** this address can read every file under the data roots. Give --token-file, or bind to 127.0.0.1. ***\n\n',
  );
}

/** The secret of a server command: --token-file's first line, else HEPQ_TOKEN; a --token on the command line is refused. */
export function serverToken(values: { token?: string; 'token-file'?: string }): string | undefined {
  if (values.token !== undefined)
    throw new HepqError('cli/token', '--token would show the secret to every user of this machine (ps)', {
      hint: 'give it in a file (--token-file F) or the HEPQ_TOKEN environment variable',
    });
  return values['token-file'] ? readTokenFile(values['token-file']) : process.env.HEPQ_TOKEN || undefined;
}
