/**
 * Authentication of the ServiceX endpoint, as the ServiceX server does it: the secret the operator gives
 * (`--token-file` or `HEPQ_TOKEN`) is the refresh token a user writes in servicex.yaml; `POST /token/refresh`
 * with it as the bearer returns a short-lived access token, a JWT (HS256, with an `exp` claim the python client
 * reads); every other route takes either. The S3 (minio) read path gets its own key pair derived from the secret,
 * handed out only in status records (so only to authenticated callers) and checked by SigV4 signature.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** How long an access token lives (the client refreshes it when under one minute is left). */
export const ACCESS_TOKEN_SECONDS = 3600;

/** Equal strings, in time that does not depend on where they differ (both sides are hashed first). */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** A signed HS256 JWT for `claims` (the key is the server secret). */
export function signJwt(claims: Record<string, unknown>, secret: string): string {
  const head = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

/** The claims of a JWT this server signed and that has not expired; undefined for anything else. */
export function verifyJwt(
  token: string,
  secret: string,
  nowSeconds: number,
): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest('base64url');
  if (!constantTimeEqual(expected, parts[2]!)) return undefined;
  try {
    const head = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as { alg?: unknown };
    if (head.alg !== 'HS256') return undefined;
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return undefined;
    return claims;
  } catch {
    return undefined;
  }
}

/** A fresh access token for the holder of the refresh token. */
export function accessToken(secret: string, nowSeconds = Math.floor(Date.now() / 1000)): string {
  return signJwt(
    { sub: 'hepq', type: 'access', iat: nowSeconds, exp: nowSeconds + ACCESS_TOKEN_SECONDS },
    secret,
  );
}

/** Which credential a bearer header carries: the refresh token (the secret), an access token, or none. */
export function bearerKind(header: string | undefined, secret: string): 'refresh' | 'access' | undefined {
  if (typeof header !== 'string' || !/^Bearer /i.test(header)) return undefined;
  const token = header.slice(7).trim();
  if (constantTimeEqual(token, secret)) return 'refresh';
  const claims = verifyJwt(token, secret, Math.floor(Date.now() / 1000));
  return claims && claims.type === 'access' ? 'access' : undefined;
}

/** The S3 key pair handed to clients: without a secret, anything is accepted (a loopback-only server). */
export interface S3Keys {
  readonly accessKey: string;
  /** undefined: requests are not checked. */
  readonly secretKey: string | undefined;
}

export function s3Keys(secret: string | undefined): S3Keys {
  if (!secret) return { accessKey: 'hepq', secretKey: undefined };
  return {
    accessKey: 'hepq',
    secretKey: createHmac('sha256', secret).update('hepq-s3-secret').digest('hex'),
  };
}

/**
 * The signature that lets a request's log URL open without a bearer header (the client prints it as a link and
 * opens it in a browser): an HMAC of the request id, so it opens that request's log only.
 */
export function logSignature(secret: string, requestId: string): string {
  return createHmac('sha256', secret).update(`hepq-log:${requestId}`).digest('hex').slice(0, 32);
}

/** Whether `url` (path and query) is a log URL carrying its valid signature. */
export function signedLogUrl(url: string, secret: string): boolean {
  const m = /\/transformation\/([^/?]+)\/logs\?(?:.*&)?sig=([0-9a-f]{32})(?:&|$)/.exec(url);
  return m !== null && constantTimeEqual(logSignature(secret, decodeURIComponent(m[1]!)), m[2]!);
}
